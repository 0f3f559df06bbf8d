using System.Numerics;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>Pitching forward at a steady rate from upright: a known gyro reading.</summary>
internal sealed class PitchingWearer(double degreesPerSecond) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart) => new(degreesPerSecond * sinceStart.TotalSeconds, 0, Vector3.Zero, false);
}

/// <summary>Upright, with a constant vertical acceleration on top of gravity.</summary>
internal sealed class AcceleratingWearer(double verticalG) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart) => new(0, 0, new Vector3(0, 0, (float)verticalG), false);
}

/// <summary>Held at a flexion and turning about the trunk's long axis at a steady rate: a known yaw rate.</summary>
internal sealed class TwistingWearer(double flexionDeg, double degreesPerSecond) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart) => new(flexionDeg, 0, Vector3.Zero, false, TwistDeg: degreesPerSecond * sinceStart.TotalSeconds);
}
