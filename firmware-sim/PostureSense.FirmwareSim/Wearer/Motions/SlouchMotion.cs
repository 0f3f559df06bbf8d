using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// What each slouch style adds to the posture: a rounded upper back rises and falls with the breath
/// (about 15 breaths a minute), a trunk leaning from the hips reaches for the desk now and then, a
/// trunk propped on an elbow rocks sideways on it.
/// </summary>
internal sealed class SlouchMotion(SlouchStyle style, Random random) : IMotion
{
    readonly double _phase = random.NextDouble() * 2 * Math.PI;
    readonly double _breathSeconds = 3.5 + random.NextDouble();
    readonly double _reachSeconds = 18 + random.NextDouble() * 10;

    public void Apply(double into, double t, ref Pose pose)
    {
        switch (style)
        {
            case SlouchStyle.Thoracic:
                pose.PitchDeg += 1.2 * Math.Sin(2 * Math.PI * t / _breathSeconds + _phase);
                break;
            case SlouchStyle.Hips:
                // Mostly settled, now and then leaning in a few degrees further to reach.
                var reach = Math.Max(0, Math.Sin(2 * Math.PI * t / _reachSeconds + _phase));
                pose.PitchDeg += 4 * reach * reach;
                break;
            case SlouchStyle.ElbowLeft or SlouchStyle.ElbowRight:
                pose.RollDeg += 2 * Math.Sin(2 * Math.PI * t / _reachSeconds + _phase);
                break;
        }
    }
}
