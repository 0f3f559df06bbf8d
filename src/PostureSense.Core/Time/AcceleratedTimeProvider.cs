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

    TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? t : TimeSpan.FromTicks((long)(t.Ticks / Speed));

    sealed class ScaledTimer(ITimer inner, AcceleratedTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Scale(dueTime), owner.Scale(period));
        public void Dispose() => inner.Dispose();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
