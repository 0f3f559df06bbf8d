using System.Net;

namespace PostureSense.Storage.Influx;

/// <summary>
/// A write InfluxDB refused or could not take; the message names the status and InfluxDB's own
/// words. An <see cref="IOException"/>, as a disk error would be, so callers that report I/O
/// failures in one line (startup) treat it alike.
/// </summary>
public sealed class InfluxWriteException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : IOException(message, inner)
{
    /// <summary>The HTTP status, or null when no answer came (connection refused, timeout).</summary>
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// Points InfluxDB rejected for good in a partial write (type conflict, outside the retention
/// policy, unparsable): retrying would be refused again, so they are reported and the write goes on.
/// </summary>
/// <param name="Sent">Points in the request.</param>
/// <param name="Dropped">How many InfluxDB says it dropped, when it says.</param>
/// <param name="Error">InfluxDB's error text.</param>
public sealed record InfluxDroppedPoints(int Sent, int? Dropped, HttpStatusCode Status, string Error);

/// <summary>
/// A query InfluxDB refused, answered with an error (unknown database, bad InfluxQL, auth), or
/// never answered.
/// </summary>
public sealed class InfluxQueryException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : IOException(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}
