using System.Numerics;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Eval.Budget;

/// <summary>
/// A wearer who sits upright while the agent calibrates, then holds each pose in turn, perfectly
/// still: what is left in the measured angle is the board's error, not the wearer's motion.
/// </summary>
internal sealed class PoseSequence(TimeSpan upright, TimeSpan hold, IReadOnlyList<(double Pitch, double Roll)> poses) : IWearerModel
{
    public TimeSpan Duration => upright + hold * poses.Count;

    /// <summary>When pose <paramref name="index"/> starts.</summary>
    public TimeSpan StartOf(int index) => upright + hold * index;

    public WearerState At(TimeSpan sinceStart)
    {
        if (sinceStart < upright) return new WearerState(0, 0, Vector3.Zero, Walking: false, Label: "upright");
        var index = Math.Min(poses.Count - 1, (int)((sinceStart - upright) / hold));
        return new WearerState(poses[index].Pitch, poses[index].Roll, Vector3.Zero, Walking: false, Label: "hold");
    }
}
