using PostureSense.Core.Contract;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Accounts.Settings;
using PostureSense.Core.Exercises;
using PostureSense.Server.Alerts;
using PostureSense.Server.Configuration;
using PostureSense.Server.Outbound;

namespace PostureSense.Server.Tests.Outbound;

/// <summary>
/// What a delivery does with a URL that passed the check on save: it is checked again on the
/// addresses it connects to (DNS may have changed), a redirect is not followed, and one wearer's
/// URL that never answers or their flood of alerts holds up no other wearer's alerts.
/// </summary>
public sealed class AlertSendTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ScriptedHttpServer _push = null!;
    readonly ConcurrentQueue<(string DeviceId, string CommandId, bool Ok)> _ended = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _push = await ScriptedHttpServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _push.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_after_it_was_saved_is_refused_when_sending_and_counted()
    {
        var dns = new ChangingDns { Answer = [IPAddress.Parse("203.0.113.10")] };
        await using var harness = await StartAsync("dns.db", configureServices: s => s.AddSingleton<HostResolver>(dns.ResolveAsync));
        await SaveWebhookAsync(harness, $"http://hooks.example.test:{_push.Url.Port}/hook");

        dns.Answer = [IPAddress.Loopback];
        harness.Server.Alerts.Announce(Alert("desk-1", "after-dns-change"));
        await Eventually.TrueAsync(() => !_ended.IsEmpty, "the webhook delivery to end");

        Assert.Equal(("desk-1", "after-dns-change", false), Assert.Single(_ended));
        Assert.Empty(_push.Requests);
        Assert.Contains(harness.Logs.Errors, e => e.Contains("Refused to deliver webhook alert after-dns-change") && e.Contains("loopback"));
        await MetricAsync(harness, "send", "loopback");
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_delivery_fails_with_its_reason()
    {
        await using var elsewhere = await ScriptedHttpServer.StartAsync();
        _push.Answer = _ => new ScriptedReply(302) { Location = new Uri(elsewhere.Url, "query?q=DROP").AbsoluteUri };
        // Both allowed: the redirect itself is what must stop it.
        await using var harness = await StartAsync("redirect.db", allow: $"127.0.0.1:{_push.Url.Port},127.0.0.1:{elsewhere.Url.Port}");
        await SaveWebhookAsync(harness, new Uri(_push.Url, "hook").AbsoluteUri);

        harness.Server.Alerts.Announce(Alert("desk-1", "redirected"));
        await Eventually.TrueAsync(() => !_ended.IsEmpty, "the webhook delivery to end");

        Assert.Equal(("desk-1", "redirected", false), Assert.Single(_ended));
        Assert.Single(_push.Requests); // not retried either
        Assert.Empty(elsewhere.Requests);
        Assert.Contains(harness.Logs.Errors, e => e.Contains("with a redirect (302 Found)") && e.Contains(elsewhere.Url.Authority));
        await MetricAsync(harness, "send", "redirect");
    }

    [Fact]
    public async Task A_wearer_whose_url_never_answers_does_not_delay_another_wearers_alert()
    {
        using var silent = SilentServer.Start();
        await using var harness = await StartAsync("hang.db", allow: $"127.0.0.1:{silent.Port},127.0.0.1:{_push.Url.Port}",
            // Far longer than the test: the hung delivery stays hung throughout.
            configure: o => o with { AlertDelivery = o.AlertDelivery with { Timeout = TimeSpan.FromMinutes(10) } });
        await SaveWebhookAsync(harness, $"http://127.0.0.1:{silent.Port}/never");
        var other = await harness.AddWearerAsync("other@example.org", ServerHarness.WearerPassword, ["desk-2"]);
        var saved = await harness.Server.Settings.SaveAsync(other,
            WearerSettings.Default with { Alerts = new AlertSettings(Webhook: new WebhookChannel(new Uri(_push.Url, "other").AbsoluteUri)) }, Ct);
        Assert.NotNull(saved.Saved);

        // More hung alerts than the server has delivery slots.
        for (var i = 0; i < 10; i++) harness.Server.Alerts.Announce(Alert("desk-1", $"hung-{i}"));
        await Eventually.TrueAsync(() => silent.Accepted > 0, "the first hung delivery to connect");
        harness.Server.Alerts.Announce(Alert("desk-2", "other"));
        await Eventually.TrueAsync(() => _ended.Contains(("desk-2", "other", true)), "the other wearer's alert");

        Assert.Equal("/other", Assert.Single(_push.Requests).PathAndQuery);
        // The first still hangs, the second waits behind it, the rest were refused at once.
        Assert.Equal(1, silent.Accepted);
        Assert.DoesNotContain(_ended, e => e.CommandId is "hung-0" or "hung-1");
        Assert.Equal(Enumerable.Range(2, 8).Select(i => $"hung-{i}").ToHashSet(),
            _ended.Where(e => e is { DeviceId: "desk-1", Ok: false }).Select(e => e.CommandId).ToHashSet());
        Assert.Contains(Warnings(harness), w => w.Contains("Did not send webhook alert hung-9") && w.Contains("wearer-busy"));
        await MetricAsync(harness, "send", "wearer-busy");
    }

    [Fact]
    public async Task Alerts_past_a_wearers_rate_are_refused_and_counted_not_queued()
    {
        await using var harness = await StartAsync("rate.db", allow: $"127.0.0.1:{_push.Url.Port}",
            configure: o => o with { AlertDelivery = o.AlertDelivery with { PerWearerPerMinute = 2 } });
        await SaveWebhookAsync(harness, new Uri(_push.Url, "hook").AbsoluteUri);

        for (var i = 0; i < 3; i++) harness.Server.Alerts.Announce(Alert("desk-1", $"burst-{i}"));
        await Eventually.TrueAsync(() => _ended.Count == 3, "the three deliveries to end");

        Assert.Equal(2, _push.Requests.Count);
        Assert.Equal(("desk-1", "burst-2", false), _ended.Single(e => !e.Ok));
        Assert.Contains(Warnings(harness), w => w.Contains("Did not send webhook alert burst-2") && w.Contains("wearer-rate"));
        await MetricAsync(harness, "send", "wearer-rate");
    }

    async Task<ServerHarness> StartAsync(string db, string? allow = null, Func<ServerOptions, ServerOptions>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var harness = await ServerHarness.StartAsync(_dir.File(db), configure: o =>
        {
            var options = allow is null ? o : o with { AlertDelivery = o.AlertDelivery with { Allow = OutboundAllowlist.Parse(allow) } };
            return configure?.Invoke(options) ?? options;
        }, configureServices: configureServices);
        harness.Server.Alerts.DeliveryEnded += (_, alert, ok) => _ended.Enqueue((alert.DeviceId.Value, alert.CommandId, ok));
        return harness;
    }

    static async Task SaveWebhookAsync(ServerHarness harness, string url)
    {
        using var response = await harness.Http.PutAsJsonAsync("/api/settings", new { alerts = new { webhook = new { url } } }, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    static IEnumerable<string> Warnings(ServerHarness harness) =>
        harness.Logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message);

    static PromptAlert Alert(string deviceId, string commandId) =>
        PromptAlert.Create(DeviceId.Parse(deviceId), commandId, TestFrames.Morning.ToUnixTimeMilliseconds(), PromptReason.Hunch, "cat-cow", reminder: false);

    /// <summary>The refusal shows in <c>/metrics</c>, by stage and reason.</summary>
    static Task MetricAsync(ServerHarness harness, string stage, string reason) =>
        Eventually.TrueAsync(() => harness.Management.GetStringAsync("/metrics", Ct).GetAwaiter().GetResult().Split('\n')
            .Any(line => line.StartsWith("posturesense_alerts_refused_total{", StringComparison.Ordinal)
                         && line.Contains($"reason=\"{reason}\"") && line.Contains($"stage=\"{stage}\"")),
            $"posturesense_alerts_refused_total with stage {stage} and reason {reason}");

    sealed class ChangingDns
    {
        public IPAddress[] Answer { get; set; } = [];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host == "hooks.example.test" ? Task.FromResult(Answer) : OutboundTargets.SystemResolver(host, cancellationToken);
    }

    /// <summary>Takes connections on loopback and never answers them, holding them open.</summary>
    sealed class SilentServer : IDisposable
    {
        readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        readonly ConcurrentBag<Socket> _held = [];

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Accepted => _held.Count;

        public static SilentServer Start()
        {
            var server = new SilentServer();
            server._listener.Start();
            _ = server.AcceptAsync();
            return server;
        }

        async Task AcceptAsync()
        {
            try
            {
                while (true) _held.Add(await _listener.AcceptSocketAsync());
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            foreach (var socket in _held) socket.Dispose();
        }
    }
}
