using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PostureSense.TestSupport.Server;

/// <summary>Keeps every log entry (to assert on errors) and echoes it to the test's output.</summary>
public sealed class TestLoggerProvider : ILoggerProvider
{
    readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;

    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public IEnumerable<string> Errors => Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}");

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(TestLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception) + (exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message);
            owner.Entries.Enqueue((logLevel, category, message));
            try { owner._output?.WriteLine($"{logLevel,-11} {category.Split('.').Last()}: {message}"); }
            catch (InvalidOperationException) { } // the test has already finished
        }
    }
}
