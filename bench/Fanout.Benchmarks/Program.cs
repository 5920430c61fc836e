using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Fanout.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new Fanout.Benchmarks.ShortConfig());
