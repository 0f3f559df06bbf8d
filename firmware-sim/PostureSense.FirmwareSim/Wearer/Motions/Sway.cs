namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// The small, slow sway of a body holding still: two sines of random period and phase, about ±0.8°
/// together, scaled per activity (standing sways more than sitting, lying hardly at all).
/// </summary>
internal sealed class Sway(Sway.Sines pitch, Sway.Sines roll, double scale) : IMotion
{
    public readonly record struct Sines(double Period1, double Phase1, double Period2, double Phase2)
    {
        public static Sines Random(Random r) =>
            new(8 + r.NextDouble() * 6, r.NextDouble() * 2 * Math.PI, 20 + r.NextDouble() * 15, r.NextDouble() * 2 * Math.PI);

        public double At(double t) =>
            0.5 * Math.Sin(2 * Math.PI * t / Period1 + Phase1) + 0.3 * Math.Sin(2 * Math.PI * t / Period2 + Phase2);
    }

    public void Apply(double into, double t, ref Pose pose)
    {
        pose.PitchDeg += scale * pitch.At(t);
        pose.RollDeg += scale * 0.6 * roll.At(t);
    }
}
