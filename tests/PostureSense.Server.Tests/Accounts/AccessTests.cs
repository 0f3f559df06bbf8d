using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>Who may see what: nothing without a session, and each wearer only their own devices.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    HttpClient _other = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_dir.File("access.db"));
        await _harness.AddWearerAsync("other@example.org", "other wearer's pass", ["desk-2"]);
        _other = _harness.NewClient();
        await _harness.SignInAsync(_other, "other@example.org", "other wearer's pass");
        var device = await _harness.ConnectDeviceAsync("desk-1");
        await _harness.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "the hunch prompt");
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    public static TheoryData<string, string> DeviceRoutes => new()
    {
        { "GET", "/api/devices/desk-1/today" },
        { "GET", "/api/devices/desk-1/days/2026-11-24" },
        { "GET", "/api/devices/desk-1/history?days=7" },
        { "GET", "/api/devices/desk-1/now" },
        { "POST", "/api/devices/desk-1/calibrate" },
        { "POST", "/api/devices/desk-1/prompts/c-0000000000/done" },
        { "POST", "/api/devices/desk-1/prompts/c-0000000000/snooze" },
        { "DELETE", "/api/devices/desk-1/claim" },
    };

    public static TheoryData<string, string> WearerRoutes => new()
    {
        { "GET", "/api/devices" },
        { "GET", "/api/me" },
        { "GET", "/api/settings" },
        { "PUT", "/api/settings" },
        { "GET", "/api/exercises" },
        { "GET", "/api/alerts/stream" },
        { "POST", "/api/devices/desk-9/claim" },
    };

    [Theory]
    [MemberData(nameof(DeviceRoutes))]
    [MemberData(nameof(WearerRoutes))]
    public async Task Without_a_session_the_api_is_401_with_a_reason(string method, string path)
    {
        using var response = await SendAsync(_harness.Anonymous, method, path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("sign in first", body.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(DeviceRoutes))]
    public async Task Another_wearers_device_is_404_like_one_that_does_not_exist(string method, string path)
    {
        using var response = await SendAsync(_other, method, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("you have no device 'desk-1'", await response.Content.ReadAsStringAsync(Ct));

        using var missing = await SendAsync(_other, method, path.Replace("desk-1", "desk-404"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Each_wearer_lists_only_their_own_devices_and_the_owner_sees_the_data()
    {
        var mine = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices", Ct);
        Assert.Equal("desk-1", Assert.Single(mine.EnumerateArray()).GetProperty("id").GetString());
        var theirs = await _other.GetFromJsonAsync<JsonElement>("/api/devices", Ct);
        var desk2 = Assert.Single(theirs.EnumerateArray());
        Assert.Equal("desk-2", desk2.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, desk2.GetProperty("lastFrameTs").ValueKind); // claimed, never heard from

        var day = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        Assert.Equal(6, day.GetProperty("summary").GetProperty("hunchedMinutes").GetDouble());
    }

    [Fact]
    public async Task The_dashboard_pages_send_a_visitor_without_a_session_to_sign_in_and_hide_other_wearers_devices()
    {
        using var list = await _harness.Anonymous.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, list.StatusCode);
        Assert.StartsWith("/login", list.Headers.Location!.PathAndQuery);
        using var page = await _harness.Anonymous.GetAsync("/devices/desk-1", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);

        using var others = await _other.GetAsync("/devices/desk-1", Ct);
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.DoesNotContain("desk-1", await (await _other.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task The_sign_in_page_signs_in_and_returns_only_to_a_page_of_this_server()
    {
        var client = _harness.NewClient();
        var page = await client.GetStringAsync("/login?returnUrl=%2Fdevices%2Fdesk-1", Ct);
        Assert.Contains("<form method=\"post\" action=\"/login\">", page);
        Assert.Contains("value=\"/devices/desk-1\"", page);

        using var wrong = await PageForms.PostAsync(client, "/login", ("email", ServerHarness.WearerEmail), ("password", "nope"), ("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong email or password.", await wrong.Content.ReadAsStringAsync(Ct));

        using var elsewhere = await PageForms.PostAsync(client, "/login",
            ("email", ServerHarness.WearerEmail), ("password", ServerHarness.WearerPassword), ("returnUrl", "//evil.example/"));
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("/", elsewhere.Headers.Location!.OriginalString);
        Assert.Contains("href=\"/devices/desk-1\"", await client.GetStringAsync("/", Ct));
    }

    [Fact]
    public async Task A_new_wearer_signs_up_and_claims_a_device_with_the_pages_forms()
    {
        var client = _harness.NewClient();
        using var signUp = await PageForms.PostAsync(client, "/signup", ("email", "page@example.org"), ("password", "from the page form"));
        Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        // Signing up does not sign in (it must answer alike for a taken email): the wearer signs in next.
        Assert.Equal("/login?signedUp=1", signUp.Headers.Location!.OriginalString);
        using var signIn = await PageForms.PostAsync(client, "/login", ("email", "page@example.org"), ("password", "from the page form"), ("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("You have no device yet", await client.GetStringAsync("/", Ct));

        var code = (await _harness.ProvisionAsync("desk-5")).PairingCode;
        using var claim = await PageForms.PostAsync(client, "/devices", ("deviceId", "desk-5"), ("pairingCode", code));
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        Assert.Contains("href=\"/devices/desk-5\"", await client.GetStringAsync("/", Ct));

        var desk1 = (await _harness.ProvisionAsync("desk-1")).PairingCode;
        using var taken = await PageForms.PostAsync(client, "/devices", ("deviceId", "desk-1"), ("pairingCode", desk1));
        Assert.Equal(HttpStatusCode.Forbidden, taken.StatusCode);
    }

    [Fact]
    public async Task A_device_owned_by_someone_else_cannot_be_claimed_and_one_let_go_can()
    {
        // Even with the device's own pairing code: it is its owner's.
        using var taken = await _harness.ClaimAsync(_other, "desk-1");
        Assert.Equal(HttpStatusCode.Forbidden, taken.StatusCode);
        using var bad = await _harness.ClaimAsync(_other, "Desk_1", "ABCD-EFGH-JKMN");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var released = await _harness.Http.DeleteAsync("/api/devices/desk-1/claim", Ct);
        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        using var claimed = await _harness.ClaimAsync(_other, "desk-1");
        Assert.Equal(HttpStatusCode.Created, claimed.StatusCode);

        using var now = await _harness.Http.GetAsync("/api/devices/desk-1/today", Ct);
        Assert.Equal(HttpStatusCode.NotFound, now.StatusCode);
        var theirs = await _other.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        Assert.Equal(6, theirs.GetProperty("summary").GetProperty("hunchedMinutes").GetDouble());
    }

    [Fact]
    public async Task Sign_up_checks_the_email_and_password_and_answers_a_taken_email_like_a_new_one()
    {
        using var bad = await _harness.Anonymous.PostAsJsonAsync("/api/account/signup", new { email = "not-an-email", password = "short" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("email must look like name@example.org", problems);
        Assert.Contains("password must be at least 8 characters", problems);

        using var taken = await _harness.Anonymous.PostAsJsonAsync("/api/account/signup",
            new { email = ServerHarness.WearerEmail.ToUpperInvariant(), password = "another password" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        Assert.NotNull(await _harness.Server.Accounts.SignInAsync(ServerHarness.WearerEmail, ServerHarness.WearerPassword, Ct));

        var fresh = _harness.NewClient();
        using var made = await fresh.PostAsJsonAsync("/api/account/signup", new { email = "new@example.org", password = "a long enough one" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, made.StatusCode);
        await _harness.SignInAsync(fresh, "new@example.org", "a long enough one");
        var me = await fresh.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        Assert.Equal("new@example.org", me.GetProperty("email").GetString());
        Assert.Empty(me.GetProperty("devices").EnumerateArray());
    }

    [Theory]
    [InlineData("email=a@b.org", "text/plain", HttpStatusCode.UnsupportedMediaType, "send the body as application/json")]
    [InlineData("{\"email\":", "application/json", HttpStatusCode.BadRequest, "malformed JSON")]
    [InlineData("null", "application/json", HttpStatusCode.BadRequest, "the body is JSON null")]
    public async Task A_body_that_is_not_the_json_asked_for_is_refused_with_a_reason(string body, string type, HttpStatusCode status, string reason)
    {
        foreach (var path in new[] { "/api/account/signup", "/api/account/login" })
        {
            using var response = await _harness.Anonymous.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, type), Ct);
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task A_wrong_password_is_401_and_signing_out_ends_the_session()
    {
        using var wrong = await _harness.NewClient().PostAsJsonAsync("/api/account/login",
            new { email = ServerHarness.WearerEmail, password = "not the password" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var client = _harness.NewClient();
        await _harness.SignInAsync(client, ServerHarness.WearerEmail, ServerHarness.WearerPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me", Ct)).StatusCode);
        await client.PostAsync("/api/account/logout", null, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Guessing_passwords_is_cut_short_after_a_few_attempts_a_minute()
    {
        var client = _harness.NewClient();
        var answers = new List<HttpStatusCode>();
        // 25 tries in a moment: even if a minute's window turns over among them, at most 20 get through.
        for (var i = 0; i < 25; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/account/login", new { email = ServerHarness.WearerEmail, password = $"guess {i}" }, Ct);
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.RetryAfter?.ToString());
                Assert.Contains("too many sign-in attempts", await response.Content.ReadAsStringAsync(Ct));
            }
        }
        Assert.True(answers.Count(a => a == HttpStatusCode.TooManyRequests) >= 5, string.Join(", ", answers));
        Assert.DoesNotContain(HttpStatusCode.OK, answers);
    }

    [Fact]
    public async Task Sign_up_can_be_closed()
    {
        await using var closed = await ServerHarness.StartAsync(_dir.File("closed.db"), configure: o => o with { SignUpOpen = false });
        using var response = await closed.Anonymous.PostAsJsonAsync("/api/account/signup", new { email = "x@example.org", password = "long enough pass" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT") request.Content = JsonContent.Create(new { });
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }
}
