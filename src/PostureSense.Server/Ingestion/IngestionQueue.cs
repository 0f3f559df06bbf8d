using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// Between the MQTT client and the pipeline. The client hands over each message and moves on to
/// the next at once; a single worker takes whatever has arrived (up to <see cref="MaxBatch"/>
/// messages, so a batch grows while the previous write is in flight, and a lone message goes
/// out at once), stores it as one batch, and only then acknowledges its messages, in the order
/// they arrived. Until then the broker keeps them: a server killed or a store down loses nothing.
/// At most <see cref="MaxInFlight"/> messages wait unacknowledged; past that the client stops
/// reading, and the broker holds the rest. The embedded broker hands messages over from inside
/// its publish interception instead (<see cref="EmbeddedIntake"/>): there each device waits for
/// its acknowledgement, and past the limit a message is refused. What follows the write (coaching, prompts) runs on a
/// second worker, in the same order: acknowledging never waits for it, and a coach restoring a
/// device's history from the store does not hold up the whole fleet's messages.
/// The two loops are run by the host (<see cref="IngestionWorkers"/>), which restarts one that fails.
/// </summary>
public sealed class IngestionQueue : IAsyncDisposable
{
    public const int MaxBatch = 1000;
    public const int MaxInFlight = 5000;

    /// <summary>Stored batches waiting for coaching; when it falls this far behind, storing waits.</summary>
    const int MaxStoredBehind = 64;

    readonly Channel<Received> _queue = Channel.CreateUnbounded<Received>(new UnboundedChannelOptions { SingleReader = true });
    readonly Channel<StoredBatch> _stored = Channel.CreateBounded<StoredBatch>(
        new BoundedChannelOptions(MaxStoredBehind) { SingleReader = true, SingleWriter = true });
    readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    readonly IngestionPipeline _pipeline;
    readonly ILogger _log;
    readonly CancellationTokenSource _stop = new();
    readonly int _writesInFlight;

