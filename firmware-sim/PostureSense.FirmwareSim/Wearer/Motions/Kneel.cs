using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// The way down to the floor: kneeling lowers the whole body (the upper back about 0.45 m) over
/// the first part of the ramp, while the trunk has only begun to lean; the hands go down after.
/// The drop is what tells the device a wearer on the floor from one folded forward in a chair,
/// whose trunk tips as far without the body going down first.
/// </summary>
internal sealed class Kneel(double rampSeconds) : IMotion
{
    public const double DropM = 0.45;
    const double StandardGravity = 9.80665;
    /// <summary>Kneeling takes about 1.6 s; a hurried ramp hurries it too, so the tip still comes after.</summary>
    readonly double _seconds = Math.Min(1.6, 0.3 * rampSeconds);

    public void Apply(double into, double t, ref Pose pose)
    {
        if (into <= 0 || into >= _seconds) return;
        // Height follows the smooth ease down by DropM; this is its second derivative.
        var u = into / _seconds;
        var accel = -DropM * (6 - 12 * u) / (_seconds * _seconds);
        pose.AccelG += new Vector3(0, 0, (float)(accel / StandardGravity));
    }
}
