using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PostureSense.Storage.Influx;

/// <summary>
/// Sends line protocol to InfluxDB the way influxdb-client-csharp's WriteApi and Telegraf do:
/// gzip bodies; requests of at most <see cref="InfluxWriterOptions.MaxPointsPerRequest"/> points
/// sent in order; 429, 5xx and connection failures retried with exponential backoff and jitter,
/// honouring Retry-After, a bounded number of times before throwing; a 413 split in half and
/// each half sent; a partial write reported through <see cref="PointsDropped"/> and not retried
/// (the refused points would be refused again); any other refusal thrown with InfluxDB's words.
/// Nothing is buffered between calls: the caller batches (ingestion gathers many messages into
/// one write), so there is nothing to flush on shutdown.
/// </summary>
/// <param name="clock">For backoff and Retry-After; real time unless a test says otherwise.</param>
public sealed class InfluxWriter(HttpClient http, InfluxEndpoint endpoint, InfluxWriterOptions options, ILogger log, TimeProvider? clock = null)
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly string _path = InfluxHttp.WritePath(endpoint);
    long _droppedWrites;

    /// <summary>Raised for each partial write, after the warning is logged.</summary>
    public event Action<InfluxDroppedPoints>? PointsDropped;

    /// <summary>Requests InfluxDB answered with a partial write since start.</summary>
    public long DroppedWrites => Interlocked.Read(ref _droppedWrites);

    /// <summary>Writes all points, in order; when it returns, InfluxDB has stored them (or reported those it never will).</summary>
    public async Task WriteAsync(InfluxPoints points, CancellationToken cancellationToken = default)
    {
        for (var from = 0; from < points.Count;)
        {
            var to = from + 1;
            while (to < points.Count && to - from < options.MaxPointsPerRequest
                   && points.Length(from, to + 1) <= options.MaxCharsPerRequest)
                to++;
            await SendAsync(points, from, to, cancellationToken);
            from = to;
        }
    }

    async Task SendAsync(InfluxPoints points, int from, int to, CancellationToken cancellationToken)
    {
        var body = Gzip(points.Text(from, to));
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = Content(body) };
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode) return;

                var status = response.StatusCode;
                var error = await InfluxResponses.ErrorTextAsync(response, cancellationToken);
                if (status == HttpStatusCode.RequestEntityTooLarge && to - from > 1)
                {
                    // Too big for this server's limit: halves go in order, each split again if need be.
                    var middle = from + (to - from) / 2;
                    log.LogInformation("InfluxDB refused {Points} points as too large; sending them in two halves", to - from);
                    await SendAsync(points, from, middle, cancellationToken);
                    await SendAsync(points, middle, to, cancellationToken);
                    return;
                }
                if (InfluxResponses.IsPartialWrite(status, error))
                {
                    ReportDropped(new InfluxDroppedPoints(to - from, InfluxResponses.DroppedCount(error), status, error));
                    return;
                }
                failure = $"InfluxDB answered {(int)status} {status}: {error}";
                if (!InfluxResponses.IsRetryable(status))
                    throw new InfluxWriteException($"{failure} (writing to {endpoint})", status);
                if (attempt >= options.MaxAttempts)
                    throw new InfluxWriteException($"{failure} (writing to {endpoint}; gave up after {attempt} attempts)", status);
                retryAfter = InfluxResponses.RetryAfter(response, _clock.GetUtcNow());
            }
            catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
            {
                failure = $"InfluxDB at {endpoint.BaseUrl} could not be reached: {ex.Message}";
                if (attempt >= options.MaxAttempts)
                    throw new InfluxWriteException($"{failure} (gave up after {attempt} attempts)", null, ex);
            }

            var delay = retryAfter is { } asked ? Min(asked, options.MaxRetryAfter) : Backoff(attempt);
            log.LogWarning("Write of {Points} points failed (attempt {Attempt} of {MaxAttempts}): {Failure}; retrying in {Delay}",
                to - from, attempt, options.MaxAttempts, failure, delay);
            StoreMetrics.RecordRetry("influxdb-http");
            await Task.Delay(delay, _clock, cancellationToken);
        }
    }

    void ReportDropped(InfluxDroppedPoints dropped)
    {
        Interlocked.Increment(ref _droppedWrites);
        StoreMetrics.PointsDropped.Add(dropped.Dropped ?? dropped.Sent);
        log.LogWarning("InfluxDB refused {Dropped} of {Sent} points for good ({Status}): {Error}",
            dropped.Dropped?.ToString() ?? "some", dropped.Sent, (int)dropped.Status, dropped.Error);
        PointsDropped?.Invoke(dropped);
    }

    /// <summary>Exponential with "equal jitter": half fixed, half random, so many writers do not retry in step.</summary>
    TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(options.MaxDelay.Ticks, options.FirstDelay.Ticks << Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks(ceiling / 2 + (long)(Random.Shared.NextDouble() * (ceiling / 2)));
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>No answer at all: refused, reset, DNS, or HttpClient's own timeout (not the caller cancelling).</summary>
    static bool IsConnectionFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    static ByteArrayContent Content(ArraySegment<byte> body)
    {
        var content = new ByteArrayContent(body.Array!, body.Offset, body.Count);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    static ArraySegment<byte> Gzip(ReadOnlySpan<char> text)
    {
        var output = new MemoryStream(text.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var utf8 = new byte[Encoding.UTF8.GetByteCount(text)];
            Encoding.UTF8.GetBytes(text, utf8);
            gzip.Write(utf8);
        }
        return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
    }
}
