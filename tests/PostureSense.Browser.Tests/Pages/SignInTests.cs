using PostureSense.Browser.Tests.Support;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>Only a signed-in wearer gets in, and only to their own devices.</summary>
public sealed class SignInTests(Chromium chromium)
{
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    [Fact]
    public async Task A_wrong_password_stays_on_the_login_page_and_the_right_one_opens_the_page_asked_for()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        var page = dashboard.Page;

        await page.GotoAsync("/devices/desk-1/today");
        Assert.Contains("/login", page.Url);
        await page.Locator("form[action='/login'] input[name=email]").FillAsync(ServerHarness.WearerEmail);
        await page.Locator("form[action='/login'] input[name=password]").FillAsync("not my password");
        await page.Locator("form[action='/login'] button[type=submit]").ClickAsync();
        Assert.Contains("/login", page.Url);
        Assert.Contains("Wrong email or password", await page.Locator("body").InnerTextAsync());

        Assert.Equal(ServerHarness.WearerEmail, await page.Locator("form[action='/login'] input[name=email]").InputValueAsync());
        await page.Locator("form[action='/login'] input[name=password]").FillAsync(ServerHarness.WearerPassword);
        await page.Locator("form[action='/login'] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login"));
        Assert.EndsWith("/devices/desk-1/today", page.Url);
        await dashboard.ShowsAsync("day-title", "2026-11-24");
    }

    [Fact]
    public async Task The_device_list_shows_only_the_wearers_own_devices()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, owned: ["desk-1", "desk-2"]);
        await dashboard.Server.AddWearerAsync("other@example.org", "other wearer's pass", ["desk-9"]);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/");

        var rows = await dashboard.ByTestId("device-row").AllInnerTextsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("desk-1"));
        Assert.Contains(rows, r => r.Contains("desk-2"));
        Assert.DoesNotContain(rows, r => r.Contains("desk-9"));
    }

    [Fact]
    public async Task A_device_is_claimed_on_the_devices_form_with_its_pairing_code_and_a_wrong_code_is_refused()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        var code = (await dashboard.Server.ProvisionAsync("desk-4")).PairingCode;
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/");

        await dashboard.Page.Locator("#claim-id").FillAsync("desk-4");
        await dashboard.Page.Locator("#claim-code").FillAsync("ABCD-EFGH-JKMN");
        await dashboard.ByTestId("claim-button").ClickAsync();
        Assert.Contains("no device waiting to be claimed has this id and pairing code", await dashboard.TextAsync("claim-error"));
        Assert.DoesNotContain(await dashboard.ByTestId("device-row").AllInnerTextsAsync(), r => r.Contains("desk-4"));

        await dashboard.Page.Locator("#claim-code").FillAsync(code.ToLowerInvariant());
        await dashboard.ByTestId("claim-button").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(dashboard.ByTestId("device-row").Filter(new() { HasText = "desk-4" })).ToHaveCountAsync(1);
        Assert.Equal(0, await dashboard.ByTestId("claim-error").CountAsync());
    }

    [Fact]
    public async Task Another_wearers_device_shows_nothing_of_their_day()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await dashboard.Server.AddWearerAsync("other@example.org", "other wearer's pass", ["desk-9"]);
        var theirs = await dashboard.Server.ConnectDeviceAsync("desk-9");
        await dashboard.Server.SendLiveAsync(theirs, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await dashboard.SignInAsync();

        await dashboard.Page.GotoAsync("/devices/desk-9/today");
        await Microsoft.Playwright.Assertions.Expect(dashboard.Page.Locator("body"))
            .ToContainTextAsync(new System.Text.RegularExpressions.Regex("no such device", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        Assert.Equal(0, await dashboard.ByTestId("summary-hunched-minutes").CountAsync());
        Assert.Equal(0, await dashboard.ByTestId("prompt-row").CountAsync());
    }
}
