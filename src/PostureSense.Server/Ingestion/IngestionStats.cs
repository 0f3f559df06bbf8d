using System.Collections.Concurrent;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// What ingestion accepted and rejected, by reason; served at <c>GET /api/stats</c>. Reasons are
/// short stable keys (see <see cref="RejectionReasons"/>); the latest details are kept beside them
/// so an operator can see an example of each without reading the log.
/// </summary>
public sealed class IngestionStats
{
    const int RecentKept = 20;
    readonly ConcurrentDictionary<string, long> _accepted = new();
    readonly ConcurrentDictionary<string, long> _rejected = new();
    readonly ConcurrentDictionary<string, long> _rejectedFrames = new();
    readonly Queue<Rejection> _recent = new();
    long _framesStored;
    long _promptsSent;
    long _processed;

    /// <summary>Messages that reached a verdict, accepted or rejected: tests and health checks wait on it.</summary>
    public long Processed => Interlocked.Read(ref _processed);
    public long FramesStored => Interlocked.Read(ref _framesStored);
    public long PromptsSent => Interlocked.Read(ref _promptsSent);

    public long Accepted(string kind) => _accepted.GetValueOrDefault(kind);
    public long Rejected(string reason) => _rejected.GetValueOrDefault(reason);
    public long RejectedFrames(string reason) => _rejectedFrames.GetValueOrDefault(reason);

    public void Accept(string kind)
    {
        _accepted.AddOrUpdate(kind, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _processed);
    }

    public void Reject(string reason, string detail, string topic, long ts)
    {
        _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);
        Remember(new Rejection(reason, detail, topic, ts, Frame: false));
        Interlocked.Increment(ref _processed);
    }

    /// <summary>A frame left out of a batch whose other frames were stored.</summary>
    public void RejectFrame(string reason, string detail, string topic, long ts)
    {
        _rejectedFrames.AddOrUpdate(reason, 1, (_, n) => n + 1);
        Remember(new Rejection(reason, detail, topic, ts, Frame: true));
    }

    /// <summary>A failure on our side (store, command publish) rather than bad input.</summary>
    public void Fail(string reason, string detail, string topic, long ts) =>
        Remember(new Rejection(reason, detail, topic, ts, Frame: false));

    public void FramesWritten(int count) => Interlocked.Add(ref _framesStored, count);
    public void PromptSent() => Interlocked.Increment(ref _promptsSent);

    public IngestionStatsSnapshot Snapshot()
    {
        Rejection[] recent;
        lock (_recent) recent = [.. _recent.Reverse()];
        return new IngestionStatsSnapshot(
            Processed, Sorted(_accepted), _accepted.Values.Sum(), FramesStored,
            Sorted(_rejected), _rejected.Values.Sum(), Sorted(_rejectedFrames), _rejectedFrames.Values.Sum(),
            PromptsSent, recent);
    }

    void Remember(Rejection rejection)
    {
        lock (_recent)
        {
            _recent.Enqueue(rejection);
            while (_recent.Count > RecentKept) _recent.Dequeue();
        }
    }

    static SortedDictionary<string, long> Sorted(ConcurrentDictionary<string, long> counts) => new(counts, StringComparer.Ordinal);
}

/// <param name="Ts">When it happened, server time, Unix ms.</param>
/// <param name="Frame">True when one frame of an otherwise stored batch was left out.</param>
public sealed record Rejection(string Reason, string Detail, string Topic, long Ts, bool Frame);

public sealed record IngestionStatsSnapshot(
    long Processed,
    IReadOnlyDictionary<string, long> Accepted,
    long AcceptedTotal,
    long FramesStored,
    IReadOnlyDictionary<string, long> Rejected,
    long RejectedTotal,
    IReadOnlyDictionary<string, long> RejectedFrames,
    long RejectedFramesTotal,
    long PromptsSent,
    IReadOnlyList<Rejection> Recent);
