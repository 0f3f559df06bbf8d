using System.Numerics;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// Forward flexion in the trunk's own sagittal plane: the tilt of "up" seen from the trunk,
/// turned back by the trunk's twist. A hunch of 23° turned 40° to the left tilts "up" toward the
/// trunk's right-back (pitch 18°, roll 14.5°); turned back by 40° it is 23° forward again.
/// <para>
/// The twist is used only as far as the tilt agrees with it. A trunk bent forward in its twisted
/// plane tilts in the direction of its twist (azimuth = twist); a sideways lean tilts at about
/// 90°, further than any twist goes (±<see cref="TwistEstimator.MaxTwistDeg"/>). Within
/// <see cref="AgreeDeg"/> of the twist, all of it is used; beyond <see cref="DisagreeDeg"/>, none
/// (flexion is the pitch). So a wrong twist never turns a lean on an armrest into a hunch; at worst
/// it makes a twisted hunch read as its pitch.
/// </para>
/// </summary>
public static class TwistedFlexion
{
    public const double AgreeDeg = 15, DisagreeDeg = 30;
    // Below this tilt its direction is sway, not posture.
    const double MinTiltDeg = 3;
    const double DegToRad = Math.PI / 180, RadToDeg = 180 / Math.PI;

    /// <param name="upInTrunk">"Up" in the trunk's axes (after the mounting correction), any length.</param>
    /// <param name="twistDeg">The trunk's twist, positive to the left.</param>
    public static double Degrees(Vector3 upInTrunk, double twistDeg)
    {
        var length = upInTrunk.Length();
        if (!(length > 0)) return double.NaN;
        double x = upInTrunk.X / length, y = upInTrunk.Y / length, z = upInTrunk.Z / length;
        var tilt = Math.Acos(Math.Clamp(x, -1, 1)) * RadToDeg;
        var used = tilt < MinTiltDeg ? 0 : twistDeg * Agreement(Math.Atan2(y, z) * RadToDeg, twistDeg);
        var t = used * DegToRad;
        return Math.Atan2(y * Math.Sin(t) + z * Math.Cos(t), x) * RadToDeg;
    }

    /// <summary>1 when the tilt's direction is within <see cref="AgreeDeg"/> of the twist, 0 beyond <see cref="DisagreeDeg"/>.</summary>
    static double Agreement(double azimuthDeg, double twistDeg)
    {
        var apart = Math.Abs(Math.IEEERemainder(azimuthDeg - twistDeg, 360));
        return Math.Clamp((DisagreeDeg - apart) / (DisagreeDeg - AgreeDeg), 0, 1);
    }
}
