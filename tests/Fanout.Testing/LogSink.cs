using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Fanout.Testing;

/// <summary>
/// One log entry as a provider received it: its structured state kept as properties, and
/// whether that state was a collection (what the JSON console formatter needs to print it).
/// </summary>
public sealed record LoggedEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, bool StateIsCollection)
{
    /// <summary>The exception logged with the entry, if any.</summary>
    public Exception? Exception { get; init; }

    /// <summary>When the provider received it.</summary>
    public DateTime ReceivedAt { get; init; } = DateTime.UtcNow;
}

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every entry, to see what reaches
/// Microsoft.Extensions.Logging (<c>builder.Logging.AddProvider(sink)</c>): what a node said,
/// and whether it logged an error it did not expect.
/// </summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedEntry> _entries = new();

    public IReadOnlyList<LoggedEntry> Entries => _entries.ToArray();

    /// <summary>The entries at Error or above, one line each with the exception.</summary>
    public IReadOnlyList<string> Errors =>
        [.. Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")];

    public ILogger CreateLogger(string categoryName) => new SinkLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    properties[key] = value;
                }
            }

            var isCollection = state is IReadOnlyCollection<KeyValuePair<string, object?>>;
            sink._entries.Enqueue(new LoggedEntry(category, logLevel, formatter(state, exception), properties, isCollection) { Exception = exception });
        }
    }
}
