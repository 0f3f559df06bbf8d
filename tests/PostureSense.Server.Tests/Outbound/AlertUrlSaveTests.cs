using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Configuration;
using PostureSense.Server.Outbound;

namespace PostureSense.Server.Tests.Outbound;

/// <summary>
/// A wearer's ntfy or webhook URL that leads into the deployment (this machine, the private
/// network, link-local metadata services, the server's own services) is refused when it is saved,
/// with the reason, however the address is spelt; the operator's allowlist lets chosen ones through.
/// </summary>
public sealed class AlertUrlSaveTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(_dir.File("urls.db"));

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    static readonly (string Url, string Reason)[] Refused =
    [
        ("http://127.0.0.1:8086/query?q=DROP%20DATABASE%20posturesense", "a loopback address (this machine) (127.0.0.1)"),
        ("http://localhost:8086/query", "a loopback address (this machine) (127.0.0.1)"),
        ("http://[::1]/hook", "a loopback address (this machine) (::1)"),
        ("http://[::ffff:127.0.0.1]/hook", "a loopback address (this machine) (127.0.0.1)"),
        ("http://2130706433/hook", "a loopback address (this machine) (127.0.0.1)"),
        ("http://0x7f.0.0.1/hook", "a loopback address (this machine) (127.0.0.1)"),
        ("http://0177.0.0.1/hook", "a loopback address (this machine) (127.0.0.1)"),
        ("http://10.0.0.8/hook", "a private network address (10.0.0.8)"),
        ("http://172.20.0.3:8086/hook", "a private network address (172.20.0.3)"),
        ("https://192.168.1.1/hook", "a private network address (192.168.1.1)"),
        ("http://[fd12:3456::1]/hook", "a private network address (fd12:3456::1)"),
        ("http://[::ffff:10.1.2.3]/hook", "a private network address (10.1.2.3)"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address (169.254.169.254)"),
        ("http://[fe80::1]/hook", "a link-local address (fe80::1)"),
        ("http://224.0.0.1/hook", "a multicast address (224.0.0.1)"),
        ("http://[ff02::1]/hook", "a multicast address (ff02::1)"),
        ("http://0.0.0.0:8080/hook", "an unspecified address (0.0.0.0)"),
        ("http://[::]/hook", "an unspecified address (::)"),
        ("http://100.64.0.1/hook", "a shared (carrier NAT) address (100.64.0.1)"),
    ];

    [Fact]
    public async Task A_url_into_the_deployment_is_a_400_naming_the_address_class_and_nothing_is_saved()
    {
        foreach (var (url, reason) in Refused)
        {
            using var response = await _harness.Http.PutAsJsonAsync("/api/settings", new { alerts = new { webhook = new { url } } }, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
            var problem = Assert.Single(body.GetProperty("problems").EnumerateArray()).GetString();
            Assert.Equal($"webhook URL '{url}' leads to {reason}: alerts may not go there unless the server's operator allows it (--alert-allow)",
                problem);
        }
        var saved = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/settings", Ct);
        Assert.False(saved.GetProperty("alerts").TryGetProperty("webhook", out _), "no webhook was saved");
    }

    [Fact]
    public async Task The_settings_page_refuses_the_same_as_the_api_for_ntfy_and_webhook_alike()
    {
        // What the settings form saves through, with the problems it lists.
        var result = await _harness.Server.Settings.SaveAsync(_harness.WearerId, WearerSettings.Default with
        {
            Alerts = new AlertSettings(Ntfy: new NtfyChannel("http://localhost/topic"), Webhook: new WebhookChannel("http://169.254.169.254/")),
        }, Ct);

        Assert.Null(result.Saved);
        Assert.Equal(2, result.Problems.Count);
        Assert.StartsWith("ntfy topic URL 'http://localhost/topic' leads to a loopback address", result.Problems[0]);
        Assert.StartsWith("webhook URL 'http://169.254.169.254/' leads to a link-local address", result.Problems[1]);
    }

    [Fact]
    public async Task A_public_address_and_a_name_that_does_not_resolve_now_are_saved()
    {
        // A name DNS cannot answer for now is no refusal: every delivery checks it again.
        using var response = await _harness.Http.PutAsJsonAsync("/api/settings",
            new { alerts = new { ntfy = new { url = "https://ntfy.invalid/topic" }, webhook = new { url = "http://203.0.113.7/hook" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_allowlist_lets_a_loopback_server_through_but_never_the_servers_own_services()
    {
        await using var push = await ScriptedHttpServer.StartAsync();
        var hook = new Uri(push.Url, "hook").AbsoluteUri;
        using (var refused = await _harness.Http.PutAsJsonAsync("/api/settings", new { alerts = new { webhook = new { url = hook } } }, Ct))
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        await using var allowing = await ServerHarness.StartAsync(_dir.File("allowing.db"),
            configure: o => o with { AlertDelivery = o.AlertDelivery with { Allow = OutboundAllowlist.Parse("127.0.0.0/8") } });
        using (var saved = await allowing.Http.PutAsJsonAsync("/api/settings", new { alerts = new { webhook = new { url = hook } } }, Ct))
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        foreach (var own in new[] { allowing.Server.HttpUrl!, allowing.Server.ManagementUrl!, new Uri($"http://127.0.0.1:{allowing.Server.MqttPort}/") })
        {
            var url = new Uri(own, "api/settings").AbsoluteUri;
            using var response = await allowing.Http.PutAsJsonAsync("/api/settings", new { alerts = new { webhook = new { url } } }, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("leads to one of this server's own services", body.GetProperty("problems")[0].GetString());
        }
    }
}
