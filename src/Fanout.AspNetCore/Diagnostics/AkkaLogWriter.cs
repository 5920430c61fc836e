using System.Collections.Concurrent;
using Akka.Event;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>
/// Writes Akka <see cref="LogEvent"/>s into Microsoft.Extensions.Logging, the one way both
/// Akka loggers of a node do (<see cref="StructuredAkkaLogger"/> while the system runs,
/// <see cref="PipelineStdoutLogger"/> before it starts its loggers and after it stops them):
/// the category is the logging class (<c>Fanout.Subscribers.SubscriberActor</c>,
/// <c>Akka.Remote.EndpointWriter</c>, ..., or <see cref="StringSourceCategory"/>) so
/// <c>Logging:LogLevel</c> can filter by namespace; the state is a list of the template's
/// properties plus <c>LogSource</c> (the actor that logged), which every formatter reads
/// (the JSON console only reads a collection, not a lazy enumerable); the message is the
/// rendered template without Akka's own timestamp and thread prefix, which MEL adds its own way.
/// Thread-safe: the stdout logger is called from whichever thread publishes.
/// </summary>
public sealed class AkkaLogWriter(ILoggerFactory factory)
{
    /// <summary>The category of Akka loggers made from a string source (their LogSource says which).</summary>
    public const string StringSourceCategory = "Akka";

    private readonly ConcurrentDictionary<Type, ILogger> _loggers = new();

    public void Write(LogEvent log)
    {
        // Loggers made from a plain string source all share a placeholder class.
        var logger = _loggers.GetOrAdd(log.LogClass, type => type == typeof(DummyClassForStringSources)
            ? factory.CreateLogger(StringSourceCategory)
            : factory.CreateLogger(type));

        var level = Level(log.LogLevel());
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var message = Render(log);
        var state = new LogState(message);
        if (log.TryGetProperties(out var properties) && properties is not null)
        {
            foreach (var (key, value) in properties)
            {
                state.Add(new KeyValuePair<string, object?>(key, value));
            }
        }

        state.Add(new KeyValuePair<string, object?>("LogSource", log.LogSource));
        state.Add(new KeyValuePair<string, object?>("{OriginalFormat}", log.GetTemplate()));
        logger.Log(level, default, state, log.Cause, (_, _) => message);
    }

    private static string Render(LogEvent log)
    {
        try
        {
            return log.Message?.ToString() ?? string.Empty;
        }
        catch (FormatException ex)
        {
            return $"Malformed log template '{log.GetTemplate()}': {ex.Message}";
        }
    }

    private static LogLevel Level(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };

    /// <summary>The properties, and the rendered message as the state's text (formatters print both).</summary>
    private sealed class LogState(string message) : List<KeyValuePair<string, object?>>(8)
    {
        public override string ToString() => message;
    }
}
