using Akka.Hosting;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace Fanout.Server.Diagnostics;

/// <summary>How a node logs, bound from <c>Fanout:Logging</c>.</summary>
public sealed class LoggingSettings
{
    /// <summary>One JSON object per line on the console (for log shippers) instead of plain text.</summary>
    public bool Json { get; set; }
}

/// <summary>
/// One log pipeline: Microsoft.Extensions.Logging is the only sink. Akka's own logging
/// is routed into it through Akka.Hosting's logger factory (structured: the properties
/// of Akka's message templates arrive as log state), so the <c>Logging</c> section
/// filters and formats both.
/// </summary>
public static class LogPipeline
{
    public const string Section = "Fanout:Logging";

    /// <summary>The MEL category whose level also sets Akka's (Akka skips formatting below it).</summary>
    public const string AkkaCategory = "Akka";

    public static WebApplicationBuilder AddFanoutLogging(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(Section).Get<LoggingSettings>() ?? new LoggingSettings();
        if (settings.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        return builder;
    }

    public static AkkaConfigurationBuilder WithFanoutLogging(this AkkaConfigurationBuilder akka, IConfiguration configuration) =>
        akka.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = AkkaLevel(configuration);
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });

    /// <summary>
    /// Akka's level follows <c>Logging:LogLevel:Akka</c>, else <c>Logging:LogLevel:Default</c>:
    /// what MEL would filter out anyway is not even formatted by Akka.
    /// </summary>
    public static AkkaLogLevel AkkaLevel(IConfiguration configuration)
    {
        var text = configuration[$"Logging:LogLevel:{AkkaCategory}"] ?? configuration["Logging:LogLevel:Default"];
        return Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) ? Map(level) : AkkaLogLevel.InfoLevel;
    }

    private static AkkaLogLevel Map(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => AkkaLogLevel.DebugLevel,
        LogLevel.Information => AkkaLogLevel.InfoLevel,
        LogLevel.Warning => AkkaLogLevel.WarningLevel,
        _ => AkkaLogLevel.ErrorLevel,
    };
}