    /// <param name="writesInFlight">
    /// Store writes allowed at once. More than one keeps a remote store (InfluxDB) busy while the
    /// previous answer is on its way; acknowledgements still go out in arrival order.
    /// </param>
    public IngestionQueue(IngestionPipeline pipeline, ILogger<IngestionQueue> log, int writesInFlight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writesInFlight, 1);
        _writesInFlight = writesInFlight;
        _pipeline = pipeline;
        _log = log;
    }

    /// <summary>Messages taken but not yet acknowledged.</summary>
    public int Waiting => MaxInFlight - _slots.CurrentCount;

    /// <summary>Takes a message; waits only while <see cref="MaxInFlight"/> are already waiting.</summary>
    /// <param name="acknowledge">Called once the message is stored (or rejected for good).</param>
    public async ValueTask EnqueueAsync(InboundMessage message, Func<CancellationToken, Task> acknowledge, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
        if (!_queue.Writer.TryWrite(new Received(message, acknowledge, CancellationToken.None))) _slots.Release();
    }

    /// <summary>
    /// Takes a message if there is room, without waiting: false when <see cref="MaxInFlight"/> are
    /// already waiting or the queue is shut, and the sender should refuse it rather than hold on.
    /// </summary>
    /// <param name="acknowledge">Called once the message is stored (or rejected for good).</param>
    /// <param name="withdrawn">
    /// Cancelled when the sender no longer waits for the acknowledgement (it gave up, or its
    /// connection went): a message not yet taken for a write is then skipped, as the device sends it again.
    /// </param>
    public bool TryEnqueue(InboundMessage message, Func<CancellationToken, Task> acknowledge, CancellationToken withdrawn)
    {
        if (_stop.IsCancellationRequested || !_slots.Wait(0, CancellationToken.None)) return false;
        if (_queue.Writer.TryWrite(new Received(message, acknowledge, withdrawn))) return true;
        _slots.Release();
        return false;
    }

    /// <summary>
    /// The storing loop, until <paramref name="stop"/>. When it fails, the writes in flight are
    /// let go unacknowledged (the broker delivers them again to the next session) and it throws.
    /// </summary>
    public async Task RunStoringAsync(CancellationToken stop)
    {
        // Writes in flight, oldest first: their messages are acknowledged strictly in this order.
        var inFlight = new Queue<Write>(_writesInFlight);
        try
        {
            while (true)
            {
                if (inFlight.Count == 0 && !await _queue.Reader.WaitToReadAsync(stop).ConfigureAwait(false)) break;
                if (TakeBatch() is { } batch)
                    inFlight.Enqueue(new Write(batch, _pipeline.StoreAsync([.. batch.Select(r => r.Message)], stop)));
                // Finish the oldest write when the pipe is full, or when nothing new has arrived to
                // start another one (a lone message is then acknowledged as soon as it is stored).
                if (inFlight.Count >= _writesInFlight || (inFlight.Count > 0 && !await ArrivesBeforeAsync(inFlight.Peek().Stored, stop)))
                    await FinishAsync(inFlight.Dequeue(), stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: whatever is not acknowledged is delivered again to the next session.
        }
        finally
        {
            await AbandonAsync(inFlight).ConfigureAwait(false);
        }
    }

    List<Received>? TakeBatch()
    {
        List<Received>? batch = null;
        while ((batch?.Count ?? 0) < MaxBatch && _queue.Reader.TryRead(out var received))
        {
            if (received.Withdrawn.IsCancellationRequested) _slots.Release();
            else (batch ??= new List<Received>(64)).Add(received);
        }
        return batch;
    }

    /// <summary>True when a message arrives before <paramref name="stored"/> completes.</summary>
    async Task<bool> ArrivesBeforeAsync(Task<StoredBatch> stored, CancellationToken stop)
    {
        if (stored.IsCompleted) return false;
        // (A single-reader channel cannot count; waiting to read completes at once when something is there.)
        var arrival = _queue.Reader.WaitToReadAsync(stop).AsTask();
        return await Task.WhenAny(stored, arrival).ConfigureAwait(false) == arrival && await arrival.ConfigureAwait(false);
    }

    async Task FinishAsync(Write write, CancellationToken stop)
    {
        var stored = await write.Stored.ConfigureAwait(false);
        foreach (var received in write.Messages) await AcknowledgeAsync(received, stop).ConfigureAwait(false);
        if (stored.Count > 0) await _stored.Writer.WriteAsync(stored, stop).ConfigureAwait(false);
    }

    /// <summary>On the way out: writes still running are let finish unacknowledged (the broker resends them).</summary>
    async Task AbandonAsync(Queue<Write> inFlight)
    {
        foreach (var write in inFlight)
        {
            try { await write.Stored.ConfigureAwait(false); }
            catch (Exception ex) when (ex is not OperationCanceledException) { _log.InFlightWriteFailed(ex); }
            catch (OperationCanceledException) { }
            _slots.Release(write.Messages.Count);
        }
    }

    /// <summary>The coaching loop, until <paramref name="stop"/>; a batch whose coaching throws is not taken again.</summary>
    public async Task RunCoachingAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var batch in _stored.Reader.ReadAllAsync(stop).ConfigureAwait(false))
                await _pipeline.CompleteAsync(batch, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stored and acknowledged already; a restarted server's coaches pick up from the store.
        }
    }

    async Task AcknowledgeAsync(Received received, CancellationToken stop)
    {
        try
        {
            await received.Acknowledge(stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection it came on is gone: the broker delivers it again, and storing twice is harmless.
            _log.AcknowledgeFailed(ex, received.Message.Topic);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>After its loops have stopped: a sender still waiting for room gives up.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    readonly record struct Received(InboundMessage Message, Func<CancellationToken, Task> Acknowledge, CancellationToken Withdrawn);

    readonly record struct Write(List<Received> Messages, Task<StoredBatch> Stored);
}
