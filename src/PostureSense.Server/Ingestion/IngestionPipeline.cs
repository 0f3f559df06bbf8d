using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Server.Clocks;
using PostureSense.Server.Cluster;
using PostureSense.Server.Coaching;
using PostureSense.Storage;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// What happens to received messages: validate each with the wire contract, store a whole batch
/// of them in one write, then coach on each in arrival order. Invalid input is logged and counted
/// by reason, never thrown: the caller acknowledges it either way so the broker does not
/// redeliver it forever. Valid input is acknowledged only after its batch is stored.
/// </summary>
/// <param name="cluster">
/// In a cluster of nodes: each stored telemetry batch goes to its device's grain, which coaches the
/// device's batches from every node as one stream; null: this server's own coaches.
/// </param>
/// <param name="clocks">Learns each device's clock offset from the telemetry that comes in; an ack's time is stored on our clock with it.</param>
public sealed class IngestionPipeline(
    IPostureStore store, CoachingService coaching, IngestionStats stats, TimeProvider clock, ILogger<IngestionPipeline> log,
    GrainHandoff? cluster = null, DeviceClocks? clocks = null)
{
    readonly DeviceClocks _clocks = clocks ?? new DeviceClocks();

    static readonly string[] Suffixes = [Topics.Telemetry, Topics.Status, Topics.Ack];

    public static readonly IReadOnlyList<string> Subscriptions = SubscriptionsFor(null);

    /// <summary>
    /// The topic filters to ingest; with a share group, through <c>$share/GROUP/</c> so that
    /// several servers split the devices' messages between them.
    /// </summary>
    public static IReadOnlyList<string> SubscriptionsFor(string? shareGroup) =>
        [.. Suffixes.Select(s => shareGroup is null ? Topics.AllDevices(s) : $"$share/{shareGroup}/{Topics.AllDevices(s)}")];

    /// <summary>Raised after an ack was stored. Handlers must not block.</summary>
    public event Action<DeviceId, CommandAck>? AckReceived;

    /// <summary>Raised after a batch of frames was stored: the device, its first and last frame's ts. Handlers must not block.</summary>
    public event Action<DeviceId, long, long>? FramesStored;

    /// <summary>
    /// Validates every message and stores all that are valid in one write. When it returns the
    /// messages may be acknowledged; it throws only when cancelled (then none may be).
    /// </summary>
    public async Task<StoredBatch> StoreAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var valid = new List<ValidMessage>(messages.Count);
        foreach (var message in messages)
            if (Validate(message.Topic, message.Payload.Span, now) is { } ok) valid.Add(ok);

        var writes = valid.Where(v => v.Write is not null).Select(v => v.Write!).ToList();
        if (writes.Count > 0) await store.WriteBatchAsync(writes, cancellationToken);
        return new StoredBatch(valid, now);
    }

    /// <summary>Devices completed at once: each may be reading its history back from the store.</summary>
    public const int DevicesAtOnce = 16;

    /// <summary>
    /// What follows the write: counting, coaching, prompts, events. Each device's messages in
    /// arrival order; different devices side by side, since a device's first message restores its
    /// coach from the store, and a fleet coming back after a restart must not wait for thousands
    /// of such reads one after another. Never throws but when cancelled.
    /// </summary>
    public async Task CompleteAsync(StoredBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Messages.Count == 1)
        {
            await CompleteOrCountAsync(batch.Messages[0], batch.StoredAt, cancellationToken);
            return;
        }
        await Parallel.ForEachAsync(batch.Messages.GroupBy(m => m.DeviceId),
            new ParallelOptions { MaxDegreeOfParallelism = DevicesAtOnce, CancellationToken = cancellationToken },
            async (device, ct) =>
            {
                foreach (var message in device) await CompleteOrCountAsync(message, batch.StoredAt, ct);
            });
    }

    async Task CompleteOrCountAsync(ValidMessage message, DateTimeOffset storedAt, CancellationToken cancellationToken)
    {
        try
        {
            await CompleteAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stored already: a fault after the write must not make the broker redeliver it forever.
            stats.Fail(RejectionReasons.InternalError, ex.Message, message.Topic, storedAt.ToUnixTimeMilliseconds());
            log.ProcessingAfterStoreFailed(ex, message.Topic);
        }
    }

    ValidMessage? Validate(string topic, ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        if (!Topics.TryParse(topic, out var deviceId, out var suffix))
            return Reject(RejectionReasons.UnknownTopic, "not posturesense/v1/{valid device id}/{suffix}", topic, now);
        switch (suffix)
        {
            case Topics.Telemetry:
                var telemetry = WireFormat.ParseTelemetry(bytes, now);
                if (!telemetry.Ok) return Reject(RejectionReasons.Classify(telemetry.Error!), telemetry.Error!, topic, now);
                DropRejectedFrames(deviceId, topic, telemetry.Value!, now);
                if (telemetry.Value!.Batch.Frames is { Count: > 0 } frames) _clocks.Observe(deviceId, now, frames[^1].Ts);
                return new ValidMessage(topic, deviceId, suffix, new FramesWrite(deviceId, telemetry.Value!.Batch.Frames), telemetry.Value, null);
            case Topics.Status when bytes.IsEmpty:
                // An empty retained message is how a broker user clears a device's retained status.
                return new ValidMessage(topic, deviceId, "status-cleared", null, null, null);
            case Topics.Status:
                var status = WireFormat.ParseStatus(bytes, now);
                if (!status.Ok) return Reject(RejectionReasons.Classify(status.Error!, RejectionReasons.InvalidStatus), status.Error!, topic, now);
                return new ValidMessage(topic, deviceId, suffix, new StatusWrite(deviceId, status.Value!, now.ToUnixTimeMilliseconds()), null, status.Value);
            case Topics.Ack:
                var ack = WireFormat.ParseAck(bytes, now);
                if (!ack.Ok) return Reject(RejectionReasons.Classify(ack.Error!, RejectionReasons.InvalidAck), ack.Error!, topic, now);
                var a = ack.Value!;
                // On our clock, beside the prompt it answers: a slow device's "done" would otherwise
                // sit minutes before its prompt, and a look for acks since the prompt would miss it.
                // Not the arrival: a redelivered ack then gets the same time and stays one point.
                var ackTs = _clocks.ToOurTime(deviceId, a.Ts);
                return new ValidMessage(topic, deviceId, suffix, new AckWrite(new AckRecord(deviceId, a.Id, a.Status, ackTs, a.Exercise, a.Reps, a.HoldsS)), null, a);
            default:
                return Reject(RejectionReasons.UnknownTopic, $"'{suffix}' is not a topic the server ingests", topic, now);
        }
    }

    async Task CompleteAsync(ValidMessage message, CancellationToken cancellationToken)
    {
        var deviceId = message.DeviceId;
        switch (message.Payload)
        {
            case ValidatedTelemetry telemetry:
                var frames = telemetry.Batch.Frames;
                stats.FramesWritten(frames.Count);
                stats.Accept(Topics.Telemetry);
                if (frames.Count > 0) Raise(FramesStored, deviceId, frames[0].Ts, frames[^1].Ts);
                // Even an empty batch: its seq tells the grain that no batch is missing there.
                if (cluster is not null) await cluster.HandOverAsync(deviceId, telemetry.Batch, cancellationToken);
                else if (frames.Count > 0) await coaching.OnFramesStoredAsync(deviceId, frames, cancellationToken);
                else await coaching.CoachForAsync(deviceId, cancellationToken);
                break;
            case DeviceStatus status:
                await ReadyCoachAsync(deviceId, cancellationToken);
                stats.Accept(Topics.Status);
                stats.DeviceStatus(deviceId, status.Online);
                log.DeviceState(deviceId, status.Online ? "online" : "offline");
                break;
            case CommandAck ack:
                await ReadyCoachAsync(deviceId, cancellationToken);
                log.DeviceAcked(deviceId, ack.Id, ack.Status);
                RaiseAck(deviceId, ack);
                // Counted last: whoever waits for a message to be processed sees what it caused.
                stats.Accept(Topics.Ack);
                break;
            default:
                stats.Accept(message.Kind);
                break;
        }
    }

    /// <summary>
    /// A device that speaks up gets its coach ready (restored from the store) before its frames come.
    /// In a cluster the grain restores itself on its first batch, on whichever node it lives.
    /// </summary>
    async Task ReadyCoachAsync(DeviceId deviceId, CancellationToken cancellationToken)
    {
        if (cluster is null) await coaching.CoachForAsync(deviceId, cancellationToken);
    }

    void DropRejectedFrames(DeviceId deviceId, string topic, ValidatedTelemetry telemetry, DateTimeOffset now)
    {
        foreach (var rejected in telemetry.Rejected)
        {
            stats.RejectFrame(RejectionReasons.Classify(rejected.Reason), rejected.Reason, topic, now.ToUnixTimeMilliseconds());
            log.DroppedFrame(rejected.Index, rejected.Ts, telemetry.Batch.Seq, deviceId, rejected.Reason);
        }
    }

    ValidMessage? Reject(string reason, string detail, string topic, DateTimeOffset now)
    {
        stats.Reject(reason, detail, topic, now.ToUnixTimeMilliseconds());
        log.Rejected(topic, reason, detail);
        return null;
    }

    void Raise(Action<DeviceId, long, long>? handler, DeviceId deviceId, long fromTs, long toTs)
    {
        try
        {
            handler?.Invoke(deviceId, fromTs, toTs);
        }
        catch (Exception ex)
        {
            log.FramesStoredHandlerFailed(ex);
        }
    }

    void RaiseAck(DeviceId deviceId, CommandAck ack)
    {
        try
        {
            AckReceived?.Invoke(deviceId, ack);
        }
        catch (Exception ex)
        {
            log.AckReceivedHandlerFailed(ex);
        }
    }

    /// <summary>A message that passed validation: what to store, and what it was.</summary>
    /// <param name="Kind">The topic suffix, or a finer kind such as <c>status-cleared</c>.</param>
    internal sealed record ValidMessage(string Topic, DeviceId DeviceId, string Kind, StoreWrite? Write, ValidatedTelemetry? Telemetry, object? Parsed)
    {
        public object? Payload => (object?)Telemetry ?? Parsed;
    }
}

/// <summary>Messages of one write, stored: what <see cref="IngestionPipeline.CompleteAsync(StoredBatch, CancellationToken)"/> works through.</summary>
public sealed class StoredBatch
{
    internal StoredBatch(IReadOnlyList<IngestionPipeline.ValidMessage> messages, DateTimeOffset storedAt)
    {
        Messages = messages;
        StoredAt = storedAt;
    }

    internal IReadOnlyList<IngestionPipeline.ValidMessage> Messages { get; }
    public DateTimeOffset StoredAt { get; }
    public int Count => Messages.Count;
}

/// <summary>A message as received from the broker: its topic and a copy of its payload.</summary>
public sealed record InboundMessage(string Topic, ReadOnlyMemory<byte> Payload);
