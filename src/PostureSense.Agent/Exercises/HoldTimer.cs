namespace PostureSense.Agent.Exercises;

/// <summary>
/// Times the holds of a movement away from a baseline (a turn to one side, a lift): a hold begins
/// when the movement passes <paramref name="enterDeg"/> and ends when it falls back under
/// <paramref name="exitDeg"/>; its length is the time spent near its own peak (within 10% of it,
/// at least <paramref name="nearPeakDeg"/>), so the turning in and out does not count as holding.
/// </summary>
internal sealed class HoldTimer(double enterDeg, double exitDeg, double nearPeakDeg, double sampleSeconds, double minHoldSeconds)
{
    readonly AngleHistogram _current = new();
    readonly List<double> _holds = [];
    bool _holding;

    /// <summary>Holds timed so far, seconds, in order.</summary>
    public IReadOnlyList<double> Holds => _holds;

    /// <param name="amountDeg">How far the movement is from its baseline now (positive).</param>
    public void Observe(double amountDeg)
    {
        if (!_holding)
        {
            if (amountDeg < enterDeg) return;
            _holding = true;
            _current.Clear();
        }
        if (amountDeg < exitDeg)
        {
            Close();
            return;
        }
        _current.Add(amountDeg);
    }

    void Close()
    {
        if (!_holding) return;
        _holding = false;
        var peak = _current.Max;
        var near = Math.Max(nearPeakDeg, 0.1 * peak);
        var seconds = _current.CountAtLeast(peak - near) * sampleSeconds;
        if (seconds >= minHoldSeconds) _holds.Add(Math.Round(seconds, 1));
    }
}
