using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Storage.Influx;

namespace PostureSense.Server.Tests.Storage.Influx;

public sealed class InfluxWriterTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Short delays: the tests check that a retry happens, not how long it took.
    static readonly InfluxWriterOptions Fast = new() { FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };

    static InfluxPoints Points(int count, long firstTs = 1_795_478_400_000)
    {
        var points = new InfluxPoints();
        for (var i = 0; i < count; i++)
        {
            points.Point("posture").Tag("device", "desk-1").Field("pitch", 20.5 + i).Field("steps", (long)i);
            points.End(firstTs + i * 1000);
        }
        return points;
    }

    static (InfluxWriter Writer, HttpClient Http) Writer(ScriptedHttpServer server, string url, InfluxWriterOptions? options = null)
    {
        var endpoint = InfluxEndpoint.Parse(url.Replace("HOST", server.Url.Authority));
        var http = InfluxHttp.CreateClient(endpoint, TimeSpan.FromSeconds(10));
        return (new InfluxWriter(http, endpoint, options ?? Fast, NullLogger.Instance), http);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_v1_write_posts_gzip_line_protocol_to_write_with_db_ms_precision_and_basic_auth()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var (writer, http) = Writer(server, "influxdb://ann:s%3Acret@HOST/posture");
        using var _ = http;
        var points = Points(2);

        await writer.WriteAsync(points, Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/write?db=posture&precision=ms", request.PathAndQuery);
        Assert.Equal("gzip", request.ContentEncoding);
        Assert.Equal("Basic " + Convert.ToBase64String("ann:s:cret"u8.ToArray()), request.Authorization);
        Assert.Equal("""
            posture,device=desk-1 pitch=20.5,steps=0i 1795478400000
            posture,device=desk-1 pitch=21.5,steps=1i 1795478401000

            """.ReplaceLineEndings("\n"), request.Body);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_v2_write_posts_to_api_v2_write_with_org_bucket_and_a_token()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var (writer, http) = Writer(server, "influxdb2://HOST/?org=acme%20co&bucket=posture&token=abc%2Bdef%3D%3D");
        using var _ = http;

        await writer.WriteAsync(Points(1), Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v2/write?org=acme%20co&bucket=posture&precision=ms", request.PathAndQuery);
        Assert.Equal("Token abc+def==", request.Authorization);
        Assert.Equal("gzip", request.ContentEncoding);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_429_is_retried_after_the_delay_the_server_asks_for()
    {
        await using var server = await ScriptedHttpServer.StartAsync(new ScriptedReply(429, """{"error":"slow down"}""", RetryAfter: "1"));
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;
        var started = DateTimeOffset.UtcNow;

        await writer.WriteAsync(Points(3), Ct);

        var writes = server.Writes;
        Assert.Equal(2, writes.Count);
        Assert.Equal(writes[0].Body, writes[1].Body);
        // Loosely: the backoff alone is tens of ms, so a wait near a second is Retry-After's.
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(800));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_retry_after_longer_than_the_cap_waits_only_the_cap()
    {
        await using var server = await ScriptedHttpServer.StartAsync(new ScriptedReply(429, """{"error":"slow down"}""", RetryAfter: "3600"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var endpoint = InfluxEndpoint.Parse($"influxdb://{server.Url.Authority}/posture");
        using var http = InfluxHttp.CreateClient(endpoint, TimeSpan.FromSeconds(10));
        var writer = new InfluxWriter(http, endpoint, Fast with { MaxRetryAfter = TimeSpan.FromSeconds(60) }, NullLogger.Instance, clock);

        var write = writer.WriteAsync(Points(1), Ct);
        for (var i = 0; i < 1000 && server.Writes.Count == 0; i++) await Task.Delay(5, Ct);
        Assert.False(write.IsCompleted);
        // Time passes on the writer's clock a second at a time until the retry has gone out.
        for (var i = 0; i < 3000 && !write.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, Ct);
        }
        await write;

        Assert.Equal(2, server.Writes.Count);
        // An hour asked, a minute given (plus the seconds that passed before the answer was read).
        Assert.InRange(clock.GetUtcNow() - clock.Start, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_retry_after_given_as_an_http_date_is_honoured_too()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(1).ToString("R");
        await using var server = await ScriptedHttpServer.StartAsync(new ScriptedReply(503, RetryAfter: at));
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;

        await writer.WriteAsync(Points(1), Ct);

        Assert.Equal(2, server.Writes.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Two_503s_then_success_is_three_attempts_of_the_same_body()
    {
        await using var server = await ScriptedHttpServer.StartAsync(
            new ScriptedReply(503, """{"error":"engine: cache maximum memory size exceeded"}"""), new ScriptedReply(503));
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;

        await writer.WriteAsync(Points(5), Ct);

        var writes = server.Writes;
        Assert.Equal(3, writes.Count);
        Assert.Single(writes.Select(w => w.Body).Distinct());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_5xx_that_persists_throws_after_the_attempt_limit_naming_status_and_message()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Answer = _ => new ScriptedReply(500, """{"error":"timeout"}""");
        var (writer, http) = Writer(server, "influxdb://HOST/posture", Fast with { MaxAttempts = 3 });
        using var _ = http;

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync(Points(1), Ct));

        Assert.Equal(3, server.Writes.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Contains("500", error.Message);
        Assert.Contains("timeout", error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unreachable_server_is_retried_then_thrown()
    {
        var endpoint = InfluxEndpoint.Parse($"influxdb://127.0.0.1:{ClosedPort()}/posture");
        using var http = InfluxHttp.CreateClient(endpoint, TimeSpan.FromSeconds(5));
        var writer = new InfluxWriter(http, endpoint, Fast with { MaxAttempts = 2 }, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync(Points(1), Ct));

        Assert.Null(error.Status);
        Assert.Contains("could not be reached", error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_413_splits_the_body_in_halves_until_they_fit_and_every_point_arrives_once_in_order()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        // Accepts at most 2 points; one point holds a newline inside a string, so halves must cut at point ends.
        server.Answer = r => r.Body.Split(" 17954784", StringSplitOptions.None).Length - 1 > 2
            ? new ScriptedReply(413, """{"error":"Request Entity Too Large"}""")
            : ScriptedReply.NoContent;
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;
        var points = Points(6);
        points.Point("prompt").Tag("device", "desk-1").Field("command_id", "two\nlines");
        points.End(1_795_478_499_000);

        await writer.WriteAsync(points, Ct);

        var accepted = server.Writes.Where(w => w.Body.Split(" 17954784").Length - 1 <= 2).Select(w => w.Body);
        Assert.Equal(points.ToString(), string.Concat(accepted));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_single_point_too_large_is_an_error_not_a_loop()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        server.Answer = _ => new ScriptedReply(413, """{"error":"Request Entity Too Large"}""");
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync(Points(2), Ct));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Status);
        // Both points, then the first alone: still too large, so it stops there.
        Assert.Equal([2, 1], server.Writes.Select(w => w.Body.Count(c => c == '\n')));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("influxdb://HOST/posture", 400, """{"error":"partial write: field type conflict: input field \"pitch\" on measurement \"posture\" is type integer, already exists as type float dropped=1"}""", 1)]
    [InlineData("influxdb2://HOST/?org=o&bucket=b&token=t", 422, """{"code":"unprocessable entity","message":"failure writing points to database: partial write: points beyond retention policy dropped=2"}""", 2)]
    public async Task A_partial_write_reports_what_was_dropped_and_why_and_is_not_retried(string url, int status, string body, int dropped)
    {
        await using var server = await ScriptedHttpServer.StartAsync(new ScriptedReply(status, body));
        var (writer, http) = Writer(server, url);
        using var _ = http;
        var reports = new List<InfluxDroppedPoints>();
        writer.PointsDropped += reports.Add;

        await writer.WriteAsync(Points(4), Ct);

        Assert.Single(server.Writes);
        var report = Assert.Single(reports);
        Assert.Equal(4, report.Sent);
        Assert.Equal(dropped, report.Dropped);
        Assert.Equal((HttpStatusCode)status, report.Status);
        Assert.Contains("partial write", report.Error);
        Assert.Equal(1, writer.DroppedWrites);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(401, """{"error":"authorization failed"}""", "authorization failed")]
    [InlineData(403, """{"code":"forbidden","message":"insufficient permissions for write"}""", "insufficient permissions")]
    [InlineData(404, """{"error":"database not found: \"posture\""}""", "database not found")]
    [InlineData(400, """{"error":"unable to parse 'posture x': invalid field format"}""", "unable to parse")]
    public async Task Other_refusals_throw_at_once_naming_the_status_and_influxdbs_message(int status, string body, string expected)
    {
        await using var server = await ScriptedHttpServer.StartAsync(new ScriptedReply(status, body));
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;

        var error = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync(Points(1), Ct));

        Assert.Single(server.Writes);
        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_large_call_goes_out_in_ordered_chunks_of_the_maximum_size()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var (writer, http) = Writer(server, "influxdb://HOST/posture", Fast with { MaxPointsPerRequest = 3 });
        using var _ = http;
        var points = Points(7);

        await writer.WriteAsync(points, Ct);

        var writes = server.Writes;
        Assert.Equal([3, 3, 1], writes.Select(w => w.Body.Count(c => c == '\n')));
        Assert.Equal(points.ToString(), string.Concat(writes.Select(w => w.Body)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Nothing_to_write_sends_nothing()
    {
        await using var server = await ScriptedHttpServer.StartAsync();
        var (writer, http) = Writer(server, "influxdb://HOST/posture");
        using var _ = http;

        await writer.WriteAsync(new InfluxPoints(), Ct);

        Assert.Empty(server.Requests);
    }

    static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
