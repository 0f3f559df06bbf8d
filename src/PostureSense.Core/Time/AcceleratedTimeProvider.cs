namespace PostureSense.Core.Time;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than its base clock, starting at a chosen
/// instant. Timers and delays shrink by the same factor, so every component on it (sampler, batch
/// timer, detectors, policy) keeps the relations it has in real time: a demo at 60x is a real
/// workday seen through a fast-forward button.
/// </summary>
public sealed class AcceleratedTimeProvider : TimeProvider
{
    readonly TimeProvider _base;
    readonly DateTimeOffset _baseStart;
    readonly long _baseStartTicks;
    readonly TimeZoneInfo _zone;

    public AcceleratedTimeProvider(DateTimeOffset start, double speed, TimeProvider? baseClock = null, TimeZoneInfo? localTimeZone = null)
    {
        if (!(speed >= 1 && speed <= 10_000)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "speed must be 1 to 10000");
        _base = baseClock ?? System;
        Start = start;
        Speed = speed;
        _baseStart = _base.GetUtcNow();
        _baseStartTicks = _base.GetTimestamp();
        _zone = localTimeZone ?? _base.LocalTimeZone;
    }

    public DateTimeOffset Start { get; }
    public double Speed { get; }

    public override TimeZoneInfo LocalTimeZone => _zone;

    public override DateTimeOffset GetUtcNow() =>
        Start + TimeSpan.FromTicks((long)((_base.GetUtcNow() - _baseStart).Ticks * Speed));

    public override long TimestampFrequency => _base.TimestampFrequency;

    public override long GetTimestamp() => _baseStartTicks + (long)((_base.GetTimestamp() - _baseStartTicks) * Speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_base.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    /// <summary>
    /// A time on the base clock. Never below a millisecond when it was above zero: the system timer
    /// counts whole milliseconds, so a 250 ms period at 300x (0.83 ms) became 0, which means "once",
    /// and the sensor was read a single time.
    /// </summary>
    TimeSpan Scale(TimeSpan t)
    {
        if (t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero) return t;
        var scaled = TimeSpan.FromTicks((long)(t.Ticks / Speed));
        return scaled < MinimumBaseTime ? MinimumBaseTime : scaled;
    }

    static readonly TimeSpan MinimumBaseTime = TimeSpan.FromMilliseconds(1);

    sealed class ScaledTimer(ITimer inner, AcceleratedTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Scale(dueTime), owner.Scale(period));
        public void Dispose() => inner.Dispose();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
