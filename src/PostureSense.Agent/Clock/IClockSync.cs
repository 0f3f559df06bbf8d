namespace PostureSense.Agent.Clock;

/// <summary>
/// Whether the system clock tells the true time. A Raspberry Pi has no real-time clock: one that
/// boots without network runs on the time it last saved until network time sets it, and frames
/// stamped meanwhile would land hours off in the wearer's history.
/// </summary>
public interface IClockSync
{
    bool IsSynchronized { get; }
}

/// <summary>A clock trusted as it is: a simulation's, or a test's.</summary>
public sealed class AssumedSynchronized : IClockSync
{
    public static AssumedSynchronized Instance { get; } = new();
    public bool IsSynchronized => true;
}

/// <summary>The answer of whoever knows: a simulated device's wrong clock, say.</summary>
public sealed class ClockSyncFrom(Func<bool> isSynchronized) : IClockSync
{
    public bool IsSynchronized => isSynchronized();
}
