using Microsoft.Extensions.Time.Testing;

namespace PostureSense.Mqtt.Tests.Support;

/// <summary>
/// A fake clock that counts the timers made on it and the ones that fired, so a test advances it
/// only once the link is really waiting, and sees the exact tick a wait ends.
/// </summary>
sealed class TimerCountingClock() : FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero))
{
    int _created, _fired;

    public int Created => Volatile.Read(ref _created);
    public int Fired => Volatile.Read(ref _fired);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        return base.CreateTimer(s => { Interlocked.Increment(ref _fired); callback(s); }, state, dueTime, period);
    }
}
