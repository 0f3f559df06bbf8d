using System.Text;
using Polly;
using Polly.Retry;
using PostureSense.Bench;
using PostureSense.Storage.Influx;

namespace PostureSense.FleetBench;

/// <summary>
/// Writes each device's minutes before the run straight into InfluxDB, as the server's schema
/// has them, before any server starts: the servers then find that history as they would after a
/// restart, and the run measures the live rate rather than a replay of half an hour per device.
/// </summary>
static class Backfill
{
    // Small enough that a busy influxd takes each well inside its 10 s write timeout: at 50,000 it
    // now and then closed the connection mid-body (broken pipe) on every try.
    const int LinesPerWrite = 10_000;

    // A write is idempotent (a point is its series and time), and a busy influxd now and then drops
    // a connection mid-request: a few tries rather than losing the whole run's set-up.
    static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TaskCanceledException>(),
            MaxRetryAttempts = 6,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    /// <returns>Frames written.</returns>
    public static async Task<long> WriteAsync(InfluxClient influx, IReadOnlyList<DevicePlan> plans, long untilTs, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = influx.QueryBaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        var url = $"write?db={influx.Database}&precision=ms";
        var writer = new LineProtocolWriter();
        long written = 0;
        async Task FlushAsync()
        {
            var lines = writer.Output.ToString();
            await Retry.ExecuteAsync(async ct =>
            {
                using var content = new StringContent(lines, Encoding.UTF8);
                using var response = await http.PostAsync(url, content, ct);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"InfluxDB refused the backfill: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }, cancellationToken);
            writer = new LineProtocolWriter();
        }
        foreach (var plan in plans)
        {
            // The server's schema lists a device it has seen by a point of its own; without it the
            // server takes the device for new and reads none of its history back.
            writer.Measurement("device").Tag("device", plan.DeviceId).Field("first_seen", plan.FirstTs);
            writer.End(plan.FirstTs);
            for (var ts = plan.FirstTs; ts <= untilTs; ts += 1000)
            {
                var f = plan.FrameAt(ts);
                // The same calls as the server's InfluxDB schema for a posture frame.
                writer.Measurement("posture").Tag("device", plan.DeviceId)
                    .Field("pitch", f.Pitch).Field("roll", f.Roll).Field("motion", f.Motion).Field("steps", (long)f.Steps);
                writer.End(f.Ts);
                written++;
                if (writer.Points == LinesPerWrite) await FlushAsync();
            }
        }
        if (writer.Points > 0) await FlushAsync();
        return written;
    }
}
