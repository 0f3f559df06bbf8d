using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Thread the Needle on hands and knees: for each hold the upper body turns about the spine (roll)
/// by the range over 3 s, holds, turns back over 3 s and pauses 4 s; sides alternate, left first.
/// The shoulder that goes down takes the upper back a few degrees further forward too.
/// </summary>
internal sealed class ThreadTheNeedleMotion(StretchPlan plan, double rampSeconds) : IMotion
{
    const double ShoulderDropFraction = 0.1;
    readonly double _start = rampSeconds + StretchTiming.SettleSeconds;

    public void Apply(double into, double t, ref Pose pose)
    {
        var x = into - _start;
        if (x <= 0) return;
        for (var i = 0; i < plan.HoldsS.Count; i++)
        {
            var length = plan.HoldsS[i] + 2 * StretchTiming.TurnSeconds;
            if (x < length)
            {
                var turn = plan.RangeDeg * Ease.Plateau(x, 0, StretchTiming.TurnSeconds, length, StretchTiming.TurnSeconds);
                pose.RollDeg += i % 2 == 0 ? -turn : turn;
                pose.PitchDeg += ShoulderDropFraction * turn;
                return;
            }
            x -= length + StretchTiming.PauseSeconds;
            if (x < 0) return;
        }
    }
}
