using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Fanout.Server.Diagnostics;

/// <summary>
/// Akka.Hosting's logger into Microsoft.Extensions.Logging, adjusted in three ways: the
/// category is the logging class (<c>Fanout.Subscribers.SubscriberActor</c>,
/// <c>Akka.Remote.EndpointWriter</c>, ..., or <see cref="StringSourceCategory"/>) so
/// <c>Logging:LogLevel</c> can filter by namespace; the state is a list of the template's
/// properties plus <c>LogSource</c> (the actor that logged), which every formatter reads
/// (the JSON console only reads a collection, not a lazy enumerable); the message is the
/// rendered template without Akka's own timestamp and thread prefix, which MEL adds its own way.
/// </summary>
public sealed class StructuredAkkaLogger : LoggerFactoryLogger
{
    /// <summary>The category of Akka loggers made from a string source (their LogSource says which).</summary>
    public const string StringSourceCategory = "Akka";

    private readonly ILoggerFactory _factory;
    private readonly Dictionary<Type, ILogger> _loggers = new();

    public StructuredAkkaLogger()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        _factory = setup.HasValue
            ? setup.Value.LoggerFactory
            : throw new InvalidOperationException("StructuredAkkaLogger needs Akka.Hosting's LoggerFactorySetup (start the system with AddAkka).");
    }

    protected override void Log(LogEvent log, ActorPath path)
    {
        if (!_loggers.TryGetValue(log.LogClass, out var logger))
        {
            // Loggers made from a plain string source all share a placeholder class.
            logger = log.LogClass == typeof(DummyClassForStringSources)
                ? _factory.CreateLogger(StringSourceCategory)
                : _factory.CreateLogger(log.LogClass);
            _loggers[log.LogClass] = logger;
        }

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

    /// <summary>The properties, and the rendered message as the state's text (formatters print both).</summary>
    private sealed class LogState(string message) : List<KeyValuePair<string, object?>>(8)
    {
        public override string ToString() => message;
    }

    private static LogLevel Level(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
