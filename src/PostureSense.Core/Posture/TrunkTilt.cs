using System.Numerics;

namespace PostureSense.Core.Posture;

/// <summary>
/// The one convention between a trunk's pitch and roll and the direction of gravity as a sensor
/// on the upper back sees it. The board is mounted with +X toward the head, +Z away from the body
/// (so +Y points to the wearer's left). Upright, the accelerometer reads (1, 0, 0) g.
/// Pitch turns the trunk forward about the left-right axis, then roll tips it to the right:
/// up = (cos p · cos r, sin r, sin p · cos r).
/// </summary>
public static class TrunkTilt
{
    const double DegToRad = Math.PI / 180;
    const double RadToDeg = 180 / Math.PI;

    /// <summary>The unit "up" vector (what a still accelerometer reads, in g) for a trunk at this pitch and roll.</summary>
    public static Vector3 UpInSensor(double pitchDeg, double rollDeg)
    {
        double p = pitchDeg * DegToRad, r = rollDeg * DegToRad;
        return new Vector3((float)(Math.Cos(p) * Math.Cos(r)), (float)Math.Sin(r), (float)(Math.Sin(p) * Math.Cos(r)));
    }

    /// <summary>
    /// How far the trunk is from vertical, 0-180 degrees, whichever way it leans: the angle
    /// between the trunk's axis and "up", whose cosine is the X of <see cref="UpInSensor"/>.
    /// </summary>
    public static double FromVerticalDeg(double pitchDeg, double rollDeg) =>
        Math.Acos(Math.Clamp(Math.Cos(pitchDeg * DegToRad) * Math.Cos(rollDeg * DegToRad), -1, 1)) * RadToDeg;

    /// <summary>Pitch (forward +) and roll (right +) in degrees from an "up" vector of any length.</summary>
    public static (double PitchDeg, double RollDeg) FromUp(Vector3 up)
    {
        var length = up.Length();
        if (!(length > 0)) return (double.NaN, double.NaN);
        var roll = Math.Asin(Math.Clamp(up.Y / length, -1, 1)) * RadToDeg;
        var pitch = Math.Atan2(up.Z, up.X) * RadToDeg;
        return (pitch, roll);
    }
}
