using PostureSense.Core.Contract;
using System.Collections.Concurrent;
using PostureSense.Core.History;
using PostureSense.Storage.History;

namespace PostureSense.Server.History;

/// <summary>
/// Day summaries for history and trends, with past days cached: a finished day does not change,
/// unless frames or acks for it arrive late or the wearer's thresholds change, and each of those
/// invalidates it. Today is always built fresh. A summary built while an invalidation came in is
/// not kept, so a late batch is never hidden behind a summary computed just before it.
/// </summary>
public sealed class DaySummaries(DayReports reports, TimeProvider clock)
{
    /// <summary>Acks count for the day of their prompt, which may be the day before.</summary>
    static readonly TimeSpan AckReach = DayReports.AckGrace;
    /// <summary>Days built at once for a trend: two cores, and the store serves the live path too.</summary>
    const int Parallel = 2;

    /// <summary>
    /// A device's cached days. Its generation goes up on every invalidation; a summary is cached
    /// only if it did not move while the summary was built. An entry dropped (forgotten, evicted)
    /// while a build is under way takes that build's result with it, so it cannot resurface stale.
    /// </summary>
    sealed class Device
    {
        public readonly ConcurrentDictionary<DateOnly, DaySummary> Days = new();
        public long Generation;
        public long LastUsedTs;
    }

    readonly ConcurrentDictionary<DeviceId, Device> _devices = new();

    public DayReports Reports => reports;

    /// <summary>Devices with cached days.</summary>
    public int HeldDevices => _devices.Count;

    public async Task<DaySummary> GetAsync(DeviceId deviceId, DateOnly day, CancellationToken cancellationToken = default)
    {
        var today = reports.TodayFor(deviceId);
        var device = _devices.GetOrAdd(deviceId, _ => new Device());
        Volatile.Write(ref device.LastUsedTs, clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (day < today && device.Days.TryGetValue(day, out var cached)) return cached;
        var generation = Volatile.Read(ref device.Generation);
        var summary = (await reports.BuildAsync(deviceId, day, cancellationToken)).Summary;
        if (day < today && Volatile.Read(ref device.Generation) == generation) device.Days[day] = summary;
        return summary;
    }

    /// <summary>The <paramref name="days"/> days up to and including today, oldest first.</summary>
    public async Task<IReadOnlyList<DaySummary>> LastDaysAsync(DeviceId deviceId, int days, CancellationToken cancellationToken = default)
    {
        var today = reports.TodayFor(deviceId);
        var dates = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1)).ToList();
        var summaries = new DaySummary[dates.Count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, dates.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (i, ct) => summaries[i] = await GetAsync(deviceId, dates[i], ct));
        return summaries;
    }

    /// <summary>Frames from <paramref name="fromTs"/> to <paramref name="toTs"/> (inclusive) were stored.</summary>
    public void FramesStored(DeviceId deviceId, long fromTs, long toTs) => Invalidate(deviceId, fromTs, toTs);

    /// <summary>An ack was stored: its prompt's day may be the day before.</summary>
    public void AckStored(DeviceId deviceId, long ts) => Invalidate(deviceId, ts - (long)AckReach.TotalMilliseconds, ts);

    /// <summary>Everything of the device: its wearer's thresholds changed.</summary>
    public void Forget(DeviceId deviceId) => _devices.TryRemove(deviceId, out _);

    /// <summary>
    /// Drops the cached days of devices nobody looked at for <paramref name="idle"/>: the cache
    /// would otherwise hold every day ever asked for. Evicted days are built again when asked.
    /// </summary>
    /// <returns>How many devices were dropped.</returns>
    public int Evict(TimeSpan idle)
    {
        var before = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)idle.TotalMilliseconds;
        var evicted = 0;
        foreach (var (deviceId, device) in _devices)
            if (Volatile.Read(ref device.LastUsedTs) <= before && _devices.TryRemove(new KeyValuePair<DeviceId, Device>(deviceId, device)))
                evicted++;
        return evicted;
    }

    void Invalidate(DeviceId deviceId, long fromTs, long toTs)
    {
        // Nothing cached, nothing to drop; a build that starts now reads what was just stored.
        if (!_devices.TryGetValue(deviceId, out var device)) return;
        var zone = reports.ZoneFor(deviceId);
        var first = LocalDay.DayOf(DateTimeOffset.FromUnixTimeMilliseconds(fromTs), zone);
        var last = LocalDay.DayOf(DateTimeOffset.FromUnixTimeMilliseconds(toTs), zone);
        if (first >= reports.TodayFor(deviceId)) return; // today is never cached
        Interlocked.Increment(ref device.Generation);
        for (var day = first; day <= last; day = day.AddDays(1)) device.Days.TryRemove(day, out _);
    }
}
