using System.Net;

namespace PostureSense.Server.Tests.Health;

/// <summary>Health and metrics answer on the management address, and only there.</summary>
public sealed class ManagementTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long Now = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(_dir.File("management.db"));

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_management_address_says_the_server_is_alive_and_ready()
    {
        Assert.NotEqual(_harness.Server.HttpUrl!.Port, _harness.Server.ManagementUrl!.Port);

        using var alive = await _harness.Management.GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        using var ready = await _harness.Management.GetAsync("/readyz", Ct);
        var body = await ready.Content.ReadAsStringAsync(Ct);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"broker\"", body);
        Assert.Contains("\"store\"", body);
        Assert.Contains("ingestion-store", body);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task Fleet_wide_endpoints_are_not_served_to_wearers(string path)
    {
        using var signedIn = await _harness.Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, signedIn.StatusCode);
        using var anonymous = await _harness.Anonymous.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_management_address_serves_nothing_of_the_wearers()
    {
        using var devices = await _harness.Management.GetAsync("/api/devices", Ct);
        Assert.Equal(HttpStatusCode.NotFound, devices.StatusCode);
        using var login = await _harness.Management.GetAsync("/login", Ct);
        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_the_frames_stored()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        await device.PublishTelemetryAsync(TestFrames.Run(Now - 60_000, 60, pitch: 12));
        await _harness.WaitForProcessedAsync(1);

        // The exporter may serve a scrape from a short cache: ask until the count shows.
        string? scraped = null;
        await Eventually.TrueAsync(() =>
        {
            scraped = _harness.Management.GetStringAsync("/metrics", Ct).GetAwaiter().GetResult();
            return FramesStored(scraped) >= 60;
        }, "the frames stored counter in /metrics");
        Assert.Contains("# TYPE posturesense_frames_stored_total counter", scraped);
        Assert.Contains("posturesense_queue_depth", scraped);
        Assert.Contains("posturesense_messages_accepted_total", scraped);
    }

    /// <summary>The counter's value; other servers in this test process count on the same meter name, so it is at least ours.</summary>
    static double FramesStored(string scraped) =>
        scraped.Split('\n')
            .Where(l => l.StartsWith("posturesense_frames_stored_total", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Sum();
}
