using System.Diagnostics.Metrics;

namespace PostureSense.Server.Metrics;

/// <summary>
/// The server's instruments, on one meter named <see cref="MeterName"/>: what ingestion stored and
/// refused, how many messages wait, prompts, acks, refused alerts and connected
/// devices (the store times its own writes: StoreMetrics, same meter). Exported in Prometheus format at <c>/metrics</c> on the management address.
/// </summary>
public sealed class PostureMetrics : IDisposable
{
    public const string MeterName = "PostureSense";

    readonly Meter _meter;
    readonly Counter<long> _framesStored;
    readonly Counter<long> _accepted;
    readonly Counter<long> _rejected;
    readonly Counter<long> _framesRejected;
    readonly Counter<long> _failures;
    readonly Counter<long> _prompts;
    readonly Counter<long> _acks;
    readonly Counter<long> _alertsRefused;
    readonly Counter<long> _sessionsLost;
    readonly Counter<long> _deadLettered;

    /// <param name="meters">The host's meter factory; none makes a meter of its own (a store or test used alone).</param>
    public PostureMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _framesStored = _meter.CreateCounter<long>("posturesense.frames.stored", "{frame}", "Posture frames written to the store");
        _accepted = _meter.CreateCounter<long>("posturesense.messages.accepted", "{message}", "Messages ingested, by kind (telemetry, status, ack)");
        _rejected = _meter.CreateCounter<long>("posturesense.messages.rejected", "{message}", "Messages refused, by reason");
        _framesRejected = _meter.CreateCounter<long>("posturesense.frames.rejected", "{frame}", "Frames left out of otherwise stored batches, by reason");
        _failures = _meter.CreateCounter<long>("posturesense.failures", "{failure}", "Failures on the server's side (store, publish), by reason");
        _prompts = _meter.CreateCounter<long>("posturesense.prompts.sent", "{prompt}", "Stretch prompts sent to devices");
        _acks = _meter.CreateCounter<long>("posturesense.acks.received", "{ack}", "Command acks stored");
        _alertsRefused = _meter.CreateCounter<long>("posturesense.alerts.refused", "{alert}",
            "Alert URLs refused when saved or sent, and deliveries refused by a wearer's limits, by stage and reason");
        _sessionsLost = _meter.CreateCounter<long>("posturesense.mqtt.sessions_lost", "{session}",
            "Reconnects on which the broker no longer had the server's session: what devices sent meanwhile is lost");
        _meter.CreateObservableGauge("posturesense.queue.depth", () => QueueDepth?.Invoke() ?? 0, "{message}",
            "Messages taken from the broker and not yet acknowledged");
        _deadLettered = _meter.CreateCounter<long>("posturesense.store.dead_letters", "{message}",
            "Messages the store refused for good and kept as dead letters instead of retrying, by reason");
        _meter.CreateObservableGauge("posturesense.store.dead_letters.kept", () => DeadLettersKept?.Invoke() ?? 0, "{message}",
            "Dead letters kept now (the file is bounded: the oldest go first)");
        _meter.CreateObservableGauge("posturesense.devices.connected", () => ConnectedDevices?.Invoke() ?? 0, "{device}",
            "Devices whose last status said online");
        _meter.CreateObservableGauge("posturesense.devices.held", () => HeldDevices?.Invoke() ?? 0, "{device}",
            "Devices whose coach the server holds in memory; idle ones are let go after --device-idle");
    }

    /// <summary>Read when the gauge is collected; set by whoever owns the queue.</summary>
    public Func<int>? QueueDepth { get; set; }

    /// <summary>Read when the gauge is collected.</summary>
    public Func<int>? ConnectedDevices { get; set; }

    /// <summary>Read when the gauge is collected; set by whoever owns the dead letters.</summary>
    public Func<long>? DeadLettersKept { get; set; }

    /// <summary>Read when the gauge is collected; set by the coaching service.</summary>
    public Func<int>? HeldDevices { get; set; }

    public void FramesStored(int count) => _framesStored.Add(count);
    public void Accepted(string kind) => _accepted.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void FrameRejected(string reason) => _framesRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void PromptSent() => _prompts.Add(1);
    public void AckReceived() => _acks.Add(1);
    public void SessionLost() => _sessionsLost.Add(1);

    /// <param name="stage">save (the settings refused it), send (a delivery refused or stopped).</param>
    public void AlertRefused(string stage, string reason) =>
        _alertsRefused.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("reason", reason));
    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
