using CsCheck;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.TestSupport.Fuzzing;

/// <summary>
/// Valid v1 messages drawn from the contract's own bounds (<see cref="ContractLimits"/>), the
/// material the mutations start from: a mutation of something valid reaches deeper into the
/// validator than random bytes do.
/// </summary>
public static class ContractGen
{
    /// <summary>Frames inside the contract's bounds, one second apart, ending at least a minute before <paramref name="now"/>.</summary>
    public static Gen<PostureFrame[]> Frames(DateTimeOffset now, int maxFrames = ContractLimits.MaxFramesPerBatch) =>
        Gen.Select(Gen.Int[1, maxFrames], Gen.Long[0, 7 * 24 * 3600], (count, secondsBack) => (count, secondsBack))
            .SelectMany((count, secondsBack) => Frame.Array[count].Select(frames =>
            {
                var start = (now.ToUnixTimeMilliseconds() / 1000 - 60 - count - secondsBack) * 1000;
                for (var i = 0; i < frames.Length; i++) frames[i] = frames[i] with { Ts = start + i * 1000L };
                return frames;
            }));

    static readonly Gen<PostureFrame> Frame = Gen.Select(
        Gen.Double[-ContractLimits.MaxAbsAngleDeg, ContractLimits.MaxAbsAngleDeg],
        Gen.Double[-ContractLimits.MaxAbsAngleDeg, ContractLimits.MaxAbsAngleDeg],
        Gen.Double[0, ContractLimits.MaxMotionG],
        Gen.Int[0, ContractLimits.MaxStepsPerFrame],
        (pitch, roll, motion, steps) => new PostureFrame(0, pitch, roll, motion, steps));

    public static Gen<TelemetryBatch> Telemetry(DateTimeOffset now) =>
        Gen.Select(Gen.Long[0, int.MaxValue], Frames(now), (seq, frames) => new TelemetryBatch(ContractLimits.Version, seq, frames));

    static readonly Gen<string> Text = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789.-_ äß€😀"], 0, 32];

    public static Gen<DeviceStatus> Status(DateTimeOffset now) =>
        Gen.Select(Gen.Bool, Text, Gen.Bool, Gen.Long[ContractLimits.MinPlausibleTs, now.ToUnixTimeMilliseconds()],
            Gen.Long[0, 100_000], Gen.Long[0, 1_000], Gen.OneOf(Gen.Const((string?)null), Gen.Const<string?>("mpu6050"), Gen.Const<string?>("simulated")),
            (online, fw, calibrated, ts, outbox, dropped, sensor) =>
                new DeviceStatus(ContractLimits.Version, online, fw, calibrated, ts, outbox, dropped, sensor, ts));

    static readonly Gen<string?> Exercise = Gen.OneOf(
        Gen.Const((string?)null), Gen.OneOf(ExerciseCatalog.All.Select(e => (string?)e.Id).ToArray()));

    public static Gen<CommandAck> Ack(DateTimeOffset now) =>
        Gen.Select(Gen.String[Gen.Char["abcdef0123456789-"], 1, 64], Gen.OneOf(CommandAck.Statuses.Received, CommandAck.Statuses.Done, CommandAck.Statuses.Dismissed),
            Gen.Long[now.ToUnixTimeMilliseconds() - 3_600_000, now.ToUnixTimeMilliseconds()], Exercise,
            Gen.Int[0, ContractLimits.MaxAckReps].Nullable(), Gen.Double[0, ContractLimits.MaxAckHoldSeconds].List[0, ContractLimits.MaxAckHolds],
            (id, status, ts, exercise, reps, holds) => new CommandAck(ContractLimits.Version, id, status, ts, exercise, reps, holds.Count == 0 ? null : holds));

    /// <summary>Commands go server to device; devices (or anyone) publishing them is noise the server never subscribes to.</summary>
    public static Gen<DeviceCommand> Command(DateTimeOffset now) =>
        Gen.Select(Gen.String[Gen.Char["abcdef0123456789-"], 1, 64], Gen.OneOf(DeviceCommand.Types.Stretch, DeviceCommand.Types.Vibrate, DeviceCommand.Types.Calibrate),
            Exercise, (id, type, exercise) => new DeviceCommand(ContractLimits.Version, id, type, now.ToUnixTimeMilliseconds(), "hunch", exercise ?? "cat-cow", "double"));
}
