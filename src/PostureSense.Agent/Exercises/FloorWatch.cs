using PostureSense.Agent.Processing;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Exercises;

/// <summary>
/// Whether the wearer is down on the floor, on all fours or face down, as the floor stretches
/// need. The trunk near horizontal is not enough: someone folded forward in a chair, chest on the
/// thighs, rocking, or bent over a desk gets there too. Three things together are:
/// <list type="bullet">
/// <item>the way down: the body went down (at <see cref="StretchWatchSettings.KneelSpeedMps"/> or
/// faster) while the trunk was still upright, as kneeling does, shortly before (<see cref="StretchWatchSettings.KneelWithin"/>).
/// Folding in a chair or bending at a desk tips the trunk without lowering the body first;</item>
/// <item>the band: the upper back within about 20° of horizontal and flexed forward
/// (<see cref="StretchWatchSettings.FloorPitchMinDeg"/>-<see cref="StretchWatchSettings.FloorPitchMaxDeg"/>),
/// not rolled onto a side. On all fours the shoulders stand a little higher than the hips (80-90°);
/// face down is 90°. A seated fold seldom gets past 70-75° (the thighs are in the way), lying on
/// the back is -90°, on a side the roll is near 90°;</item>
/// <item>settled: held there, steady within <see cref="StretchWatchSettings.SettleSpreadDeg"/>, for
/// <see cref="StretchWatchSettings.Settle"/>. A fold that rocks or reaches the band for a moment is not.</item>
/// </list>
/// Once down, the wearer stays down (whatever the stretch does to the angles) until the way up:
/// the trunk back within <see cref="StretchWatchSettings.UpWithinDegOfVertical"/> of vertical for
/// <see cref="StretchWatchSettings.UpFor"/>.
/// </summary>
internal sealed class FloorWatch(int sampleRateHz, StretchWatchSettings settings)
{
    readonly VerticalSpeed _vertical = new(sampleRateHz);
    long? _droppedAt, _bandSince, _upSince;
    double _bandMin, _bandMax;

    /// <summary>On the floor, reached by the way down and not yet left by the way up.</summary>
    public bool IsDown { get; private set; }

    /// <summary>Down, but the trunk is up toward vertical right now (perhaps getting up).</summary>
    public bool IsRising => IsDown && _upSince is not null;

    public void Observe(in TrunkSample sample)
    {
        var t = sample.Ticks;
        var upright = TrunkTilt.FromVerticalDeg(sample.PitchDeg, sample.RollDeg) < settings.UpWithinDegOfVertical;
        WatchTheWayDown(sample, upright);

        if (IsDown)
        {
            if (!upright)
            {
                _upSince = null;
                return;
            }
            _upSince ??= t;
            if (t - _upSince.Value < settings.UpFor.Ticks) return;
            // The way up: standing or sitting again. Getting down again needs a new way down.
            IsDown = false;
            _upSince = null;
            _droppedAt = null;
            _bandSince = null;
            return;
        }

        if (!InBand(sample))
        {
            _bandSince = null;
            return;
        }
        if (_bandSince is null || sample.PitchDeg - _bandMin > settings.SettleSpreadDeg || _bandMax - sample.PitchDeg > settings.SettleSpreadDeg)
        {
            // Not steady: the settling starts again from here.
            _bandSince = t;
            _bandMin = _bandMax = sample.PitchDeg;
        }
        _bandMin = Math.Min(_bandMin, sample.PitchDeg);
        _bandMax = Math.Max(_bandMax, sample.PitchDeg);
        if (t - _bandSince.Value < settings.Settle.Ticks) return;
        if (_droppedAt is { } dropped && t - dropped <= settings.KneelWithin.Ticks) IsDown = true;
    }

    void WatchTheWayDown(in TrunkSample sample, bool upright)
    {
        if (!upright)
        {
            // Tipping swings the board through gravity: its readings say little about the body going up or down.
            _vertical.Reset();
            return;
        }
        _vertical.Observe(sample.VerticalAccelG);
        if (_vertical.Mps <= -settings.KneelSpeedMps) _droppedAt = sample.Ticks;
    }

    bool InBand(in TrunkSample sample) =>
        sample.PitchDeg >= settings.FloorPitchMinDeg && sample.PitchDeg <= settings.FloorPitchMaxDeg
        && Math.Abs(sample.RollDeg) <= settings.FloorMaxRollDeg;
}
