using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>The trunk at one instant while a segment's motions are applied to it.</summary>
internal struct Pose
{
    public double PitchDeg;
    public double RollDeg;
    /// <summary>Turned about the trunk's long axis, positive to the left.</summary>
    public double TwistDeg;
    /// <summary>Which way the whole body faces about the vertical, positive to the left (turns, a swivel chair).</summary>
    public double HeadingDeg;
    /// <summary>Linear acceleration in the wearer's frame (X the way they face, Y left, Z up), gravity excluded, g.</summary>
    public Vector3 AccelG;
}

/// <summary>
/// One kind of movement a segment adds on top of its posture: sway, gait, fidgets, a stretch.
/// Pure functions of time, fixed at construction from the scenario's seed, so a run repeats exactly.
/// </summary>
internal interface IMotion
{
    /// <param name="into">Seconds into the segment.</param>
    /// <param name="t">Seconds since the scenario started (for rhythms that carry on across segments).</param>
    void Apply(double into, double t, ref Pose pose);
}

internal static class Ease
{
    /// <summary>0 to 1 with zero slope at both ends, as a body starts and stops a movement.</summary>
    public static double Smooth(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x * x * (3 - 2 * x);
    }

    /// <summary>Up over <paramref name="rise"/> s from <paramref name="start"/>, held, down over <paramref name="fall"/> s ending at <paramref name="end"/>.</summary>
    public static double Plateau(double x, double start, double rise, double end, double fall)
    {
        if (x <= start || x >= end) return 0;
        return Math.Min(Smooth((x - start) / rise), Smooth((end - x) / fall));
    }
}
