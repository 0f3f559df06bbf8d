namespace PostureSense.Server.Configuration;

/// <summary>
/// The clock every decision about the wearer runs on (detectors, cooldowns, days), which the demo
/// speeds up and tests replace with a fake. It is a keyed service: the unkeyed
/// <see cref="TimeProvider"/> stays the real clock for the frameworks in the host (Kestrel,
/// health checks, a cluster's membership and timers), which an accelerated clock would break.
/// </summary>
public static class PostureClock
{
    public const string Key = "domain";
}
