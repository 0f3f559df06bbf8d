using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PostureSense.Agent.Tests.Support;

/// <summary>Loggers that keep every message, so a test can check what the operator would read.</summary>
sealed class LogRecorder : ILoggerFactory, ILoggerProvider
{
    readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public bool Has(LogLevel level, string text) => _lines.Any(l => l.Level == level && l.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    sealed class Logger(LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder._lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
