using System.Collections.Concurrent;
using PostureSense.Core.Contract;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Metrics;

/// <summary>
/// What ingestion accepted and rejected, by reason. Every count goes to the
/// <see cref="PostureMetrics"/> instruments (<c>/metrics</c>); the totals are also kept here for
/// <c>GET /api/stats</c>, which shows the same numbers with the latest details beside them, so an
/// operator can see an example of each reason without reading the log. Reasons are short stable
/// keys (see <see cref="RejectionReasons"/>).
/// </summary>
public sealed class IngestionStats
{
    readonly PostureMetrics _metrics;
    readonly ConcurrentDictionary<DeviceId, bool> _online = new();

    /// <param name="metrics">The instruments to count on; none makes its own (a part used alone, in a test).</param>
    public IngestionStats(PostureMetrics? metrics = null)
    {
        _metrics = metrics ?? new PostureMetrics();
        _metrics.ConnectedDevices = () => _online.Count(d => d.Value);
    }

    const int RecentKept = 20;
    readonly ConcurrentDictionary<string, long> _accepted = new();
    readonly ConcurrentDictionary<string, long> _rejected = new();
    readonly ConcurrentDictionary<string, long> _rejectedFrames = new();
    readonly ConcurrentDictionary<string, long> _deadLettered = new();
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
    /// <summary>Messages the store refused for good, by dead letter reason (out-of-range, constraint, refused).</summary>
    public long DeadLettered(string reason) => _deadLettered.GetValueOrDefault(reason);

    public void Accept(string kind)
    {
        _accepted.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _metrics.Accepted(kind);
        if (kind == Topics.Ack) _metrics.AckReceived();
        Interlocked.Increment(ref _processed);
    }

    public void Reject(string reason, string detail, string topic, long ts)
    {
        _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _metrics.Rejected(reason);
        Remember(new Rejection(reason, detail, topic, ts, Frame: false));
        Interlocked.Increment(ref _processed);
    }

    /// <summary>A frame left out of a batch whose other frames were stored.</summary>
    public void RejectFrame(string reason, string detail, string topic, long ts)
    {
        _rejectedFrames.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _metrics.FrameRejected(reason);
        Remember(new Rejection(reason, detail, topic, ts, Frame: true));
    }

    /// <summary>A failure on our side (store, command publish) rather than bad input.</summary>
    public void Fail(string reason, string detail, string topic, long ts)
    {
        _metrics.Failed(reason);
        Remember(new Rejection(reason, detail, topic, ts, Frame: false));
    }

    /// <summary>A message the store refused for good, kept as a dead letter.</summary>
    public void DeadLetter(string reason, string detail, DeviceId deviceId, long ts)
    {
        _deadLettered.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _metrics.DeadLettered(reason);
        Remember(new Rejection(RejectionReasons.StoreDeadLettered, $"{reason}: {detail}", deviceId.Value, ts, Frame: false));
    }

    public void FramesWritten(int count)
    {
        Interlocked.Add(ref _framesStored, count);
        _metrics.FramesStored(count);
    }

    public void PromptSent()
    {
        Interlocked.Increment(ref _promptsSent);
        _metrics.PromptSent();
    }

    /// <summary>A device's latest status, for the connected devices gauge.</summary>
    public void DeviceStatus(DeviceId deviceId, bool online) => _online[deviceId] = online;

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
