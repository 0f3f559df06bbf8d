using System.Numerics;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Wearer;

/// <summary>
/// A wearer following a scenario: posture eases from one segment's to the next over the
/// segment's ramp, sways a little while still, and walks with a step-periodic bounce.
/// Deterministic for the scenario's seed. After the last segment it keeps doing the last thing.
/// </summary>
public sealed class ScenarioWearer : IWearerModel
{
    // Gait: one vertical bounce per step (the dominant signal), a fore-aft surge per step, and a
    // sideways sway per stride (two steps). RMS of the sum ≈ 0.23 g, in the range of a brisk walk.
    const double VerticalG = 0.30, ForeAftG = 0.12, LateralG = 0.08;
    const double WalkPitchSwayDeg = 1.5, WalkRollSwayDeg = 2.0;

    readonly Scenario _scenario;
    readonly Sway _pitchSway, _rollSway;
    readonly double _gaitPhase;

    public ScenarioWearer(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        var random = new Random(scenario.Seed);
        _pitchSway = Sway.Random(random);
        _rollSway = Sway.Random(random);
        _gaitPhase = random.NextDouble() * 2 * Math.PI;
    }

    public Scenario Scenario => _scenario;

    public WearerState At(TimeSpan sinceStart)
    {
        if (sinceStart < TimeSpan.Zero) sinceStart = TimeSpan.Zero;
        var index = _scenario.SegmentIndexAt(sinceStart);
        var segment = _scenario.Segments[index];
        var previous = index > 0 ? _scenario.Segments[index - 1] : segment;

        var into = (sinceStart - segment.Start).TotalSeconds;
        var ease = SmoothStep(segment.Ramp > TimeSpan.Zero ? into / segment.Ramp.TotalSeconds : 1);
        var pitch = previous.PitchDeg + (segment.PitchDeg - previous.PitchDeg) * ease;
        var roll = previous.RollDeg + (segment.RollDeg - previous.RollDeg) * ease;

        var t = sinceStart.TotalSeconds;
        if (segment.Activity == Activity.Walk)
        {
            var step = 2 * Math.PI * segment.CadenceStepsPerMin / 60 * t + _gaitPhase;
            var stride = step / 2;
            pitch += WalkPitchSwayDeg * Math.Sin(step);
            roll += WalkRollSwayDeg * Math.Sin(stride);
            var accel = new Vector3(
                (float)(ForeAftG * Math.Sin(step + Math.PI / 2)),
                (float)(LateralG * Math.Sin(stride)),
                (float)(VerticalG * Math.Sin(step)));
            return new WearerState(pitch, roll, accel, Walking: true, segment.Label);
        }

        // Still: a slow, small sway, a little larger standing than sitting.
        var scale = segment.Activity == Activity.Stand ? 1.8 : 1.0;
        pitch += scale * _pitchSway.At(t);
        roll += scale * 0.6 * _rollSway.At(t);
        return new WearerState(pitch, roll, Vector3.Zero, Walking: false, segment.Label);
    }

    static double SmoothStep(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x * x * (3 - 2 * x);
    }

    /// <summary>Two slow sines of random period and phase, about ±0.8° together.</summary>
    readonly record struct Sway(double Period1, double Phase1, double Period2, double Phase2)
    {
        public static Sway Random(Random r) =>
            new(8 + r.NextDouble() * 6, r.NextDouble() * 2 * Math.PI, 20 + r.NextDouble() * 15, r.NextDouble() * 2 * Math.PI);

        public double At(double t) =>
            0.5 * Math.Sin(2 * Math.PI * t / Period1 + Phase1) + 0.3 * Math.Sin(2 * Math.PI * t / Period2 + Phase2);
    }
}
