using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Shifting in the chair: at random moments (about <c>perMinute</c> a minute) a 1.5-3.5 s movement
/// that tips the trunk a few degrees and back and jostles it by 0.1-0.2 g, front to back and
/// sideways (a shift, not a step: hardly anything along the spine).
/// </summary>
internal sealed class Fidgets : IMotion
{
    readonly record struct Fidget(double Start, double Length, double PitchDeg, double RollDeg, double SurgeG, double SwayG, double Hz);

    readonly Fidget[] _fidgets;

    public Fidgets(double perMinute, double segmentSeconds, Random random)
    {
        var count = (int)Math.Round(perMinute * segmentSeconds / 60);
        _fidgets = Enumerable.Range(0, count)
            .Select(_ => new Fidget(
                Start: random.NextDouble() * Math.Max(0, segmentSeconds - 4),
                Length: 1.5 + random.NextDouble() * 2,
                PitchDeg: (random.NextDouble() * 2 - 1) * 8,
                RollDeg: (random.NextDouble() * 2 - 1) * 5,
                SurgeG: 0.1 + random.NextDouble() * 0.1,
                SwayG: 0.05 + random.NextDouble() * 0.08,
                Hz: 1.5 + random.NextDouble() * 1.5))
            .OrderBy(f => f.Start)
            .ToArray();
    }

    public void Apply(double into, double t, ref Pose pose)
    {
        // The few fidgets that can overlap this instant start within 3.5 s before it.
        var i = FirstStartingAfter(into - 3.5);
        for (; i < _fidgets.Length && _fidgets[i].Start <= into; i++)
        {
            var f = _fidgets[i];
            var u = (into - f.Start) / f.Length;
            if (u >= 1) continue;
            var envelope = Math.Sin(Math.PI * u);
            pose.PitchDeg += f.PitchDeg * envelope;
            pose.RollDeg += f.RollDeg * envelope;
            var wave = Math.Sin(2 * Math.PI * f.Hz * (into - f.Start));
            pose.AccelG += new Vector3((float)(f.SurgeG * envelope * wave), (float)(f.SwayG * envelope * wave), 0);
        }
    }

    int FirstStartingAfter(double time)
    {
        int lo = 0, hi = _fidgets.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_fidgets[mid].Start < time) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
