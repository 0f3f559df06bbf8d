using System.Numerics;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Support;

/// <summary>Upright for a while (for calibration), then eases into a posture and holds it.</summary>
sealed class SettlingWearer(double pitchDeg, double rollDeg, double uprightSeconds = 5, double rampSeconds = 2) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart)
    {
        var x = Math.Clamp((sinceStart.TotalSeconds - uprightSeconds) / rampSeconds, 0, 1);
        var ease = x * x * (3 - 2 * x);
        return new WearerState(pitchDeg * ease, rollDeg * ease, Vector3.Zero, Walking: false);
    }
}

/// <summary>Pitching forward at a constant rate: the gyro reads that rate about sensor +Y.</summary>
sealed class TurningWearer(double pitchRateDps) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart) => new(pitchRateDps * sinceStart.TotalSeconds, 0, Vector3.Zero, Walking: false);
}

/// <summary>
/// Upright for a while (for calibration), then through a list of postures, each eased into over
/// <c>rampSeconds</c> and held: a turn to a side monitor, a hunch, a lean, a turn back.
/// </summary>
sealed class PostureScript(params (double Seconds, double Pitch, double Roll, double Twist)[] steps) : IWearerModel
{
    public double UprightSeconds { get; init; } = 5;
    public double RampSeconds { get; init; } = 2;

    public WearerState At(TimeSpan sinceStart)
    {
        double pitch = 0, roll = 0, twist = 0, start = UprightSeconds;
        foreach (var (seconds, toPitch, toRoll, toTwist) in steps)
        {
            var x = Math.Clamp((sinceStart.TotalSeconds - start) / RampSeconds, 0, 1);
            var ease = x * x * (3 - 2 * x);
            pitch += (toPitch - pitch) * ease;
            roll += (toRoll - roll) * ease;
            twist += (toTwist - twist) * ease;
            start += seconds;
        }
        return new WearerState(pitch, roll, Vector3.Zero, Walking: false, TwistDeg: twist);
    }
}
