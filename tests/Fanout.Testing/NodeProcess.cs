using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Fanout.Testing;

/// <summary>
/// A node as its own operating-system process, for what only a real process shows: the exit
/// after a SIGTERM, a SIGKILL and a restart, a refused configuration's exit code, where a
/// deployment's command line and environment make it listen. Two ways to start one:
/// <see cref="StartAsync"/> runs the Fanout.Server build beside the tests on 127.0.0.1 with
/// free ports; <see cref="StartCommandLineAsync"/> runs a given command line as a deployment
/// does, adding nothing.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private const int RecentLines = 200;

    private static readonly TimeSpan ListeningWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartedWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan GoneAfterSigKill = TimeSpan.FromSeconds(30);

    /// <summary>What <see cref="StartAsync"/> puts before the caller's settings (a later <c>--Key</c> wins).</summary>
    private static readonly string[] Defaults =
    [
        "--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", "--Fanout:Store:Kind=memory",
        "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
    ];

    /// <summary>Settings that choose the listen address; a command-line node must not inherit the test runner's.</summary>
    private static readonly string[] ListenVariables =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS"];

    private readonly Process _process;
    private readonly Func<Task<NodeProcess>> _startAgain;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _transcript = new();
    private readonly ConcurrentQueue<Uri> _listening = new();

    // Each completes true when the node reaches it, false when the process exits first.
    private readonly TaskCompletionSource<bool> _firstListening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _applicationStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(ProcessStartInfo start, Func<Task<NodeProcess>> startAgain)
    {
        _startAgain = startAgain;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) => OnStdout(line.Data);
        _process.ErrorDataReceived += (_, line) => OnStderr(line.Data);
        _process.Exited += (_, _) =>
        {
            _firstListening.TrySetResult(false);
            _applicationStarted.TrySetResult(false);
        };
    }

    /// <summary>The Fanout.Server build the test projects carry beside themselves (each references the server project).</summary>
    public static string ServerBuild => Path.Combine(AppContext.BaseDirectory, "Fanout.Server.dll");

    public int ProcessId => _process.Id;

    /// <summary>The first address the node reported listening on.</summary>
    public Uri Url => _listening.TryPeek(out var url) ? url : throw new InvalidOperationException("The node reported no listening address yet.");

    /// <summary>Every "Now listening on" address so far, as Kestrel printed it (e.g. <c>http://[::]:8080</c>).</summary>
    public IReadOnlyList<Uri> Listening => [.. _listening];

    /// <summary>The lines the process wrote to stdout so far.</summary>
    public IReadOnlyList<string> Output => [.. _stdout];

    /// <summary>The lines the process wrote to stderr so far.</summary>
    public IReadOnlyList<string> Errors => [.. _stderr];

    /// <summary>Everything the process wrote so far, both streams in the order read, for a failure message.</summary>
    public string Transcript => string.Join('\n', _transcript);

    /// <summary>The process's last lines, for a test's log.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _transcript.TakeLast(RecentLines));

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <see cref="ServerBuild"/> with the defaults (any free HTTP and remoting port on
    /// 127.0.0.1, history in memory, warnings plus the host's lifetime lines) and then
    /// <paramref name="settings"/>; handed back once it reports where it listens.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(params string[] settings)
    {
        var node = LaunchServerBuild(settings);
        await node.AwaitAsync(node._firstListening.Task, ListeningWithin, "The node reported no listening address");
        return node;
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> the way a deployment starts it: these arguments, this
    /// working directory, the test runner's environment without its listen settings plus
    /// <paramref name="environment"/>. Handed back once the host reports it started, which it
    /// does after every "Now listening on" line.
    /// </summary>
    public static async Task<NodeProcess> StartCommandLineAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var argumentList = arguments.ToArray();
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory };
        foreach (var argument in argumentList)
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

        var node = Launch(start, () => StartCommandLineAsync(fileName, argumentList, workingDirectory, environment));
        await node.AwaitAsync(node._applicationStarted.Task, StartedWithin, "The node did not report it started");
        return node;
    }

    /// <summary>Runs <see cref="ServerBuild"/> as <see cref="StartAsync"/> does, expecting it to stop by itself (a refused start), and returns how it ended.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)> RunToExitAsync(TimeSpan timeout, params string[] settings)
    {
        await using var node = LaunchServerBuild(settings);
        if (!await node.ExitsWithinAsync(timeout))
        {
            throw new TimeoutException($"The node did not exit within {timeout}; it wrote:\n{node.Transcript}");
        }

        return (node.ExitCode, node.Output, node.Errors);
    }

    /// <summary>What an orchestrator does to stop a node: SIGTERM to its PID.</summary>
    public void Terminate() => Send(UnixSignal.Term);

    /// <summary>Stops the node as systemd or Kubernetes do (SIGTERM); the exit code, or null if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        Terminate();
        return await ExitsWithinAsync(timeout) ? _process.ExitCode : null;
    }

    /// <summary>A crash as the operating system deals it: SIGKILL, no shutdown code runs. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        Send(UnixSignal.Kill);
        if (!await ExitsWithinAsync(GoneAfterSigKill))
        {
            throw new TimeoutException($"Process {_process.Id} did not exit within {GoneAfterSigKill.TotalSeconds} s of SIGKILL.");
        }
    }

    /// <summary>Starts the node again the same way, once this process has exited (a new HTTP port where it was 0).</summary>
    public Task<NodeProcess> StartAgainAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"Process {_process.Id} still runs; stop or kill it first.");
        }

        return _startAgain();
    }

    /// <summary>True if the process exited within <paramref name="timeout"/>; its output is read to the end by then.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            // WaitForExitAsync also waits for the redirected streams to reach their end.
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A loopback URL for the one port the node listens on (on whichever interfaces).</summary>
    public Uri LoopbackUrl()
    {
        var ports = _listening.Select(u => u.Port).Distinct().ToArray();
        return ports.Length == 1
            ? new Uri($"http://127.0.0.1:{ports[0]}")
            : throw new InvalidOperationException($"Expected the node to listen on one port, it listens on [{string.Join(", ", _listening)}].");
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

    private static NodeProcess LaunchServerBuild(string[] settings)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(ServerBuild);
        foreach (var argument in Defaults.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        return Launch(start, () => StartAsync(settings));
    }

    private static NodeProcess Launch(ProcessStartInfo start, Func<Task<NodeProcess>> startAgain)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var node = new NodeProcess(start, startAgain);
        if (!node._process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} did not start.");
        }

        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits for a start condition; past <paramref name="within"/> or on an early exit, ends the process and says what it wrote.</summary>
    private async Task AwaitAsync(Task<bool> condition, TimeSpan within, string failure)
    {
        string reason;
        try
        {
            if (await condition.WaitAsync(within))
            {
                return;
            }

            reason = "The node exited before it started.";
        }
        catch (TimeoutException)
        {
            reason = $"{failure} within {within}.";
        }

        await DisposeAsync();
        throw new InvalidOperationException($"{reason} Output:\n{Transcript}");
    }

    private void OnStdout(string? text)
    {
        if (text is null)
        {
            return;
        }

        _stdout.Enqueue(text);
        _transcript.Enqueue(text);
        if (ListeningLine().Match(text) is { Success: true } match)
        {
            _listening.Enqueue(new Uri(match.Groups["url"].Value));
            _firstListening.TrySetResult(true);
        }

        // The host prints this after every "Now listening on" line.
        if (text.Contains("Application started.", StringComparison.Ordinal))
        {
            _applicationStarted.TrySetResult(true);
        }
    }

    private void OnStderr(string? text)
    {
        if (text is not null)
        {
            _stderr.Enqueue(text);
            _transcript.Enqueue(text);
        }
    }

    private void Send(UnixSignal signal)
    {
        if (Kill(_process.Id, (int)signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIG{signal.ToString().ToUpperInvariant()}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The two signals a test sends, by their Linux numbers.</summary>
    private enum UnixSignal
    {
        Kill = 9,
        Term = 15,
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    // The URL ends at white space or, in a JSON log line, at the closing quote.
    [GeneratedRegex(@"Now listening on: (?<url>https?://[^\s""]+)")]
    private static partial Regex ListeningLine();
}
