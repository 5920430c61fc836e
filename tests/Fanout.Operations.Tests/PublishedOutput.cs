using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Fanout.Operations.Tests;

/// <summary>
/// <c>dotnet publish</c> of src/Fanout.Server into a temporary folder, once per test class.
/// It publishes the build these tests already made (<c>--no-build</c>, same configuration):
/// the layout and the files are what a Release publish writes, without compiling again on a
/// busy machine.
/// </summary>
public sealed class PublishedOutput : IDisposable
{
    private static readonly TimeSpan PublishWithin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentBag<string> _emptyFolders = [];

    public PublishedOutput()
    {
        RepositoryRoot = RepositoryFolder.Find();
        Folder = Path.Combine(Path.GetTempPath(), "fanout-published-" + Guid.NewGuid().ToString("N"));
        var configuration = typeof(PublishedOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
            Environment = { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
        foreach (var argument in new[] { "publish", Path.Combine("src", "Fanout.Server", "Fanout.Server.csproj"), "-c", configuration, "--no-build", "-o", Folder })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(PublishWithin))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish took more than {PublishWithin.TotalMinutes} min:\n{string.Join('\n', output)}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish exited {process.ExitCode}:\n{string.Join('\n', output)}");
        }
    }

    public string RepositoryRoot { get; }

    /// <summary>The publish folder: what gets copied to /opt/fanout or into the image.</summary>
    public string Folder { get; }

    /// <summary>An empty folder to start a node from, so nothing can come from the working directory.</summary>
    public string NewEmptyFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fanout-elsewhere-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _emptyFolders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var folder in _emptyFolders.Append(Folder).Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
