using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer;

/// <summary>What the wearer's upper back is doing at one instant.</summary>
/// <param name="PitchDeg">Trunk flexion, forward positive (the <see cref="Core.Posture.TrunkTilt"/> convention).</param>
/// <param name="RollDeg">Sideways lean, right positive.</param>
/// <param name="LinearAccelG">Acceleration of the trunk in the wearer's frame (X the way they face, level; Y left; Z up), gravity excluded, in g.</param>
/// <param name="Walking">Whether the wearer is walking.</param>
/// <param name="Label">Ground-truth label of the current activity ("upright", "hunch", "walking"...), if known.</param>
/// <param name="TwistDeg">
/// The upper trunk turned about its own long axis (to a side monitor, say), positive to the
/// wearer's left, after the flexion and lean: flexion stays the true forward bend, in the twisted
/// trunk's own plane, while the board's pitch reads less of it.
/// </param>
/// <param name="HeadingDeg">
/// Which way the whole wearer faces, about the vertical, positive to the left: a turn while
/// walking, a swivel of the chair. Gravity is the same whichever way one faces, so only the gyro
/// sees it turn; <paramref name="LinearAccelG"/> stays in the wearer's own frame (X where they face).
/// </param>
public readonly record struct WearerState(double PitchDeg, double RollDeg, Vector3 LinearAccelG, bool Walking, string? Label = null, double TwistDeg = 0, double HeadingDeg = 0);

/// <summary>A wearer whose posture is a function of time since the simulation started.</summary>
public interface IWearerModel
{
    WearerState At(TimeSpan sinceStart);
}
