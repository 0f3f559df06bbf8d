using PostureSense.Core.Contract;
using PostureSense.Server.Metrics;

namespace PostureSense.TestSupport.Fuzzing;

/// <summary>What the server must make of one message, worked out from the contract alone.</summary>
/// <param name="Received">False when the server's subscriptions do not cover the topic: the broker never hands it over.</param>
/// <param name="Rejected">The reason key it must be counted under, or null when it is accepted.</param>
/// <param name="Kind">What it is counted as when accepted (telemetry, status, status-cleared, ack).</param>
/// <param name="FrameRejections">Reason keys of frames left out of an accepted batch.</param>
public sealed record Verdict(bool Received, string? Rejected, string? Kind, IReadOnlyList<string> FrameRejections)
{
    static readonly Verdict NotReceived = new(false, null, null, []);
    static readonly string[] Ingested = [Topics.Telemetry, Topics.Status, Topics.Ack];

    /// <summary>
    /// The verdict from the topic and <see cref="WireFormat"/>'s parse at <paramref name="now"/>.
    /// This is the contract's own validator: what it checks here is that the running server (broker,
    /// queue, workers, store, counters) reaches that same verdict for every message and counts it.
    /// </summary>
    public static Verdict For(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        var levels = topic.Split('/');
        // The server subscribes to posturesense/v1/+/{telemetry,status,ack}: exactly four levels.
        if (levels is not ["posturesense", "v1", _, var suffix] || !Ingested.Contains(suffix)) return NotReceived;
        if (!Topics.TryParse(topic, out _, out _)) return Reject(RejectionReasons.UnknownTopic);
        switch (suffix)
        {
            case Topics.Telemetry:
                var telemetry = WireFormat.ParseTelemetry(payload, now);
                return telemetry.Ok
                    ? new(true, null, Topics.Telemetry, [.. telemetry.Value!.Rejected.Select(r => RejectionReasons.Classify(r.Reason))])
                    : Reject(RejectionReasons.Classify(telemetry.Error!));
            case Topics.Status when payload.IsEmpty:
                return new(true, null, "status-cleared", []);
            case Topics.Status:
                var status = WireFormat.ParseStatus(payload, now);
                return status.Ok ? new(true, null, Topics.Status, []) : Reject(RejectionReasons.Classify(status.Error!, RejectionReasons.InvalidStatus));
            default:
                var ack = WireFormat.ParseAck(payload, now);
                return ack.Ok ? new(true, null, Topics.Ack, []) : Reject(RejectionReasons.Classify(ack.Error!, RejectionReasons.InvalidAck));
        }
    }

    static Verdict Reject(string reason) => new(true, reason, null, []);
}

/// <summary>The counts a whole plan must leave on the server.</summary>
public sealed class ExpectedCounts
{
    public long Sent { get; private set; }
    public long Received { get; private set; }
    public Dictionary<string, long> Rejected { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> Accepted { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> FramesRejected { get; } = new(StringComparer.Ordinal);
    public long RejectedTotal => Rejected.Values.Sum();
    /// <summary>Messages whose class intended a reason the contract did not give, with what it gave instead.</summary>
    public List<string> Misclassified { get; } = [];

    /// <summary>Adds what the server must make of <paramref name="message"/>. Not thread-safe: one producer counts.</summary>
    public void Count(FuzzMessage message, DateTimeOffset now)
    {
        Sent++;
        var verdict = Verdict.For(message.Topic, message.Payload, now);
        // What a topic the server never receives would have been refused for does not matter.
        if (message.Intended is { } intended && verdict.Received && verdict.Rejected != intended && Misclassified.Count < 50)
            Misclassified.Add($"#{message.Index} {message.Class} on {message.Topic}: meant {intended}, contract says {verdict.Rejected ?? "accepted"}");
        if (!verdict.Received) return;
        Received++;
        if (verdict.Rejected is { } reason) Add(Rejected, reason);
        else Add(Accepted, verdict.Kind!);
        foreach (var frame in verdict.FrameRejections) Add(FramesRejected, frame);
    }

    static void Add(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
