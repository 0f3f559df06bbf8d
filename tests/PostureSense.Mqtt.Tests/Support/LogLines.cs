using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PostureSense.Mqtt.Tests.Support;

/// <summary>A logger that keeps every line, to check what an operator would read.</summary>
sealed class LogLines : ILogger
{
    readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public string Text => string.Join('\n', _lines.Select(l => $"{l.Level}: {l.Text}")) + '\n';
    public int Count(string text) => _lines.Count(l => l.Text.Contains(text, StringComparison.Ordinal));
    public bool Has(LogLevel level, string text) => _lines.Any(l => l.Level == level && l.Text.Contains(text, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception.Message)));
}
