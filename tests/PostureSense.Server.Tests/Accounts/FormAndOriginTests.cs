using PostureSense.Core.Contract;
using System.Net;
using System.Net.Http.Json;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>Another site cannot post the server's forms or call its API as the wearer.</summary>
public sealed class FormAndOriginTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(_dir.File("forms.db"));

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    public static TheoryData<string> FormPaths => ["/login", "/signup", "/logout", "/devices", "/account/password", "/account/sign-out-everywhere"];

    [Theory]
    [MemberData(nameof(FormPaths))]
    public async Task A_form_posted_without_its_token_is_400_with_a_reason(string path)
    {
        using var response = await _harness.Http.PostAsync(path, PageForms.Form(
            ("email", ServerHarness.WearerEmail), ("password", ServerHarness.WearerPassword), ("deviceId", "desk-7"),
            ("currentPassword", ServerHarness.WearerPassword), ("newPassword", "a brand new password")), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("did not come from this server", await response.Content.ReadAsStringAsync(Ct));
        // Nothing happened: still signed in, no device claimed, the password unchanged.
        Assert.Equal(HttpStatusCode.OK, (await _harness.Http.GetAsync("/api/me", Ct)).StatusCode);
        Assert.False(_harness.Server.Accounts.Owns(_harness.WearerId, DeviceId.Parse("desk-7")));
        Assert.NotNull(await _harness.Server.Accounts.SignInAsync(ServerHarness.WearerEmail, ServerHarness.WearerPassword, Ct));
    }

    [Fact]
    public async Task Login_csrf_fails_another_sites_form_does_not_sign_the_visitor_in()
    {
        await _harness.AddWearerAsync("attacker@example.org", "the attacker's password", []);
        var victim = _harness.NewClient();
        // Another site's page posts the attacker's credentials: it has no token of this server's.
        using var forged = await victim.PostAsync("/login", PageForms.Form(("email", "attacker@example.org"), ("password", "the attacker's password")), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        // A token of its own, from a visit of its own, belongs to another browser's antiforgery cookie.
        var attacker = _harness.NewClient();
        var token = await PageForms.TokenAsync(attacker);
        using var withStolen = await victim.PostAsync("/login", PageForms.Form(
            ("email", "attacker@example.org"), ("password", "the attacker's password"), ("__RequestVerificationToken", token)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, withStolen.StatusCode);
        // And a browser says where the form came from.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = PageForms.Form(("email", "attacker@example.org"), ("password", "the attacker's password")),
        };
        request.Headers.Add("Origin", "https://evil.example");
        using var crossSite = await victim.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.GetAsync("/api/me", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task A_changing_api_call_from_another_site_is_403(string header, string value)
    {
        foreach (var (method, path) in new[] { ("POST", "/api/devices/desk-1/calibrate"), ("PUT", "/api/settings"), ("DELETE", "/api/devices/desk-1/claim") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "PUT") request.Content = JsonContent.Create(new { });
            request.Headers.Add(header, value);
            using var response = await _harness.Http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("came from another site", await response.Content.ReadAsStringAsync(Ct));
        }
        Assert.True(_harness.Server.Accounts.Owns(_harness.WearerId, DeviceId.Parse("desk-1")));
    }

    [Fact]
    public async Task The_servers_own_origin_and_its_public_url_may_call_the_api()
    {
        // http here: the test's client keeps no Secure cookie for a plain-http server.
        await using var proxied = await ServerHarness.StartAsync(_dir.File("proxied.db"),
            configure: o => o with { PublicUrl = new Uri("http://posture.example.org/") });
        var code = (await proxied.ProvisionAsync("desk-7")).PairingCode;
        foreach (var (origin, site) in new[] { (proxied.Server.HttpUrl!.GetLeftPart(UriPartial.Authority), "same-origin"), ("http://posture.example.org", "same-site") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/devices/desk-7/claim") { Content = JsonContent.Create(new { pairingCode = code }) };
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Sec-Fetch-Site", site);
            using var response = await proxied.Http.SendAsync(request, Ct);
            // Created the first time, OK (already this wearer's) the second: the origin let both through.
            Assert.True(response.IsSuccessStatusCode, $"{origin}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    [Fact]
    public async Task Cookies_are_secure_http_only_and_lax_when_the_public_url_is_https()
    {
        await using var proxied = await ServerHarness.StartAsync(_dir.File("secure.db"),
            configure: o => o with { PublicUrl = new Uri("https://posture.example.org/") });
        var cookie = await SessionCookieAsync(proxied);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        // The antiforgery cookie is no credential on its own (it only pairs with the form's token); it stays SameAsRequest.
        using var login = await proxied.Anonymous.GetAsync("/login", Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // Over plain http with no https public URL the browser would drop a Secure cookie.
        Assert.DoesNotContain("secure", await SessionCookieAsync(_harness), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_the_operator_trusts_the_proxy()
    {
        // A client that claims https through X-Forwarded-Proto gets no Secure cookie, so the header was not believed.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/account/login")
        {
            Content = JsonContent.Create(new { email = ServerHarness.WearerEmail, password = ServerHarness.WearerPassword }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await _harness.NewClient().SendAsync(request, Ct);
        Assert.DoesNotContain("secure", response.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        await using var trusting = await ServerHarness.StartAsync(_dir.File("trusting.db"),
            configure: o => o with { TrustedProxies = [IPAddress.Loopback] });
        using var viaProxy = new HttpRequestMessage(HttpMethod.Post, "/api/account/login")
        {
            Content = JsonContent.Create(new { email = ServerHarness.WearerEmail, password = ServerHarness.WearerPassword }),
        };
        viaProxy.Headers.Add("X-Forwarded-Proto", "https");
        using var proxied = await trusting.NewClient().SendAsync(viaProxy, Ct);
        Assert.Contains("secure", proxied.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    static async Task<string> SessionCookieAsync(ServerHarness harness)
    {
        using var response = await harness.NewClient().PostAsJsonAsync("/api/account/login",
            new { email = ServerHarness.WearerEmail, password = ServerHarness.WearerPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("posturesense=", StringComparison.Ordinal));
    }
}
