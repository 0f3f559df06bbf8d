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

    readonly ConcurrentDictionary<(string DeviceId, DateOnly Day), DaySummary> _cache = new();
    readonly ConcurrentDictionary<string, long> _generation = new(StringComparer.Ordinal);

    public DayReports Reports => reports;

    public async Task<DaySummary> GetAsync(string deviceId, DateOnly day, CancellationToken cancellationToken = default)
    {
        var today = reports.Today;
        if (day < today && _cache.TryGetValue((deviceId, day), out var cached)) return cached;
        var generation = _generation.GetValueOrDefault(deviceId);
        var summary = (await reports.BuildAsync(deviceId, day, cancellationToken)).Summary;
        if (day < today && _generation.GetValueOrDefault(deviceId) == generation) _cache[(deviceId, day)] = summary;
        return summary;
    }

    /// <summary>The <paramref name="days"/> days up to and including today, oldest first.</summary>
    public async Task<IReadOnlyList<DaySummary>> LastDaysAsync(string deviceId, int days, CancellationToken cancellationToken = default)
    {
        var today = reports.Today;
        var dates = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1)).ToList();
        var summaries = new DaySummary[dates.Count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, dates.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (i, ct) => summaries[i] = await GetAsync(deviceId, dates[i], ct));
        return summaries;
    }

    /// <summary>Frames from <paramref name="fromTs"/> to <paramref name="toTs"/> (inclusive) were stored.</summary>
    public void FramesStored(string deviceId, long fromTs, long toTs) => Invalidate(deviceId, fromTs, toTs);

    /// <summary>An ack was stored: its prompt's day may be the day before.</summary>
    public void AckStored(string deviceId, long ts) => Invalidate(deviceId, ts - (long)AckReach.TotalMilliseconds, ts);

    /// <summary>Everything of the device: its wearer's thresholds changed.</summary>
    public void Forget(string deviceId)
    {
        _generation.AddOrUpdate(deviceId, 1, (_, g) => g + 1);
        foreach (var key in _cache.Keys.Where(k => k.DeviceId == deviceId)) _cache.TryRemove(key, out _);
    }

    void Invalidate(string deviceId, long fromTs, long toTs)
    {
        var first = DayOf(fromTs);
        var last = DayOf(toTs);
        if (first >= reports.Today) return; // today is never cached
        _generation.AddOrUpdate(deviceId, 1, (_, g) => g + 1);
        for (var day = first; day <= last; day = day.AddDays(1)) _cache.TryRemove((deviceId, day), out _);
    }

    DateOnly DayOf(long ts) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ts), clock.LocalTimeZone).DateTime);
}
