using ConsoleClient;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return await Commands.RunAsync(args, Console.Out, stop.Token);
