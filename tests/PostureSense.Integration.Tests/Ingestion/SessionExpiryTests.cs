using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Configuration;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Storage;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Ingestion;

/// <summary>
/// The server away longer than its session expiry, on mosquitto with the shipped config: the broker
/// has dropped the session (and what devices sent meanwhile), and the server says so on its return,
/// in the log and in /metrics. Within the expiry the session resumes quietly.
/// </summary>
public sealed partial class SessionExpiryTests : IAsyncLifetime
{
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "server-secret";
    static readonly TimeSpan Expiry = TimeSpan.FromSeconds(2);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-session-expiry-").FullName;
    MosquittoServer _broker = null!;

    public async ValueTask InitializeAsync() =>
        _broker = await MosquittoServer.StartAsync(new Dictionary<string, string> { [ServerUser] = ServerPassword }, cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    async Task<(PostureServer Server, TestLoggerProvider Logs)> StartServerAsync(TimeSpan expiry)
    {
        var logs = new TestLoggerProvider();
        var options = new ServerOptions
        {
            Mqtt = new MqttBrokerAddress(_broker.Host, _broker.Port, ServerUser, ServerPassword),
            SessionExpiry = expiry,
            Store = StoreLocation.Parse("sqlite:" + Path.Combine(_dir, "server.db")),
            Http = new HttpEndpoint(IPAddress.Loopback, 0),
            Management = new HttpEndpoint(IPAddress.Loopback, 0),
        };
        var server = new PostureServer(options, new FakeTimeProvider(DateTimeOffset.UtcNow), LoggerFactory.Create(b => b.AddProvider(logs)));
        await server.StartAsync(Ct);
        return (server, logs);
    }

    static IEnumerable<string> Warnings(TestLoggerProvider logs) => logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message);

    static async Task<long> SessionsLostAsync(PostureServer server)
    {
        using var http = new HttpClient { BaseAddress = server.ManagementUrl, Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync("/metrics", Ct);
        var match = SessionsLostLine().Match(metrics);
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task A_restart_within_the_expiry_resumes_the_session_quietly()
    {
        // Long enough that starting again, however slowly, comes back well within it.
        var (first, _) = await StartServerAsync(TimeSpan.FromMinutes(5));
        await first.DisposeAsync();

        var (second, logs) = await StartServerAsync(TimeSpan.FromMinutes(5));
        await using var _ = second;

        Assert.DoesNotContain(Warnings(logs), w => w.Contains("no longer had the server's session", StringComparison.Ordinal));
        Assert.Equal(0, await SessionsLostAsync(second));
    }

    [Fact]
    public async Task An_outage_longer_than_the_expiry_is_logged_with_its_length_and_counted()
    {
        var (first, _) = await StartServerAsync(Expiry);
        await first.DisposeAsync();
        // mosquitto ends the session once the expiry has passed after the server's DISCONNECT.
        await Task.Delay(Expiry + TimeSpan.FromSeconds(3), Ct);

        var (second, logs) = await StartServerAsync(Expiry);
        await using var _ = second;

        var warning = Assert.Single(Warnings(logs), w => w.Contains("no longer had the server's session", StringComparison.Ordinal));
        Assert.Matches(@"the server was away about \d+ s", warning);
        Assert.Contains("longer than the session expiry 2 s", warning);
        Assert.Equal(1, await SessionsLostAsync(second));
    }

    [GeneratedRegex(@"^posturesense_mqtt_sessions_lost(?:_total)?(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline)]
    private static partial Regex SessionsLostLine();
}
