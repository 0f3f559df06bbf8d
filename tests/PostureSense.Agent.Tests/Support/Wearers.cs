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
