using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Exercises;

/// <summary>
/// Times Thread the Needle from the trunk's roll on hands and knees: threading an arm under turns
/// the upper body about the spine, to one side and then the other. Neutral is the roll while the
/// wearer settled into position; each turn past 12° is a hold, timed while near its peak.
/// </summary>
internal sealed class ThreadTheNeedleTimer(int seedSamples, double sampleSeconds) : IStretchCounter
{
    const double EnterDeg = 12, ExitDeg = 8, NearPeakDeg = 3, MinHoldSeconds = 1;

    readonly AngleHistogram _seed = new();
    readonly HoldTimer _left = new(EnterDeg, ExitDeg, NearPeakDeg, sampleSeconds, MinHoldSeconds);
    readonly HoldTimer _right = new(EnterDeg, ExitDeg, NearPeakDeg, sampleSeconds, MinHoldSeconds);
    readonly List<double> _holds = [];
    double _neutral;

    public void Observe(in TrunkSample sample)
    {
        if (_seed.Count < seedSamples)
        {
            _seed.Add(sample.RollDeg);
            _neutral = _seed.Quantile(0.5);
            return;
        }
        var turn = sample.RollDeg - _neutral;
        Collect(_left, -turn);
        Collect(_right, turn);
    }

    /// <summary>A turn still held when the wearer got up is dropped: it may be the getting up.</summary>
    public StretchCount Result() => new(null, _holds.ToArray());

    void Collect(HoldTimer side, double amount)
    {
        var before = side.Holds.Count;
        side.Observe(amount);
        if (side.Holds.Count > before) _holds.Add(side.Holds[^1]);
    }
}
