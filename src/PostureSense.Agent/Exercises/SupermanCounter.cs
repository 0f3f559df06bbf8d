using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Exercises;

/// <summary>
/// Counts Superman lifts and times their holds from the upper back's pitch, face down: lifting
/// the chest tips the upper back head-up, so the pitch falls. Resting flat is the highest pitch of
/// the session, so the rest level is a high quantile of it (lifts, however many, sit below it).
/// </summary>
internal sealed class SupermanCounter(int seedSamples, double sampleSeconds) : IStretchCounter
{
    const double EnterDeg = 6, ExitDeg = 3, NearPeakDeg = 2, MinHoldSeconds = 0.5;
    const double RestQuantile = 0.9;
    const int RestEvery = 10;

    readonly AngleHistogram _pitch = new();
    readonly HoldTimer _lifts = new(EnterDeg, ExitDeg, NearPeakDeg, sampleSeconds, MinHoldSeconds);
    double _rest;

    public void Observe(in TrunkSample sample)
    {
        _pitch.Add(sample.PitchDeg);
        if (_pitch.Count <= seedSamples || _pitch.Count % RestEvery == 0) _rest = _pitch.Quantile(RestQuantile);
        if (_pitch.Count <= seedSamples) return;
        _lifts.Observe(_rest - sample.PitchDeg);
    }

    /// <summary>A lift still held when the wearer got up is dropped: it may be the getting up.</summary>
    public StretchCount Result() => new(_lifts.Holds.Count, _lifts.Holds.ToArray());
}
