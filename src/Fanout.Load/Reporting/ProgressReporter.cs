using System.Globalization;

namespace Fanout.Load.Reporting;

/// <summary>Writes one status line on a timer while a run goes on (to stderr, so stdout stays the JSON summary).</summary>
public sealed class ProgressReporter : IAsyncDisposable
{
    private readonly TextWriter _out;
    private readonly Func<string> _status;
    private readonly PeriodicTimer? _timer;
    private readonly Task _loop = Task.CompletedTask;
    private readonly long _startMicros = LoadClock.NowMicros;

    public ProgressReporter(TextWriter output, TimeSpan every, Func<string> status)
    {
        _out = output;
        _status = status;
        if (every > TimeSpan.Zero)
        {
            _timer = new PeriodicTimer(every);
            _loop = RunAsync(_timer);
        }
    }

    public void Note(string text) => Write(text);

    private async Task RunAsync(PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
        {
            Write(_status());
        }
    }

    private void Write(string text)
    {
        var seconds = (LoadClock.NowMicros - _startMicros) / 1_000_000.0;
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{seconds,7:0.0}s] {text}"));
    }

    public async ValueTask DisposeAsync()
    {
        _timer?.Dispose();
        await _loop;
    }
}
