using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>
/// Akka.Hosting's logger into Microsoft.Extensions.Logging, written the way
/// <see cref="AkkaLogWriter"/> says. Starting, it also hands the host's logger factory to the
/// system's <see cref="PipelineStdoutLogger"/>, so what Akka logs before and after this
/// logger runs goes the same way.
/// </summary>
public sealed class StructuredAkkaLogger : LoggerFactoryLogger
{
    /// <summary>The category of Akka loggers made from a string source (their LogSource says which).</summary>
    public const string StringSourceCategory = AkkaLogWriter.StringSourceCategory;

    private readonly AkkaLogWriter _writer;

    public StructuredAkkaLogger()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        var factory = setup.HasValue
            ? setup.Value.LoggerFactory
            : throw new InvalidOperationException("StructuredAkkaLogger needs Akka.Hosting's LoggerFactorySetup (start the system with AddAkka).");
        _writer = new AkkaLogWriter(factory);
        (Context.System.Settings.StdoutLogger as PipelineStdoutLogger)?.Attach(_writer);
    }

    protected override void Log(LogEvent log, ActorPath path) => _writer.Write(log);
}
