using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Fanout.Operations.Tests;

/// <summary>
/// A node as its own process (the Fanout.Server build beside the tests), on 127.0.0.1 with
/// free ports, for what only a real process shows: a SIGTERM and the exit that follows, a
/// SIGKILL and a restart with the same settings, a refused configuration's exit.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int RecentLines = 200;

    private static readonly string[] Defaults =
    [
        "--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", "--Fanout:Store:Kind=memory",
        "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
    ];

    private readonly Process _process;
    private readonly ProcessOutput _output;
    private readonly string[] _settings;

    private ServerProcess(Process process, ProcessOutput output, Uri url, string[] settings)
    {
        _process = process;
        _output = output;
        Url = url;
        _settings = settings;
    }

    public Uri Url { get; }

    /// <summary>The lines the process wrote to stdout so far.</summary>
    public IReadOnlyList<string> Output => [.. _output.Stdout];

    /// <summary>The lines the process wrote to stderr so far.</summary>
    public IReadOnlyList<string> Errors => [.. _output.Stderr];

    /// <summary>The process's last lines (stdout, then stderr), for a failure message.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output.Stdout.Concat(_output.Stderr).TakeLast(RecentLines));

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<ServerProcess> StartAsync(params string[] settings)
    {
        var (process, output) = Launch(settings);
        try
        {
            return new ServerProcess(process, output, await output.Listening.Task.WaitAsync(TimeSpan.FromSeconds(60)), settings);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Runs a node that is expected to stop by itself (a refused configuration) and returns how it ended.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)> RunToExitAsync(TimeSpan timeout, params string[] settings)
    {
        var (process, output) = Launch(settings);
        using (process)
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The node did not exit within {timeout}; it wrote:\n{string.Join("\n", output.Stdout.Concat(output.Stderr))}");
            }

            // WaitForExitAsync also waits for the redirected streams to reach their end.
            return (process.ExitCode, [.. output.Stdout], [.. output.Stderr]);
        }
    }

    private static (Process Process, ProcessOutput Output) Launch(string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fanout.Server.dll"));
        foreach (var argument in Defaults.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ProcessOutput();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            output.Stdout.Enqueue(text);
            if (ListeningLine().Match(text) is { Success: true } match)
            {
                output.Listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                output.Stderr.Enqueue(text);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException("dotnet did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>What an orchestrator does to stop a node.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>A crash as the operating system deals it: SIGKILL, no shutdown code runs. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        if (Kill(_process.Id, SigKill) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        if (!await ExitsWithinAsync(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Process {_process.Id} did not exit within 30 s of SIGKILL.");
        }
    }

    /// <summary>Starts the node again with the same settings, once this process has exited (new HTTP port).</summary>
    public Task<ServerProcess> StartAgainAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"Process {_process.Id} still runs; stop or kill it first.");
        }

        return StartAsync(_settings);
    }

    /// <summary>True if the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
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

    // The URL ends at white space or, in a JSON log line, at the closing quote.
    [GeneratedRegex(@"Now listening on: (?<url>http://[^\s""]+)")]
    private static partial Regex ListeningLine();

    private sealed class ProcessOutput
    {
        public ConcurrentQueue<string> Stdout { get; } = new();

        public ConcurrentQueue<string> Stderr { get; } = new();

        public TaskCompletionSource<Uri> Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
