using System.Net.Http.Json;
using System.Text.Json;
using PostureSense.Browser.Tests.Support;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>Settings saved from the page reach the device as its retained config; bad values are refused with a reason.</summary>
public sealed class SettingsTests(Chromium chromium)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_changed_threshold_is_saved_shown_again_and_sent_to_the_device()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/settings");
        Assert.Equal("15", await dashboard.ByTestId("nudgePitchDeg").InputValueAsync());

        await dashboard.ByTestId("nudgePitchDeg").FillAsync("22");
        await dashboard.ByTestId("vibrationStrength").FillAsync("60");
        await dashboard.ByTestId("quietStart").FillAsync("21:30");
        await dashboard.ByTestId("settings-save").ClickAsync();
        await dashboard.ByTestId("settings-saved").WaitForAsync();
        await dashboard.ScreenshotAsync("settings-390");

        var config = await dashboard.Server.RetainedConfigAsync("desk-1", c => c.NudgePitchDeg == 22);
        Assert.Equal(60, config.VibrationStrength);
        Assert.Equal("21:30", config.QuietStart);

        await dashboard.OpenAsync("/settings");
        Assert.Equal("22", await dashboard.ByTestId("nudgePitchDeg").InputValueAsync());
        Assert.Equal("21:30", await dashboard.ByTestId("quietStart").InputValueAsync());
    }

    [Fact]
    public async Task Out_of_range_values_are_refused_with_every_reason_and_nothing_is_saved()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/settings");

        await dashboard.ByTestId("nudgePitchDeg").FillAsync("200");
        await dashboard.ByTestId("webhookUrl").FillAsync("not a url");
        await dashboard.ByTestId("settings-save").ClickAsync();

        var problems = await dashboard.TextAsync("settings-problems");
        Assert.Contains("nudge pitch must be between 0 and 90 degrees", problems);
        Assert.Contains("webhook", problems, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await dashboard.ByTestId("settings-saved").CountAsync());
        var saved = await dashboard.Server.Http.GetFromJsonAsync<JsonElement>("/api/settings", Ct);
        Assert.Equal(15, saved.GetProperty("coaching").GetProperty("nudgePitchDeg").GetDouble());
        Assert.False(saved.GetProperty("alerts").TryGetProperty("webhook", out var webhook) && webhook.ValueKind != JsonValueKind.Null,
            "no webhook was saved");
    }

    [Fact]
    public async Task An_alert_url_into_the_deployment_is_refused_with_the_address_it_leads_to()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/settings");

        await dashboard.ByTestId("webhookUrl").FillAsync("http://localhost:8086/query?q=DROP%20DATABASE%20posturesense");
        await dashboard.ByTestId("settings-save").ClickAsync();

        var problems = await dashboard.TextAsync("settings-problems");
        Assert.Contains("webhook URL 'http://localhost:8086/query?q=DROP%20DATABASE%20posturesense' leads to a loopback address (this machine) (127.0.0.1)",
            problems);
        Assert.Equal(0, await dashboard.ByTestId("settings-saved").CountAsync());
    }
}
