namespace PostureSense.Storage.Influx;

/// <summary>How <see cref="InfluxWriter"/> sizes requests and retries them.</summary>
public sealed record InfluxWriterOptions
{
    /// <summary>Attempts per request before the call throws (the caller's own retry, e.g. RetryingStore, takes over).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first backoff; it doubles per attempt up to <see cref="MaxDelay"/>, with jitter.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A server's Retry-After is honoured up to this, so one answer cannot stall ingestion for hours.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Points per request; InfluxDB's guidance is 5,000.</summary>
    public int MaxPointsPerRequest { get; init; } = 5_000;

    /// <summary>Characters of line protocol per request (before gzip), under the servers' usual body limits.</summary>
    public int MaxCharsPerRequest { get; init; } = 1 << 20;
}
