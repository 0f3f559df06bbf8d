namespace PostureSense.Agent.Outbox;

/// <summary>
/// Spaces out telemetry sends to at most <c>perSecond</c> batches per second of
/// <c>clock</c>, in bursts of up to one second's worth (a token bucket that starts full). Live
/// batches (one every few seconds) never wait; a day of backlog goes out over minutes instead of
/// hitting the broker all at once.
/// </summary>
public sealed class ReplayPacer
{
    readonly TimeProvider _clock;
    readonly double _perSecond;
    readonly double _burst;
    double _tokens;
    long _last;

    public ReplayPacer(double perSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        _clock = clock;
        _perSecond = perSecond;
        _burst = Math.Max(1, perSecond);
        _tokens = _burst;
        _last = clock.GetTimestamp();
    }

    /// <summary>Waits until one more batch may go, and takes its turn. One caller at a time.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _clock.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + _clock.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
            _last = now;
            // A hair under one after an exact wait is rounding, not a reason to wait again.
            if (_tokens >= 1 - 1e-9)
            {
                _tokens = Math.Max(0, _tokens - 1);
                return;
            }
            var wait = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
