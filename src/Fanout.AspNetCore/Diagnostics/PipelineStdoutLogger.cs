using Akka.Event;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>
/// Akka's minimal logger (<c>akka.stdout-logger-class</c>), which takes Akka's log events
/// while no actor logger runs: during start-up until <see cref="StructuredAkkaLogger"/> starts,
/// and at shutdown after Akka stopped it ("Remoting shut down" and the like). Akka's own
/// <see cref="StandardOutLogger"/> prints those straight to stdout, past the log pipeline
/// (and, with JSON console logging on, as the only lines that are not JSON). This one writes
/// them into Microsoft.Extensions.Logging once the node's logger has attached the host's
/// factory, and holds the few that come earlier until then.
/// </summary>
public sealed class PipelineStdoutLogger : MinimalLogger
{
    /// <summary>Events held before the pipeline is attached; start-up logs a handful at most.</summary>
    public const int MaxHeld = 256;

    private readonly object _gate = new();
    private readonly Queue<LogEvent> _held = new();
    private volatile AkkaLogWriter? _writer;

    /// <summary>From now on events go to <paramref name="writer"/>; the held ones first.</summary>
    public void Attach(AkkaLogWriter writer)
    {
        lock (_gate)
        {
            while (_held.TryDequeue(out var early))
            {
                Write(writer, early);
            }

            _writer = writer;
        }
    }

    protected override void Log(object message)
    {
        if (message is not LogEvent log || !Filter.ShouldTryKeepMessage(log, out _))
        {
            return;
        }

        if (_writer is { } writer)
        {
            Write(writer, log);
            return;
        }

        lock (_gate)
        {
            if (_writer is { } attached)
            {
                Write(attached, log);
            }
            else if (_held.Count < MaxHeld)
            {
                _held.Enqueue(log);
            }
        }
    }

    private static void Write(AkkaLogWriter writer, LogEvent log)
    {
        try
        {
            writer.Write(log);
        }
        catch (ObjectDisposedException)
        {
            // The host disposed its logger factory before Akka's very last event: nowhere left to write it.
        }
    }
}
