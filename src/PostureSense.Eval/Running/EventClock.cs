namespace PostureSense.Eval.Running;

/// <summary>
/// The server side's clock during a replay: set to the replay's event time at each batch, in UTC
/// (quiet hours are then the same wherever the eval runs).
/// </summary>
internal sealed class EventClock(DateTimeOffset start) : TimeProvider
{
    DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Set(DateTimeOffset now) => _now = now;
}
