using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Exercises;

/// <summary>
/// Counts Cat-Cow cycles from the upper back's pitch on hands and knees: the back arches (cow: the
/// pitch falls below neutral) and rounds (cat: it rises above). Neutral is the median pitch of the
/// session, which swings either way do not drag. A swing counts once it comes back toward neutral,
/// so getting up off the floor (a fall in pitch that never comes back) is no cow; a cycle is a cat
/// and a cow.
/// </summary>
internal sealed class CatCowCounter(int seedSamples) : IStretchCounter
{
    /// <summary>How far past neutral a swing must go: over the sway of someone keeping still (±1-2°), under a half-hearted cycle (±5°).</summary>
    public const double SwingDeg = 4;
    /// <summary>A swing is over when the pitch is back within this of neutral.</summary>
    const double BackDeg = 2;
    /// <summary>The median is refreshed this often, in samples: it moves slowly.</summary>
    const int MedianEvery = 10;

    readonly AngleHistogram _pitch = new();
    double _neutral;
    int _swinging;  // -1 cow, +1 cat, 0 near neutral
    int _lastSwing; // the side of the last swing that came back
    int _swings;

    public void Observe(in TrunkSample sample)
    {
        _pitch.Add(sample.PitchDeg);
        if (_pitch.Count <= seedSamples || _pitch.Count % MedianEvery == 0) _neutral = _pitch.Quantile(0.5);
        // The first moments in position settle the neutral; the wearer is still getting down.
        if (_pitch.Count <= seedSamples) return;

        var offset = sample.PitchDeg - _neutral;
        if (_swinging == 0)
        {
            if (Math.Abs(offset) > SwingDeg) _swinging = Math.Sign(offset);
            return;
        }
        if (_swinging * offset > BackDeg) return; // still out on that side
        // Back past neutral-ish: that swing is done. Two cats in a row (a missed cow) count once.
        if (_swinging != _lastSwing) _swings++;
        _lastSwing = _swinging;
        _swinging = Math.Abs(offset) > SwingDeg ? Math.Sign(offset) : 0;
    }

    public StretchCount Result() => new(_swings / 2, null);
}
