using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>
/// Collects what a node logs at Error or above through .NET logging, so a test can tell an
/// expected condition (a client leaving) from one the application did not handle.
/// </summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
            }
        }
    }
}
