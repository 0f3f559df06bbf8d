using PostureSense.Core.Contract;

namespace PostureSense.Agent.Link;

/// <summary>
/// Batches not yet acknowledged by the broker, oldest first, bounded: when full the oldest is
/// dropped (and counted), since recent posture matters more than old. In memory only for now.
/// </summary>
public sealed class PendingBatches(int capacity)
{
    readonly Lock _gate = new();
    readonly Queue<TelemetryBatch> _queue = new();

    public long Dropped { get; private set; }

    public int Count { get { lock (_gate) return _queue.Count; } }

    /// <returns>The batch dropped to make room, if any.</returns>
    public TelemetryBatch? Add(TelemetryBatch batch)
    {
        lock (_gate)
        {
            TelemetryBatch? dropped = null;
            if (_queue.Count >= capacity)
            {
                dropped = _queue.Dequeue();
                Dropped++;
            }
            _queue.Enqueue(batch);
            return dropped;
        }
    }

    public bool TryPeek(out TelemetryBatch batch)
    {
        lock (_gate) return _queue.TryPeek(out batch!);
    }

    /// <summary>Removes <paramref name="batch"/> if it is still the oldest (it may have been dropped meanwhile).</summary>
    public void Remove(TelemetryBatch batch)
    {
        lock (_gate)
        {
            if (_queue.TryPeek(out var head) && ReferenceEquals(head, batch)) _queue.Dequeue();
        }
    }
}
