using PostureSense.Core.Contract;

namespace PostureSense.Server.Coaching;

/// <summary>
/// Devices whose coach was let go (evicted when idle, or made anew on new settings): what that
/// coach saw is in the store, so the coach made next must read it back. A fixed-size hash filter,
/// not a set, so it does not grow with the fleet: a device it wrongly claims only costs the few
/// reads a restored coach makes, as every device does when servers share a fleet.
/// </summary>
sealed class LetGoDevices
{
    /// <summary>2^20 bits, 128 KiB: under 1 % of new devices read back while 10,000 were let go.</summary>
    const int Bits = 1 << 20;
    readonly long[] _words = new long[Bits / 64];

    public void Add(DeviceId deviceId)
    {
        var bit = Bit(deviceId);
        Interlocked.Or(ref _words[bit >> 6], 1L << (bit & 63));
    }

    public bool MayContain(DeviceId deviceId)
    {
        var bit = Bit(deviceId);
        return (Volatile.Read(ref _words[bit >> 6]) & (1L << (bit & 63))) != 0;
    }

    static int Bit(DeviceId deviceId) => StringComparer.Ordinal.GetHashCode(deviceId.Value) & (Bits - 1);
}
