using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PostureSense.Browser.Tests.Support;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>The last 7 and 30 days as trends, and any past day one click away.</summary>
public sealed class HistoryTests(Chromium chromium)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static long DaysBefore(int days) => TestFrames.Morning.AddDays(-days).ToUnixTimeMilliseconds();

    /// <summary>Three past mornings: upright, hunched for 20 min, upright; uploaded late, as after a day offline.</summary>
    static async Task SeedPastDaysAsync(Dashboard dashboard)
    {
        var device = await dashboard.Server.ConnectDeviceAsync("desk-1");
        await dashboard.Server.SendAsync(device, TestFrames.Run(DaysBefore(3), 20 * 60, pitch: 2));
        await dashboard.Server.SendAsync(device, TestFrames.Run(DaysBefore(2), 20 * 60, pitch: 30));
        await dashboard.Server.SendAsync(device, TestFrames.Run(DaysBefore(1), 20 * 60, pitch: 4));
    }

    [Fact]
    public async Task History_draws_both_trends_and_its_calendar_opens_a_past_day()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await SeedPastDaysAsync(dashboard);
        var hunched = await dashboard.Server.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/days/2026-11-22", Ct);
        var hunchedMinutes = hunched.GetProperty("summary").GetProperty("hunchedMinutes").GetDouble();
        Assert.True(hunchedMinutes > 10, $"the seeded day has {hunchedMinutes} hunched minutes");
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1/history");

        await dashboard.ByTestId("history-7").Locator("svg").First.WaitForAsync();
        await dashboard.ByTestId("history-30").Locator("svg").First.WaitForAsync();
        await dashboard.ScreenshotAsync("history-1280");

        await dashboard.ByTestId("history-calendar").GetByText("22", new() { Exact = true }).First.ClickAsync();
        await dashboard.Page.WaitForURLAsync(url => url.EndsWith("/devices/desk-1/day/2026-11-22", StringComparison.Ordinal));
        await dashboard.ShowsAsync("day-title", "2026-11-22");
        Assert.Equal(hunchedMinutes, PageText.FirstNumber(await dashboard.TextAsync("summary-hunched-minutes")), 0.6);
    }

    [Fact]
    public async Task Each_of_the_last_days_links_to_its_own_page_on_a_phone()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth);
        await SeedPastDaysAsync(dashboard);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1/history");
        await dashboard.ByTestId("history-7").Locator("svg").First.WaitForAsync();
        await dashboard.ScreenshotAsync("history-390");
        var scrollWidth = await dashboard.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= Dashboard.PhoneWidth + 1, $"the page is {scrollWidth} px wide on a phone");

        await dashboard.Page.Locator("[data-testid=history-day-link][href$='/day/2026-11-21']").First.ClickAsync();
        await dashboard.Page.WaitForURLAsync(url => url.EndsWith("/devices/desk-1/day/2026-11-21", StringComparison.Ordinal));
        await dashboard.ShowsAsync("day-title", "2026-11-21");
        Assert.Equal(0, PageText.FirstNumber(await dashboard.TextAsync("summary-hunched-minutes")));
    }
}
