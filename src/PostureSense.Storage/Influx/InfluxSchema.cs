using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage.Influx;

/// <summary>
/// What each record becomes in line protocol; the schema itself is described on <see cref="InfluxStore"/>.
/// A point's identity is (measurement, tags, time), so each record's time and tags are chosen to
/// match its identity in the SQLite store: writing it again replaces it.
/// </summary>
static class InfluxSchema
{
    public const string Posture = "posture";
    public const string Prompt = "prompt";
    public const string Ack = "ack";
    public const string Status = "status";
    public const string Device = "device";

    public static void AddFrames(InfluxPoints points, DeviceId deviceId, IReadOnlyList<PostureFrame> frames)
    {
        foreach (var f in frames)
        {
            points.Point(Posture).Tag("device", deviceId.Value)
                .Field("pitch", f.Pitch).Field("roll", f.Roll).Field("motion", f.Motion).Field("steps", (long)f.Steps);
            points.End(f.Ts);
        }
    }

    public static void AddPrompt(InfluxPoints points, PromptRecord prompt)
    {
        points.Point(Prompt).Tag("device", prompt.DeviceId.Value).Tag("reason", prompt.Reason.ToWire())
            .Field("command_id", prompt.CommandId).Field("exercise", prompt.ExerciseId).Field("pattern", prompt.Pattern)
            .Field("episode_start", prompt.EpisodeStartTs);
        points.End(prompt.Ts);
    }

    /// <summary>
    /// Adds an ack; the command id is a tag too, so two commands acked in the same millisecond stay
    /// two points. Returns false when the id cannot be a tag (a newline, a trailing backslash): the
    /// ack is then stored by (device, status, time) only, the id kept exactly in its field.
    /// </summary>
    public static bool AddAck(InfluxPoints points, AckRecord ack)
    {
        var tagged = LineProtocolWriter.IsRepresentable(ack.CommandId);
        var point = points.Point(Ack).Tag("device", ack.DeviceId.Value).Tag("status", ack.Status).Tag("command", tagged ? ack.CommandId : null)
            .Field("command_id", ack.CommandId);
        if (ack.Exercise is { } exercise) point.Field("exercise", exercise);
        if (ack.Reps is { } reps) point.Field("reps", (long)reps);
        if (ack.HoldsText is { } holds) point.Field("holds_s", holds);
        points.End(ack.Ts);
        return tagged;
    }

    public static void AddStatus(InfluxPoints points, DeviceId deviceId, DeviceStatus status, long receivedTs)
    {
        var point = points.Point(Status).Tag("device", deviceId.Value).Field("online", status.Online).Field("fw", status.Fw);
        if (status.Calibrated is { } calibrated) point.Field("calibrated", calibrated);
        if (status.Ts is { } ts) point.Field("status_ts", ts);
        points.End(receivedTs);
    }

    /// <summary>
    /// The device's first sighting, at time = first_seen: a later sighting is a later point in the
    /// same series, never an overwrite, so <c>first(first_seen)</c> is the earliest.
    /// </summary>
    public static void AddDevice(InfluxPoints points, DeviceId deviceId, long firstSeenTs)
    {
        points.Point(Device).Tag("device", deviceId.Value).Field("first_seen", firstSeenTs);
        points.End(firstSeenTs);
    }
}
