using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Cat-Cow on hands and knees: each cycle arches the back (cow: the upper back tips head-up, pitch
/// falls by the range) then rounds it (cat: pitch rises by the range). Done well the cycles are
/// even; done partly the pace and depth wander (cycle lengths ±25%, depth ±20%), with the same
/// total length, so the segment still fits.
/// </summary>
internal sealed class CatCowMotion : IMotion
{
    readonly double _start;
    readonly double[] _cycleStarts; // one more than the cycles: the last is the end
    readonly double[] _depths;

    public CatCowMotion(StretchPlan plan, double rampSeconds, Random random)
    {
        _start = rampSeconds + StretchTiming.SettleSeconds;
        var uneven = plan.Quality == StretchQuality.Partly;
        var lengths = Enumerable.Range(0, plan.Reps).Select(_ => uneven ? 1 + (random.NextDouble() * 2 - 1) * 0.25 : 1).ToArray();
        var scale = plan.Reps * plan.PeriodSeconds / Math.Max(lengths.Sum(), 1e-9);
        _cycleStarts = new double[plan.Reps + 1];
        for (var i = 0; i < plan.Reps; i++) _cycleStarts[i + 1] = _cycleStarts[i] + lengths[i] * scale;
        _depths = Enumerable.Range(0, plan.Reps).Select(_ => plan.RangeDeg * (uneven ? 1 + (random.NextDouble() * 2 - 1) * 0.2 : 1)).ToArray();
    }

    public void Apply(double into, double t, ref Pose pose)
    {
        var x = into - _start;
        if (x <= 0 || x >= _cycleStarts[^1]) return;
        var i = Array.BinarySearch(_cycleStarts, x);
        if (i < 0) i = ~i - 1;
        var phase = (x - _cycleStarts[i]) / (_cycleStarts[i + 1] - _cycleStarts[i]);
        // Cow first (inhale), then cat (exhale).
        pose.PitchDeg -= _depths[i] * Math.Sin(2 * Math.PI * phase);
    }
}
