using System.Net.Http.Json;
using System.Text.Json;
using PostureSense.Browser.Tests.Support;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>The live page: posture as it happens, and a prompt arriving as a notification with Done and Snooze.</summary>
public sealed class NowAndAlertTests(Chromium chromium)
{
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Now_follows_the_wearer_from_no_data_to_hunching()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1");
        Assert.Contains("no data", await dashboard.TextAsync("now-state"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("offline", await dashboard.TextAsync("device-online"), StringComparison.OrdinalIgnoreCase);

        var device = await dashboard.Server.ConnectDeviceAsync("desk-1");
        await dashboard.Server.SendLiveAsync(device, TestFrames.Run(T0, 3 * 60, pitch: 27));

        // The page updates by itself: no reload.
        await Eventually.TrueAsync(() => dashboard.TextAsync("now-state").Result.Contains("hunching", StringComparison.OrdinalIgnoreCase),
            "the Now page to show hunching");
        Assert.Contains("27", await dashboard.TextAsync("now-pitch"));
        Assert.Contains("online", await dashboard.TextAsync("device-online"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("offline", await dashboard.TextAsync("device-online"), StringComparison.OrdinalIgnoreCase);
        await dashboard.ScreenshotAsync("now-390");
    }

    [Fact]
    public async Task A_prompt_shows_a_notification_with_done_and_snooze_and_done_is_stored()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await NotificationSpy.InstallAsync(dashboard.Page);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1");
        Assert.Equal("granted", await dashboard.Page.EvaluateAsync<string>("() => Notification.permission"));
        await Eventually.TrueAsync(() => dashboard.Server.Server.AlertHub.SubscriberCount(dashboard.Server.WearerId) >= 1,
            "the page to open its alert stream");

        var device = await dashboard.Server.ConnectDeviceAsync("desk-1");
        await dashboard.Server.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "the hunch prompt");
        var prompt = device.Commands.First();

        NotificationSpy.Shown? shown = null;
        await Eventually.TrueAsync(() => (shown = NotificationSpy.ShownAsync(dashboard.Page).Result.FirstOrDefault()) is not null,
            "a system notification");
        Assert.Equal("Time for a stretch", shown!.Title);
        Assert.Contains("Cat-Cow", shown.Body);
        Assert.Equal(prompt.Id, shown.Tag);
        Assert.Equal(["done", "snooze"], shown.Actions);

        // The same prompt in the page, answered there.
        var alert = dashboard.ByTestId("alert").First;
        await alert.WaitForAsync();
        Assert.Contains("Cat-Cow", await alert.InnerTextAsync());
        await dashboard.ScreenshotAsync("alert-1280");
        await alert.GetByTestId("alert-done").ClickAsync();

        await Eventually.TrueAsync(() => OutcomeAsync(dashboard).Result == "done", "the Done to be stored as the prompt's answer");
        await dashboard.ByTestId("alert").First.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
    }

    [Fact]
    public async Task Snooze_in_the_page_is_stored_as_dismissed()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1");
        await Eventually.TrueAsync(() => dashboard.Server.Server.AlertHub.SubscriberCount(dashboard.Server.WearerId) >= 1,
            "the page to open its alert stream");

        var device = await dashboard.Server.ConnectDeviceAsync("desk-1");
        await dashboard.Server.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await dashboard.ByTestId("alert").First.WaitForAsync();
        await dashboard.ScreenshotAsync("alert-390");
        await dashboard.ByTestId("alert-snooze").First.ClickAsync();

        await Eventually.TrueAsync(() => OutcomeAsync(dashboard).Result == "dismissed", "the Snooze to be stored");
    }

    static async Task<string?> OutcomeAsync(Dashboard dashboard)
    {
        var day = await dashboard.Server.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        var prompts = day.GetProperty("prompts");
        return prompts.GetArrayLength() == 0 ? null : prompts[0].GetProperty("outcome").GetString();
    }
}
