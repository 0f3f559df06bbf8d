using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer;

/// <summary>A wearer frozen in one posture: no sway, no motion. Handy where a test needs exact values.</summary>
public sealed class ConstantWearer(double pitchDeg, double rollDeg = 0) : IWearerModel
{
    public double PitchDeg { get; } = pitchDeg;
    public double RollDeg { get; } = rollDeg;

    public WearerState At(TimeSpan sinceStart) => new(PitchDeg, RollDeg, Vector3.Zero, Walking: false, Label: "constant");
}
