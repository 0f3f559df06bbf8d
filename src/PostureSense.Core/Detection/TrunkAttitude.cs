using PostureSense.Core.Posture;

namespace PostureSense.Core.Detection;

/// <summary>
/// The trunk near horizontal: lying down, on hands and knees for the floor stretches, bent down
/// to pick something up. Pitch there is 60-110° relative to upright (or the roll is), far past
/// any hunch at a desk, so such a frame is neither a hunch nor sitting: the detectors and the
/// edge nudge leave it alone, and a stretch session on the floor breaks a sitting bout as a
/// walk does.
/// </summary>
public static class TrunkAttitude
{
    /// <summary>
    /// Beyond this from vertical the trunk is "near horizontal". A slumped sitter's upper back
    /// stays under about 50°; lying and all fours are near 90°, a Superman lift about 65-75°.
    /// </summary>
    public const double NearHorizontalFromVerticalDeg = 60;

    public static bool IsNearHorizontal(double pitchDeg, double rollDeg) =>
        TrunkTilt.FromVerticalDeg(pitchDeg, rollDeg) > NearHorizontalFromVerticalDeg;

    public static bool IsNearHorizontal(in PostureFrame frame) => IsNearHorizontal(frame.Pitch, frame.Roll);
}
