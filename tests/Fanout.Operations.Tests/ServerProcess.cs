using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Fanout.Operations.Tests;

/// <summary>
/// A node as its own process (the Fanout.Server build beside the tests), on 127.0.0.1 with
/// free ports, for what only a real process shows: a SIGTERM and the exit that follows, a
/// SIGKILL and a restart with the same settings.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly string[] _settings;
    private readonly ConcurrentQueue<string> _output;

    private ServerProcess(Process process, Uri url, string[] settings, ConcurrentQueue<string> output)
    {
        _process = process;
        Url = url;
        _settings = settings;
        _output = output;
    }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The process's last lines of stdout and stderr, for a failure message.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    public static async Task<ServerProcess> StartAsync(params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fanout.Server.dll"));
        foreach (var argument in new[]
                 {
                     "--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0", "--Fanout:Store:Kind=memory",
                     "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
                 }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        void Keep(string text)
        {
            output.Enqueue(text);
            if (output.Count > KeptOutputLines)
            {
                output.TryDequeue(out _);
            }
        }

        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            Keep(text);
            if (ListeningLine().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                Keep(text);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ServerProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60)), settings, output);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
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

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
