using System.Collections.Concurrent;

namespace PostureSense.Server.Workers;

/// <summary>Which background workers run and which are down (and why), for <c>/readyz</c>.</summary>
public sealed class WorkerHealth
{
    readonly ConcurrentDictionary<string, string?> _problems = new(StringComparer.Ordinal);

    public void Running(string worker) => _problems[worker] = null;

    public void Down(string worker, string problem) => _problems[worker] = problem;

    /// <summary>A worker stopped with the host is neither up nor down.</summary>
    public void Stopped(string worker) => _problems.TryRemove(worker, out _);

    public IReadOnlyDictionary<string, string> Problems =>
        _problems.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    public IReadOnlyList<string> Workers => [.. _problems.Keys.Order(StringComparer.Ordinal)];
}
