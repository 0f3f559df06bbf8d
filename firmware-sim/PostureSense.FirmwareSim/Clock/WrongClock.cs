namespace PostureSense.FirmwareSim.Clock;

/// <summary>
/// A device's system clock that is off: a Raspberry Pi without a real-time clock that booted
/// without network runs on the time it last saved. It reads <c>offset</c> from the true clock
/// until network time steps it right (after <c>syncAfter</c> of true time, or at
/// <see cref="StepRight"/>); monotonic time and timers are the true clock's, as a kernel's are.
/// </summary>
/// <param name="syncAfter">
/// When network time sets it; null: never, and the clock believes itself right all along (a
/// device on a wrong time server).
/// </param>
public sealed class WrongClock(TimeProvider trueClock, TimeSpan offset, TimeSpan? syncAfter = null) : TimeProvider
{
    readonly DateTimeOffset? _syncAt = syncAfter is { } after ? trueClock.GetUtcNow() + after : null;
    volatile bool _steppedRight;

    /// <summary>Whether network time has set the clock (a clock with no sync ahead counts itself set).</summary>
    public bool IsSynchronized => _syncAt is null || SteppedRight;

    bool SteppedRight => _steppedRight || (_syncAt is { } at && trueClock.GetUtcNow() >= at);

    /// <summary>Network time sets the clock right now.</summary>
    public void StepRight() => _steppedRight = true;

    public override DateTimeOffset GetUtcNow() => SteppedRight ? trueClock.GetUtcNow() : trueClock.GetUtcNow() + offset;
    public override long GetTimestamp() => trueClock.GetTimestamp();
    public override long TimestampFrequency => trueClock.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => trueClock.LocalTimeZone;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        trueClock.CreateTimer(callback, state, dueTime, period);
}
