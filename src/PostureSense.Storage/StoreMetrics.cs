using System.Diagnostics.Metrics;

namespace PostureSense.Storage;

/// <summary>
/// The stores' instruments, on the meter every PostureSense component shares, so one listener
/// (dotnet-counters, an OpenTelemetry exporter) sees the whole server.
/// </summary>
public static class StoreMetrics
{
    public const string MeterName = "PostureSense";

    static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds per write attempt, failed ones included (tagged <c>error.type</c>).</summary>
    public static readonly Histogram<double> WriteDuration = Meter.CreateHistogram<double>(
        "posturesense.store.write.duration", "s", "How long one attempt to write to the store took");

    /// <summary>Writes tried again, by who retried: <c>store</c> (the whole write) or <c>influxdb-http</c> (one request).</summary>
    public static readonly Counter<long> WriteRetries = Meter.CreateCounter<long>(
        "posturesense.store.write.retries", "{retry}", "Store writes tried again after a failure");

    /// <summary>Points the time series database refused for good (a partial write).</summary>
    public static readonly Counter<long> PointsDropped = Meter.CreateCounter<long>(
        "posturesense.store.points.dropped", "{point}", "Points the store refused for good");

    public static void RecordWrite(TimeSpan elapsed, Exception? error)
    {
        if (error is null) WriteDuration.Record(elapsed.TotalSeconds);
        else WriteDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("error.type", error.GetType().Name));
    }

    public static void RecordRetry(string by) => WriteRetries.Add(1, new KeyValuePair<string, object?>("retried.by", by));
}
