using System.Buffers;
using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Server.Coaching;
using PostureSense.Server.Storage;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// What happens to one received message: validate it with the wire contract, store it, coach on
/// it. Invalid input is logged and counted by reason, never thrown: the caller acknowledges it
/// either way so the broker does not redeliver it forever.
/// </summary>
public sealed class IngestionPipeline(
    IPostureStore store, CoachingService coaching, IngestionStats stats, TimeProvider clock, ILogger<IngestionPipeline> log)
{
    public static readonly string[] Subscriptions =
        [Topics.AllDevices(Topics.Telemetry), Topics.AllDevices(Topics.Status), Topics.AllDevices(Topics.Ack)];

    /// <summary>Raised after an ack was stored. Handlers must not block.</summary>
    public event Action<string, CommandAck>? AckReceived;

    /// <summary>Returns once the message is stored (or rejected); throws only when cancelled.</summary>
    public async Task HandleAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!Topics.TryParse(topic, out var deviceId, out var suffix))
        {
            Reject(RejectionReasons.UnknownTopic, "not posturesense/v1/{valid device id}/{suffix}", topic, now);
            return;
        }
        // Most payloads arrive in one segment; only a fragmented one is copied.
        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        switch (suffix)
        {
            case Topics.Telemetry:
                var telemetry = WireFormat.ParseTelemetry(bytes, now);
                if (!telemetry.Ok) { Reject(RejectionReasons.Classify(telemetry.Error!), telemetry.Error!, topic, now); return; }
                await StoreTelemetryAsync(deviceId, topic, telemetry.Value!, now, cancellationToken);
                break;
            case Topics.Status when bytes.IsEmpty:
                // An empty retained message is how a broker user clears a device's retained status.
                stats.Accept("status-cleared");
                break;
            case Topics.Status:
                var status = WireFormat.ParseStatus(bytes);
                if (!status.Ok) { Reject(RejectionReasons.Classify(status.Error!, RejectionReasons.InvalidStatus), status.Error!, topic, now); return; }
                await coaching.CoachForAsync(deviceId, cancellationToken);
                await store.WriteStatusAsync(deviceId, status.Value!, now.ToUnixTimeMilliseconds(), cancellationToken);
                stats.Accept(Topics.Status);
                log.LogInformation("Device {DeviceId} is {State}", deviceId, status.Value!.Online ? "online" : "offline");
                break;
            case Topics.Ack:
                var ack = WireFormat.ParseAck(bytes);
                if (!ack.Ok) { Reject(RejectionReasons.Classify(ack.Error!, RejectionReasons.InvalidAck), ack.Error!, topic, now); return; }
                await coaching.CoachForAsync(deviceId, cancellationToken);
                var a = ack.Value!;
                await store.WriteAckAsync(new AckRecord(deviceId, a.Id, a.Status, a.Ts), cancellationToken);
                stats.Accept(Topics.Ack);
                log.LogInformation("Device {DeviceId} acked {CommandId}: {Status}", deviceId, a.Id, a.Status);
                RaiseAck(deviceId, a);
                break;
            default:
                Reject(RejectionReasons.UnknownTopic, $"'{suffix}' is not a topic the server ingests", topic, now);
                break;
        }
    }

    async Task StoreTelemetryAsync(string deviceId, string topic, ValidatedTelemetry telemetry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var rejected in telemetry.Rejected)
        {
            stats.RejectFrame(RejectionReasons.Classify(rejected.Reason), rejected.Reason, topic, now.ToUnixTimeMilliseconds());
            log.LogWarning("Dropped frame {Index} (ts {Ts}) of batch {Seq} from {DeviceId}: {Reason}",
                rejected.Index, rejected.Ts, telemetry.Batch.Seq, deviceId, rejected.Reason);
        }
        var frames = telemetry.Batch.Frames;
        await store.WriteFramesAsync(deviceId, frames, cancellationToken);
        stats.FramesWritten(frames.Count);
        stats.Accept(Topics.Telemetry);

        try
        {
            if (frames.Count > 0) await coaching.OnFramesStoredAsync(deviceId, frames, cancellationToken);
            else await coaching.CoachForAsync(deviceId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The frames are stored; a coaching fault must not make the broker redeliver them forever.
            stats.Fail(RejectionReasons.InternalError, ex.Message, topic, now.ToUnixTimeMilliseconds());
            log.LogError(ex, "Coaching failed for {DeviceId} after storing batch {Seq}", deviceId, telemetry.Batch.Seq);
        }
    }

    void Reject(string reason, string detail, string topic, DateTimeOffset now)
    {
        stats.Reject(reason, detail, topic, now.ToUnixTimeMilliseconds());
        log.LogWarning("Rejected a message on {Topic} ({Reason}): {Detail}", topic, reason, detail);
    }

    void RaiseAck(string deviceId, CommandAck ack)
    {
        try
        {
            AckReceived?.Invoke(deviceId, ack);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "An AckReceived handler failed");
        }
    }
}
