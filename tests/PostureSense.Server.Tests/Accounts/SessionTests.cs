using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>Sessions end when the wearer says so: a new password, signing out everywhere, an operator's reset.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    const string NewPassword = "a brand new password";
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    HttpClient _phone = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_dir.File("sessions.db"));
        _phone = _harness.NewClient();
        await _harness.SignInAsync(_phone, ServerHarness.WearerEmail, ServerHarness.WearerPassword);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_new_password_ends_every_other_session_and_the_one_that_changed_it_goes_on()
    {
        using var wrong = await _harness.Http.PostAsJsonAsync("/api/account/password", new { currentPassword = "not it", newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("the current password is wrong", await wrong.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await _phone.GetAsync("/api/me", Ct)).StatusCode);

        using var changed = await _harness.Http.PostAsJsonAsync("/api/account/password",
            new { currentPassword = ServerHarness.WearerPassword, newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _harness.Http.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _phone.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Null(await _harness.Server.Accounts.SignInAsync(ServerHarness.WearerEmail, ServerHarness.WearerPassword, Ct));
        await _harness.SignInAsync(_phone, ServerHarness.WearerEmail, NewPassword);
        Assert.Equal(HttpStatusCode.OK, (await _phone.GetAsync("/api/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_settings_pages_password_form_changes_it_the_same_way()
    {
        using var changed = await PageForms.PostAsync(_harness.Http, "/account/password",
            ("currentPassword", ServerHarness.WearerPassword), ("newPassword", NewPassword));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/settings?password=changed", changed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await _harness.Http.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _phone.GetAsync("/api/me", Ct)).StatusCode);
        // The dashboard sends an ended session to sign in again.
        using var page = await _phone.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);

        using var tooShort = await PageForms.PostAsync(_harness.Http, "/account/password", ("currentPassword", NewPassword), ("newPassword", "short"));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("password must be at least 8 characters", await tooShort.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_this_one_too()
    {
        using var response = await _harness.Http.PostAsync("/api/account/logout-everywhere", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _harness.Http.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _phone.GetAsync("/api/me", Ct)).StatusCode);

        // The password is unchanged: signing in again works.
        await _harness.SignInAsync(_phone, ServerHarness.WearerEmail, ServerHarness.WearerPassword);
        Assert.Equal(HttpStatusCode.OK, (await _phone.GetAsync("/api/me", Ct)).StatusCode);

        using var form = await PageForms.PostAsync(_phone, "/account/sign-out-everywhere");
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _phone.GetAsync("/api/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_operators_reset_ends_the_wearers_sessions()
    {
        var reset = await _harness.Server.Accounts.ResetPasswordAsync(ServerHarness.WearerEmail, NewPassword, Ct);
        Assert.True(reset.Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _harness.Http.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _phone.GetAsync("/api/me", Ct)).StatusCode);
        await _harness.SignInAsync(_phone, ServerHarness.WearerEmail, NewPassword);
    }

    [Fact]
    public async Task Stats_are_the_operators_only_whatever_address_asks()
    {
        // Everyone here asks from loopback, which used to be enough.
        Assert.Equal(HttpStatusCode.NotFound, (await _harness.Anonymous.GetAsync("/api/stats", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _harness.Http.GetAsync("/api/stats", Ct)).StatusCode);

        Assert.True(await _harness.Server.Accounts.SetOperatorAsync(ServerHarness.WearerEmail, true, Ct));
        using var stats = await _harness.Http.GetAsync("/api/stats", Ct);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.True((await stats.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("framesStored", out _));

        Assert.True(await _harness.Server.Accounts.SetOperatorAsync(ServerHarness.WearerEmail, false, Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await _harness.Http.GetAsync("/api/stats", Ct)).StatusCode);

        await using var named = await ServerHarness.StartAsync(_dir.File("named.db"), configure: o => o with { Operators = ["WEARER@example.org"] });
        Assert.Equal(HttpStatusCode.OK, (await named.Http.GetAsync("/api/stats", Ct)).StatusCode);
    }

    [Fact]
    public async Task Sign_up_answers_a_taken_email_exactly_like_a_new_one()
    {
        var taken = await SignUpAsync(ServerHarness.WearerEmail, "someone else's try");
        var fresh = await SignUpAsync("fresh@example.org", "a long enough one");
        Assert.Equal(fresh, taken);
        Assert.Equal(HttpStatusCode.Accepted, taken.Status);
        Assert.DoesNotContain("Set-Cookie", taken.Headers);
        // The taken account is untouched; the new one exists.
        Assert.NotNull(await _harness.Server.Accounts.SignInAsync(ServerHarness.WearerEmail, ServerHarness.WearerPassword, Ct));
        Assert.NotNull(await _harness.Server.Accounts.SignInAsync("fresh@example.org", "a long enough one", Ct));

        var takenForm = await SignUpFormAsync(ServerHarness.WearerEmail.ToUpperInvariant(), "someone else's try");
        var freshForm = await SignUpFormAsync("fresh-form@example.org", "a long enough one");
        Assert.Equal(freshForm, takenForm);
        Assert.Equal(HttpStatusCode.Redirect, takenForm.Status);
    }

    async Task<Answer> SignUpAsync(string email, string password)
    {
        using var response = await _harness.NewClient().PostAsJsonAsync("/api/account/signup", new { email, password }, Ct);
        return await Answer.OfAsync(response);
    }

    async Task<Answer> SignUpFormAsync(string email, string password)
    {
        using var response = await PageForms.PostAsync(_harness.NewClient(), "/signup", ("email", email), ("password", password));
        return await Answer.OfAsync(response);
    }

    /// <summary>Everything a client sees of an answer but the Date header.</summary>
    sealed record Answer(HttpStatusCode Status, string Headers, string Body)
    {
        public static async Task<Answer> OfAsync(HttpResponseMessage response) => new(response.StatusCode,
            string.Join("\n", response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
                .Select(h => $"{h.Key}: {string.Join(",", h.Value)}").Order(StringComparer.Ordinal)),
            Convert.ToBase64String(await response.Content.ReadAsByteArrayAsync(Ct)));
    }
}
