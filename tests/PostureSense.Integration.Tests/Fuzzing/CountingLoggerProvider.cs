using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PostureSense.Integration.Tests.Fuzzing;

/// <summary>
/// Counts warnings (every rejection logs one, so a million would swamp a test's output) and keeps
/// errors and anything logged with an exception: after a fuzz run there must be none.
/// </summary>
sealed class CountingLoggerProvider : ILoggerProvider
{
    long _warnings;
    readonly ConcurrentQueue<string> _errors = new();

    public long Warnings => Interlocked.Read(ref _warnings);
    public IReadOnlyCollection<string> Errors => _errors;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    sealed class Logger(CountingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error || exception is not null)
            {
                if (owner._errors.Count < 100)
                    owner._errors.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}");
            }
            else if (logLevel == LogLevel.Warning) Interlocked.Increment(ref owner._warnings);
        }
    }
}
