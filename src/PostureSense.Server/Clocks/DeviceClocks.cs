using System.Collections.Concurrent;
using PostureSense.Core.Contract;
using PostureSense.Core.Time;

namespace PostureSense.Server.Clocks;

/// <summary>
/// How far each device's clock is off, as this server learns it from the telemetry it ingests
/// itself, for what is shown or stored on the server's clock: the Now view's freshness and times,
/// a device's last sync, the time of an ack.
/// <para>
/// The coach (or, in a cluster, the device's grain) learns the same offset for prompting, but only
/// the node that holds it sees it. This needs no call to another node and no store: with a shared
/// subscription every node is dealt a share of each streaming device's batches, and each of them
/// is live or a backlog, so the low envelope of a share is the same offset as that of all of them
/// (<see cref="DeviceClockOffset"/>). A node that has seen no batch of a device yet treats its
/// clock as right, which is what every node did before.
/// </para>
/// </summary>
public sealed class DeviceClocks
{
    sealed class Known
    {
        public readonly DeviceClockOffset Offset = new();
        public long LastBatchTs;
    }

    readonly ConcurrentDictionary<DeviceId, Known> _devices = new();

    /// <summary>Devices whose clock this server is following.</summary>
    public int HeldDevices => _devices.Count;

    /// <summary>A telemetry batch of the device came in at <paramref name="arrivedAt"/> (our clock), its newest frame stamped <paramref name="newestTs"/> (the device's).</summary>
    public void Observe(DeviceId deviceId, DateTimeOffset arrivedAt, long newestTs)
    {
        var known = _devices.GetOrAdd(deviceId, _ => new Known());
        // Batches of one device may be stored side by side (several writes in flight).
        lock (known)
        {
            known.Offset.Observe(arrivedAt, newestTs);
            known.LastBatchTs = Math.Max(known.LastBatchTs, arrivedAt.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Our clock minus the device's, ms; zero for a device on time or not seen yet.</summary>
    public long OffsetMs(DeviceId deviceId)
    {
        if (!_devices.TryGetValue(deviceId, out var known)) return 0;
        lock (known) return known.Offset.OffsetMs;
    }

    /// <summary>A time the device stamped, on our clock.</summary>
    public long ToOurTime(DeviceId deviceId, long deviceTs) => deviceTs + OffsetMs(deviceId);

    /// <summary>
    /// Forgets devices that sent no telemetry for <paramref name="idle"/>, so memory follows the
    /// devices in use. One that comes back is learned again from its next batches (30 s for a slow clock).
    /// </summary>
    /// <returns>How many devices were forgotten.</returns>
    public int Evict(DateTimeOffset now, TimeSpan idle)
    {
        var before = now.ToUnixTimeMilliseconds() - (long)idle.TotalMilliseconds;
        var evicted = 0;
        foreach (var (deviceId, known) in _devices)
        {
            long last;
            lock (known) last = known.LastBatchTs;
            if (last <= before && _devices.TryRemove(new KeyValuePair<DeviceId, Known>(deviceId, known))) evicted++;
        }
        return evicted;
    }
}
