using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Fanout.Operations.Tests;

/// <summary>
/// A node started the way a deployment starts it: a given command line, working directory
/// and environment, nothing added. Records every address Kestrel reports listening on, so a
/// test can say where the node listens and where it does not.
/// </summary>
public sealed partial class CommandLineNode : IAsyncDisposable
{
    private const int SigTerm = 15;

    /// <summary>Settings that choose the listen address; a child must not inherit the test runner's.</summary>
    private static readonly string[] ListenVariables =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private CommandLineNode(Process process, IReadOnlyList<Uri> listening, ConcurrentQueue<string> output)
    {
        _process = process;
        Listening = listening;
        _output = output;
    }

    public int ProcessId => _process.Id;

    /// <summary>Every "Now listening on" address, as Kestrel printed it (e.g. <c>http://[::]:8080</c>).</summary>
    public IReadOnlyList<Uri> Listening { get; }

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<CommandLineNode> StartAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in ListenVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var addresses = new ConcurrentQueue<Uri>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            output.Enqueue(text);
            if (ListeningLine().Match(text) is { Success: true } match)
            {
                addresses.Enqueue(new Uri(match.Groups["url"].Value));
            }

            // The host prints this after every "Now listening on" line.
            if (text.Contains("Application started.", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                output.Enqueue(text);
            }
        };
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException("The node exited before it started."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            throw new InvalidOperationException($"{ex.Message} Output:\n{string.Join('\n', output)}", ex);
        }

        return new CommandLineNode(process, addresses.ToArray(), output);
    }

    /// <summary>A loopback URL for the one port the node listens on.</summary>
    public Uri LoopbackUrl()
    {
        var port = Assert.Single(Listening.Select(u => u.Port).Distinct());
        return new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Stops the node as systemd or Kubernetes do (SIGTERM to its PID); the exit code, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"Now listening on: (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}
