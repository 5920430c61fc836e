using Akka.Hosting;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>How a node logs, bound from <c>Fanout:Logging</c>.</summary>
public sealed class LoggingSettings
{
    /// <summary>One JSON object per line on the console (for log shippers) instead of plain text.</summary>
    public bool Json { get; set; }
}

/// <summary>
/// One log pipeline: Microsoft.Extensions.Logging is the only sink. Akka's own logging
/// is routed into it through Akka.Hosting's logger setup (<see cref="StructuredAkkaLogger"/>:
/// the properties of Akka's message templates arrive as log state, the category is the
/// logging class), so the <c>Logging</c> section filters and formats both. What Akka logs
/// while that logger is not running (start-up, the last lines of a shutdown) takes the same
/// way through <see cref="PipelineStdoutLogger"/>: nothing reaches the console past MEL.
/// </summary>
public static class LogPipeline
{
    public const string Section = "Fanout:Logging";

    /// <summary>Categories whose configured levels also set Akka's (Akka skips formatting below the lowest).</summary>
    public static readonly string[] ActorCategories = ["Default", "Akka", "Fanout"];

    public static WebApplicationBuilder AddFanoutLogging(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(Section).Get<LoggingSettings>() ?? new LoggingSettings();
        if (settings.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return builder;
    }

    public static AkkaConfigurationBuilder WithFanoutLogging(this AkkaConfigurationBuilder akka, IConfiguration configuration)
    {
        var level = AkkaLevel(configuration);

        // Akka's minimal logger takes what is logged before the actor logger starts and after
        // it stops (start-up, the last lines of a shutdown): ours writes into the same pipeline,
        // at the same level, instead of printing to stdout.
        akka.AddHocon(
            $"""
             akka.stdout-logger-class = "{typeof(PipelineStdoutLogger).AssemblyQualifiedName}"
             akka.stdout-loglevel = {HoconName(level)}
             """,
            HoconAddMode.Prepend);
        return akka.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = level;
            loggers.ClearLoggers();
            loggers.AddLogger<StructuredAkkaLogger>();
        });
    }

    /// <summary>
    /// Akka's level is the lowest of <c>Logging:LogLevel:Default</c>, <c>:Akka</c> and
    /// <c>:Fanout</c> (Information when none is set): Akka does not even format what MEL
    /// would filter out for every actor category.
    /// </summary>
    public static AkkaLogLevel AkkaLevel(IConfiguration configuration)
    {
        var levels = ActorCategories
            .Select(category => configuration[$"Logging:LogLevel:{category}"])
            .Select(text => Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) ? level : (LogLevel?)null)
            .Where(level => level is not null)
            .ToList();
        return Map(levels.Count == 0 ? LogLevel.Information : levels.Min()!.Value);
    }

    private static string HoconName(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => "DEBUG",
        AkkaLogLevel.InfoLevel => "INFO",
        AkkaLogLevel.WarningLevel => "WARNING",
        _ => "ERROR",
    };

    private static AkkaLogLevel Map(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => AkkaLogLevel.DebugLevel,
        LogLevel.Information => AkkaLogLevel.InfoLevel,
        LogLevel.Warning => AkkaLogLevel.WarningLevel,
        _ => AkkaLogLevel.ErrorLevel,
    };
}
