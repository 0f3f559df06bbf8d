namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Quiet breathing while sitting or standing: the upper back straightens a little on each breath
/// in and rounds on the breath out. 12-20 breaths a minute and a few tenths of a degree, fixed per
/// wearer from the seed; the rhythm carries on across segments, as breathing does.
/// </summary>
internal sealed class Breathing(double periodSeconds, double amplitudeDeg, double phase) : IMotion
{
    public static Breathing Random(Random random) =>
        new(60 / (12 + random.NextDouble() * 8), 0.3 + random.NextDouble() * 0.2, random.NextDouble() * 2 * Math.PI);

    public double PeriodSeconds => periodSeconds;

    public void Apply(double into, double t, ref Pose pose) =>
        pose.PitchDeg += amplitudeDeg * Math.Sin(2 * Math.PI * t / periodSeconds + phase);
}
