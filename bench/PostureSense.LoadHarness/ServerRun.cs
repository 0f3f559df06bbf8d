using System.Diagnostics;
using System.Text.Json;
using PostureSense.Bench;
using PostureSense.FirmwareSim.Load;

namespace PostureSense.LoadHarness;

/// <param name="Frames">Frames the broker acknowledged to the fleet.</param>
/// <param name="PublishSeconds">From the first publish until the broker acknowledged the last.</param>
/// <param name="Seconds">From the first publish until the store held every acknowledged frame.</param>
/// <param name="CpuSeconds">The server process's user + system CPU over <paramref name="Seconds"/>.</param>
/// <param name="PeakRssMb">The server process's peak resident memory over its life (VmHWM).</param>
/// <param name="Rejected">Messages the server rejected (should be 0).</param>
sealed record ServerResult(long Frames, double PublishSeconds, double Seconds, double CpuSeconds, double PeakRssMb, long Rejected)
{
    public double FramesPerSecond => Seconds > 0 ? Frames / Seconds : 0;
    /// <summary>How long after the last publish was acknowledged the store caught up.</summary>
    public double LagSeconds => Seconds - PublishSeconds;
    public double AverageCores => Seconds > 0 ? CpuSeconds / Seconds : 0;
}

static class ServerRun
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Named by the server's <c>--operators</c>: <c>/api/stats</c> answers only an operator.</summary>
    public const string OperatorEmail = "bench@example.org";

    /// <summary>Signed in as the operator, the account made first (a taken email is answered alike, so this works on a reused app database too).</summary>
    static async Task<HttpClient> OperatorClientAsync(Uri httpUrl, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = httpUrl,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var credentials = new { email = OperatorEmail, password = "the load harness's operator" };
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, "api/account/signup", credentials, cancellationToken)).Dispose();
        using var login = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, "api/account/login", credentials, cancellationToken);
        login.EnsureSuccessStatusCode();
        return http;
    }

    public static async Task<ServerResult> RunAsync(HarnessOptions options, FleetOptions fleetOptions, IFrameCounter store, CancellationToken cancellationToken)
    {
        if (await store.CountAsync(cancellationToken) is var before and > 0)
            throw new InvalidOperationException($"the store already holds {before} frames; start from an empty database or file");

        await using var server = ServerProcess.Start(options.ServerDll, $"mqtt://{options.Mqtt.Host}:{options.Mqtt.Port}", options.Store, "--operators", OperatorEmail);
        var httpUrl = await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        using var http = await OperatorClientAsync(httpUrl, cancellationToken);

        // Connecting a thousand devices is not ingestion: it happens before the clock starts.
        await using var fleet = await DeviceFleet.ConnectAsync(fleetOptions, cancellationToken);
        var cpuAtStart = server.CpuTime;
        var clock = Stopwatch.StartNew();
        await fleet.RunAsync(cancellationToken);
        var published = clock.Elapsed;
        var acknowledged = fleet.FramesAcknowledged;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        long stored = 0;
        try
        {
            // The server's own counter is cheap to poll; the store is asked only once it claims to be done,
            // and the run ends when the store itself holds every frame.
            while ((stored = await FramesStoredAsync(http, deadline.Token)) < acknowledged) await Task.Delay(Poll, deadline.Token);
            while ((stored = await store.CountAsync(deadline.Token)) < acknowledged) await Task.Delay(Poll, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"after {options.Timeout.TotalSeconds:0} s the store holds {stored} of {acknowledged} acknowledged frames");
        }
        var elapsed = clock.Elapsed;
        var cpu = server.CpuTime - cpuAtStart;
        var peakRss = server.PeakRssBytes();
        var rejected = await RejectedAsync(http, cancellationToken);
        if (stored != acknowledged)
            Console.Error.WriteLine($"warning: the store holds {stored} frames, {acknowledged} were acknowledged");

        return new ServerResult(acknowledged, published.TotalSeconds, elapsed.TotalSeconds, cpu.TotalSeconds, peakRss / (1024.0 * 1024), rejected);
    }

    static async Task<long> FramesStoredAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync("api/stats", cancellationToken));
        return stats.RootElement.GetProperty("framesStored").GetInt64();
    }

    static async Task<long> RejectedAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync("api/stats", cancellationToken));
        return stats.RootElement.GetProperty("rejectedTotal").GetInt64();
    }
}
