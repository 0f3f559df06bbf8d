using PostureSense.Browser.Tests.Support;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>The account forms work in a real browser with their antiforgery tokens: sign up, sign in, change the password, sign out.</summary>
public sealed class AccountFormTests(Chromium chromium)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_wearer_signs_up_then_signs_in_with_the_forms()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        var page = dashboard.Page;
        await page.GotoAsync("/login");
        await page.Locator("form[action='/signup'] input[name=email]").FillAsync("new@example.org");
        await page.Locator("form[action='/signup'] input[name=password]").FillAsync("my new password");
        await page.Locator("form[action='/signup'] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("signedUp=1"));
        Assert.Contains("Sign in with the email and password you chose", await page.Locator("[data-testid=notice]").InnerTextAsync());

        await dashboard.SignInAsync("/", "new@example.org", "my new password");
        await dashboard.OpenAsync("/");
        Assert.Contains("You have no device yet", await page.Locator("body").InnerTextAsync());
    }

    [Fact]
    public async Task The_password_changed_on_the_settings_page_signs_the_wearer_in_from_then_on()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await dashboard.SignInAsync();
        // Another device's session, which the change ends.
        var phone = dashboard.Server.NewClient();
        await dashboard.Server.SignInAsync(phone, ServerHarness.WearerEmail, ServerHarness.WearerPassword);

        await dashboard.OpenAsync("/settings");
        var form = dashboard.ByTestId("password-form");
        await form.Locator("input[name=currentPassword]").FillAsync(ServerHarness.WearerPassword);
        await form.Locator("input[name=newPassword]").FillAsync("a brand new password");
        await dashboard.ByTestId("password-save").ClickAsync();
        await dashboard.ByTestId("password-changed").WaitForAsync();

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/me", Ct)).StatusCode);
        // This browser's session went on; after signing out, only the new password signs in.
        await dashboard.OpenAsync("/");
        await dashboard.Page.Locator("form[action='/logout'] button[type=submit]").ClickAsync();
        await dashboard.Page.WaitForURLAsync(url => url.Contains("/login"));
        await dashboard.SignInAsync("/", ServerHarness.WearerEmail, "a brand new password");
        await dashboard.OpenAsync("/");
        Assert.Contains("desk-1", await dashboard.Page.Locator("body").InnerTextAsync());
    }
}
