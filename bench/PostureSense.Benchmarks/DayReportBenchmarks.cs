using PostureSense.Core.Contract;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PostureSense.Bench;
using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Api;
using PostureSense.Server.Configuration;
using PostureSense.Server.History;
using PostureSense.Server.Http;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Benchmarks;

/// <summary>
/// A whole day worn (<see cref="FullDay"/>) read back and turned into the Today view,
/// as <c>GET /api/devices/{id}/days/{day}</c> does: frames, prompts and acks from the store, the
/// detectors replayed for the summary, the per-minute timeline, the JSON. SQLite always; InfluxDB
/// when <c>POSTURESENSE_BENCH_INFLUX</c> names a database (<c>influxdb://127.0.0.1:8086/bench</c>),
/// which the setup fills with the same day. Also a 30-day trend over 30 workdays before it
/// (8 h worn each), built cold (every day read and summarized) and warm (from the day cache).
/// </summary>
[MemoryDiagnoser]
public class DayReportBenchmarks
{
    static readonly DeviceId Device = DeviceId.Parse("bench-1");
    static readonly DateOnly Day = new(2026, 3, 10);

    static readonly DeviceId TrendDevice = DeviceId.Parse("bench-2");

    string _folder = "";
    IPostureStore _store = null!;
    DayReports _days = null!;
    DaySummaries _warm = null!;

    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "sqlite";

    public static IEnumerable<string> Stores() =>
        Environment.GetEnvironmentVariable("POSTURESENSE_BENCH_INFLUX") is { Length: > 0 } ? ["sqlite", "influxdb"] : ["sqlite"];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("posturesense-bench-").FullName;
        var location = Store == "sqlite"
            ? StoreLocation.Parse("sqlite:" + Path.Combine(_folder, "day.db"))
            : StoreLocation.Parse(Environment.GetEnvironmentVariable("POSTURESENSE_BENCH_INFLUX")!, "POSTURESENSE_BENCH_INFLUX");
        _store = await PostureStores.OpenAsync(location, TimeProvider.System);
        var day = LocalDay.Of(Day, TimeZoneInfo.Local);
        await FullDay.WriteAsync(_store, Device, day);
        _days = new DayReports(_store, TimeProvider.System, _ => CoachingSettings.Default);

        // 30 workdays up to today, 09:00-17:00 local.
        var today = LocalDay.Today(TimeProvider.System);
        for (var back = 29; back >= 0; back--)
        {
            var workday = LocalDay.Of(today.AddDays(-back), TimeZoneInfo.Local);
            var start = workday.FromTs + 9 * 3_600_000L;
            var worn = Enumerable.Range(0, 8 * 3600).Select(i =>
            {
                var minute = i / 60;
                return new PostureFrame(start + i * 1000L, minute % 45 < 8 ? 26 : 6, -1, minute % 45 == 44 ? 0.2 : 0.01, minute % 45 == 44 ? 2 : 0);
            }).ToList();
            foreach (var chunk in worn.Chunk(5000)) await _store.WriteFramesAsync(TrendDevice, chunk);
        }
        _warm = new DaySummaries(_days, TimeProvider.System);
        await _warm.LastDaysAsync(TrendDevice, 30);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public async Task<int> Trend30Days_Cold() => (await new DaySummaries(_days, TimeProvider.System).LastDaysAsync(TrendDevice, 30)).Count;

    [Benchmark]
    public async Task<int> Trend30Days_Warm() => (await _warm.LastDaysAsync(TrendDevice, 30)).Count;

    [Benchmark]
    public async Task<int> FullDay_TodayView()
    {
        var report = await _days.BuildAsync(Device, Day, CancellationToken.None);
        return JsonSerializer.SerializeToUtf8Bytes(DayView.From(report), Answers.Json).Length;
    }
}
