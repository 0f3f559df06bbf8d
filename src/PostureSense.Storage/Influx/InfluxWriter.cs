using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

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
    readonly ResiliencePipeline _retry = BuildRetry(options, clock ?? TimeProvider.System, log);
    long _droppedWrites;

    /// <summary>Raised for each partial write, after the warning is logged.</summary>
    public event Action<InfluxDroppedPoints>? PointsDropped;

    /// <summary>Requests InfluxDB answered with a partial write since start.</summary>
    public long DroppedWrites => Interlocked.Read(ref _droppedWrites);

    /// <summary>Writes all points, in order; when it returns, InfluxDB has stored them (or reported those it never will).</summary>
    /// <returns>The partial writes of this call (also raised as <see cref="PointsDropped"/>); empty when every point was stored.</returns>
    public async Task<IReadOnlyList<InfluxDroppedPoints>> WriteAsync(InfluxPoints points, CancellationToken cancellationToken = default)
    {
        var dropped = new List<InfluxDroppedPoints>();
        for (var from = 0; from < points.Count;)
        {
            var to = from + 1;
            while (to < points.Count && to - from < options.MaxPointsPerRequest
                   && points.Length(from, to + 1) <= options.MaxCharsPerRequest)
                to++;
            await SendAsync(points, from, to, dropped, cancellationToken);
            from = to;
        }
        return dropped;
    }

    async Task SendAsync(InfluxPoints points, int from, int to, List<InfluxDroppedPoints> dropped, CancellationToken cancellationToken)
    {
        var body = Gzip(points.Text(from, to));
        try
        {
            await _retry.ExecuteAsync(ct => SendOnceAsync(points, from, to, body, dropped, ct), cancellationToken);
        }
        catch (RetryableWrite ex)
        {
            // Out of attempts: the caller's own retry (RetryingStore) takes over from here.
            throw ex.Status is { } status
                ? new InfluxWriteException($"{ex.Failure} (writing to {endpoint}; gave up after {options.MaxAttempts} attempts)", status)
                : new InfluxWriteException($"{ex.Failure} (gave up after {options.MaxAttempts} attempts)", null, ex.InnerException);
        }
    }

    /// <summary>One attempt: done, split, reported as partial, refused for good, or a <see cref="RetryableWrite"/>.</summary>
    async ValueTask SendOnceAsync(InfluxPoints points, int from, int to, ArraySegment<byte> body, List<InfluxDroppedPoints> dropped,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = Content(body) };
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            throw new RetryableWrite($"InfluxDB at {endpoint.BaseUrl} could not be reached: {ex.Message}", to - from, null, null, ex);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return;

            var status = response.StatusCode;
            var error = await InfluxResponses.ErrorTextAsync(response, cancellationToken);
            if (status == HttpStatusCode.RequestEntityTooLarge && to - from > 1)
            {
                // Too big for this server's limit: halves go in order, each split again if need be.
                var middle = from + (to - from) / 2;
                log.InfluxSplitting(to - from);
                await SendAsync(points, from, middle, dropped, cancellationToken);
                await SendAsync(points, middle, to, dropped, cancellationToken);
                return;
            }
            if (InfluxResponses.IsPartialWrite(status, error))
            {
                var report = new InfluxDroppedPoints(to - from, InfluxResponses.DroppedCount(error), status, error);
                lock (dropped) dropped.Add(report);
                ReportDropped(report);
                return;
            }
            var failure = $"InfluxDB answered {(int)status} {status}: {error}";
            if (!InfluxResponses.IsRetryable(status))
                throw new InfluxWriteException($"{failure} (writing to {endpoint})", status);
            throw new RetryableWrite(failure, to - from, status, InfluxResponses.RetryAfter(response, _clock.GetUtcNow()));
        }
    }

    /// <summary>
    /// 429, 5xx and no answer at all: tried again with exponential backoff and jitter, so many
    /// writers do not retry in step, or after the Retry-After the server asked for, up to
    /// <see cref="InfluxWriterOptions.MaxRetryAfter"/>. A Polly.Core pipeline rather than
    /// Microsoft.Extensions.Http.Resilience's standard handler: that handler sits in the HttpClient,
    /// which the queries share (they must fail fast), brings a circuit breaker and timeouts the
    /// store does not want, and would retry a 413 or a partial write's request as a whole
    /// instead of letting this writer split it or report it.
    /// </summary>
    static ResiliencePipeline BuildRetry(InfluxWriterOptions options, TimeProvider clock, ILogger log)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (options.MaxAttempts <= 1) return builder.Build();
        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RetryableWrite>(),
            MaxRetryAttempts = options.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.FirstDelay,
            MaxDelay = options.MaxDelay,
            DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Exception is RetryableWrite { RetryAfter: { } asked }
                ? Min(asked, options.MaxRetryAfter)
                : null),
            OnRetry = args =>
            {
                var failed = (RetryableWrite)args.Outcome.Exception!;
                StoreMetrics.RecordRetry("influxdb-http");
                log.InfluxWriteRetrying(failed.Points, args.AttemptNumber + 1, options.MaxAttempts, failed.Failure, args.RetryDelay);
                return default;
            },
        }).Build();
    }

    /// <summary>A failure worth another attempt; never leaves the writer.</summary>
    sealed class RetryableWrite(string failure, int points, HttpStatusCode? status, TimeSpan? retryAfter, Exception? inner = null)
        : Exception(failure, inner)
    {
        public string Failure => Message;
        public int Points => points;
        public HttpStatusCode? Status => status;
        public TimeSpan? RetryAfter => retryAfter;
    }

    void ReportDropped(InfluxDroppedPoints dropped)
    {
        Interlocked.Increment(ref _droppedWrites);
        StoreMetrics.PointsDropped.Add(dropped.Dropped ?? dropped.Sent);
        log.InfluxDropped(dropped.Dropped?.ToString(CultureInfo.InvariantCulture) ?? "some", dropped.Sent, (int)dropped.Status, dropped.Error);
        PointsDropped?.Invoke(dropped);
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
