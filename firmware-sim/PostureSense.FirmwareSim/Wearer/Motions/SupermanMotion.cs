using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Superman, face down: each lift raises the chest by the range over 1 s (the upper back tips
/// head-up: pitch falls), holds, lowers over 1 s and rests.
/// </summary>
internal sealed class SupermanMotion(StretchPlan plan, double rampSeconds) : IMotion
{
    readonly double _start = rampSeconds + StretchTiming.SettleSeconds;

    public void Apply(double into, double t, ref Pose pose)
    {
        var x = into - _start;
        if (x <= 0) return;
        foreach (var hold in plan.HoldsS)
        {
            var length = hold + 2 * StretchTiming.LiftSeconds;
            if (x < length)
            {
                pose.PitchDeg -= plan.RangeDeg * Ease.Plateau(x, 0, StretchTiming.LiftSeconds, length, StretchTiming.LiftSeconds);
                return;
            }
            x -= length + plan.PeriodSeconds;
            if (x < 0) return;
        }
    }
}
