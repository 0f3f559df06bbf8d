using PostureSense.Server.Broker;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// Ingestion straight from the embedded broker's publish interception, which runs in the server's
/// own process: each publish goes into the <see cref="IngestionQueue"/> like one from the server's
/// MQTT client, and the interception waits until the queue acknowledges it, that is until its batch
/// is stored. Only then does the broker send the PUBACK. A subscription would instead have the
/// broker acknowledge first and queue the message for the server's client, and MQTTnet drops
/// what overflows that queue: acknowledged, then lost.
/// A device's connection handles one publish at a time while it waits, which slows a fast device
/// to the store's pace. A publish that cannot be taken is refused, never acknowledged unstored.
/// </summary>
/// <param name="holdLimit">
/// How long a publish waits for its store write before it is refused (null: <see cref="DefaultHoldLimit"/>).
/// Under a device's own PUBACK timeout, so that while the store is down a device hears a refusal it
/// can retry after, rather than a timeout with its connection stalled behind the first publish.
/// </param>
/// <param name="time">Times <paramref name="holdLimit"/>: real time, as the device's timeout runs on.</param>
public sealed class EmbeddedIntake(IngestionQueue queue, TimeSpan? holdLimit = null, TimeProvider? time = null) : IPublishIntake
{
    /// <summary>A device's PUBACK timeout is 10 s by default (MQTTnet's and the agent's).</summary>
    public static readonly TimeSpan DefaultHoldLimit = TimeSpan.FromSeconds(5);

    readonly TimeSpan _holdLimit = holdLimit ?? DefaultHoldLimit;
    readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<IntakeVerdict> TakeAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken abandon)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var withdrawn = new CancellationTokenSource();
        if (!queue.TryEnqueue(new InboundMessage(topic, payload), _ => Acknowledged(stored), withdrawn.Token)) return IntakeVerdict.Full;
        try
        {
            await stored.Task.WaitAsync(_holdLimit, _time, abandon).ConfigureAwait(false);
            return IntakeVerdict.Stored;
        }
        catch (TimeoutException)
        {
            // It may yet be stored; the device sends it again, and storing twice is harmless (a frame is its device and ts).
            await withdrawn.CancelAsync().ConfigureAwait(false);
            return IntakeVerdict.NotStoredInTime;
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            await withdrawn.CancelAsync().ConfigureAwait(false);
            return IntakeVerdict.Abandoned;
        }
    }

    static Task Acknowledged(TaskCompletionSource stored)
    {
        stored.TrySetResult();
        return Task.CompletedTask;
    }
}
