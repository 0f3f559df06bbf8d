using PostureSense.Core.Posture;

namespace PostureSense.Core.Contract;

/// <summary><c>telemetry</c>: a batch of 1 to 60 one-second frames in time order.</summary>
public sealed record TelemetryBatch(int V, long Seq, IReadOnlyList<PostureFrame> Frames);

/// <summary><c>cmd</c>: what the server asks a device to do.</summary>
public sealed record DeviceCommand(
    int V, string Id, string Type, long Ts,
    string? Reason = null, string? Exercise = null, string? Pattern = null)
{
    public static class Types
    {
        public const string Stretch = "stretch";
        public const string Vibrate = "vibrate";
        public const string Calibrate = "calibrate";
    }
}

/// <summary><c>ack</c>: what became of a command.</summary>
/// <param name="Exercise">For a stretch the device watched: the catalog id of the exercise.</param>
/// <param name="Reps">Repetitions the device counted (Cat-Cow cycles, Superman lifts).</param>
/// <param name="HoldsS">Each hold the device timed, in seconds, in the order held (Thread the Needle sides, Superman lifts).</param>
public sealed record CommandAck(int V, string Id, string Status, long Ts,
    string? Exercise = null, int? Reps = null, IReadOnlyList<double>? HoldsS = null)
{
    public static class Statuses
    {
        public const string Received = "received";
        public const string Done = "done";
        public const string Dismissed = "dismissed";
    }
}

/// <summary><c>status</c> (retained): online state; with <c>Online=false</c> also the device's will message.</summary>
/// <param name="Outbox">Telemetry batches the device holds that the broker has not acknowledged yet.</param>
/// <param name="Dropped">Batches the device discarded since it started because its outbox was full (a gap in <c>seq</c>).</param>
/// <param name="Sensor">The IMU's health: <c>ok</c>, <c>bus-error</c>, <c>stuck</c> or <c>wrong-chip</c>; no frames while not ok.</param>
/// <param name="ConfigTs">The <c>ts</c> of the <c>config</c> the device is using; absent while it uses its defaults.</param>
public sealed record DeviceStatus(int V, bool Online, string? Fw = null, bool? Calibrated = null, long? Ts = null,
    long? Outbox = null, long? Dropped = null, string? Sensor = null, long? ConfigTs = null);
