using PostureSense.Agent.Clock;
using PostureSense.FirmwareSim.Clock;

namespace PostureSense.Agent.Simulated;

/// <summary>The simulated device's answer to "is the clock set": its wrong clock's own.</summary>
sealed class WrongClockSync(WrongClock clock) : IClockSync
{
    public bool IsSynchronized => clock.IsSynchronized;
}
