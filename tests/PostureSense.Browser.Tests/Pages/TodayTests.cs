using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PostureSense.Browser.Tests.Support;
using PostureSense.Core.Contract;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>The day at a glance: the timeline, the summary and the prompts, on a phone and a desktop.</summary>
public sealed class TodayTests(Chromium chromium)
{
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A morning: hunched 6 min (a hunch prompt, done with 9 reps the device counted), then sitting upright until the
    /// sitting prompt (left unanswered), then a walk that ends the bout.
    /// </summary>
    static async Task<JsonElement> LiveAMorningAsync(Dashboard dashboard)
    {
        var server = dashboard.Server;
        var device = await server.ConnectDeviceAsync("desk-1");
        await server.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => device.Commands.Count == 1, "the hunch prompt");
        var hunchPrompt = device.Commands.First();
        // The device watched the Cat-Cow and counted the reps.
        await device.PublishAsync(Topics.Ack, WireFormat.Serialize(
            new CommandAck(1, hunchPrompt.Id, CommandAck.Statuses.Done, T0 + 6 * 60_000, "cat-cow", 9)));
        await Eventually.TrueAsync(() => server.AcksReceived.Any(a => a.Ack.Status == CommandAck.Statuses.Done), "the device's done");
        await server.SendLiveAsync(device, TestFrames.Run(T0 + 6 * 60_000, 26 * 60, pitch: 3));
        await Eventually.TrueAsync(() => device.Commands.Count == 2, "the sitting prompt");
        await server.SendLiveAsync(device, TestFrames.Run(T0 + 32 * 60_000, 3 * 60, pitch: 2, motion: 0.3, steps: 2));
        return await server.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
    }

    [Fact]
    public async Task Today_shows_the_same_day_the_api_reports_at_desktop_and_phone_width()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        var day = await LiveAMorningAsync(dashboard);
        var summary = day.GetProperty("summary");
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1/today");

        await dashboard.ShowsAsync("day-title", "2026-11-24");
        await dashboard.ByTestId("today-chart").Locator("svg").First.WaitForAsync();
        Assert.Equal(Math.Round(summary.GetProperty("uprightShare").GetDouble() * 100),
            PageText.FirstNumber(await dashboard.TextAsync("summary-upright-share")), 0.6);
        Assert.Equal(summary.GetProperty("hunchedMinutes").GetDouble(),
            PageText.FirstNumber(await dashboard.TextAsync("summary-hunched-minutes")), 0.6);
        Assert.Equal(summary.GetProperty("longestHunchMinutes").GetDouble(),
            PageText.FirstNumber(await dashboard.TextAsync("summary-longest-hunch")), 0.6);
        Assert.Equal(1, PageText.FirstNumber(await dashboard.TextAsync("summary-sitting-bouts")));
        Assert.Equal(summary.GetProperty("longestSittingBoutMinutes").GetDouble(),
            PageText.FirstNumber(await dashboard.TextAsync("summary-longest-sitting")), 0.6);
        Assert.Equal(2, PageText.FirstNumber(await dashboard.TextAsync("summary-prompts-sent")));
        Assert.Equal(1, PageText.FirstNumber(await dashboard.TextAsync("summary-stretches-done")));
        Assert.Equal(0, PageText.FirstNumber(await dashboard.TextAsync("summary-stretches-dismissed")));

        var prompts = await dashboard.ByTestId("prompt-row").AllInnerTextsAsync();
        Assert.Equal(2, prompts.Count);
        Assert.Single(prompts, p => p.Contains("done, 9 reps"));
        Assert.Single(prompts, p => p.Contains("no answer", StringComparison.OrdinalIgnoreCase));
        await dashboard.ScreenshotAsync("today-1280");

        await dashboard.Page.SetViewportSizeAsync(Dashboard.PhoneWidth, 900);
        await dashboard.ByTestId("today-chart").Locator("svg").First.WaitForAsync();
        await dashboard.ScreenshotAsync("today-390");
        await AssertNoSidewaysScrollAsync(dashboard.Page, Dashboard.PhoneWidth);
        Assert.True(await dashboard.ByTestId("summary-hunched-minutes").First.IsVisibleAsync());
    }

    [Fact]
    public async Task Today_is_readable_in_dark_mode_on_a_phone()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth, ColorScheme.Dark);
        await LiveAMorningAsync(dashboard);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1/today");
        await dashboard.ByTestId("today-chart").Locator("svg").First.WaitForAsync();
        await dashboard.ScreenshotAsync("today-390-dark");

        // Light text on a dark page: what a wearer with dark mode on expects, and can read.
        var (background, text) = await ColorsAsync(dashboard.Page, "[data-testid=summary-hunched-minutes]");
        Assert.True(background < 0.2, $"page background luminance {background:0.00} is not dark");
        Assert.True(text > 0.5, $"summary text luminance {text:0.00} is not light");
        await AssertNoSidewaysScrollAsync(dashboard.Page, Dashboard.PhoneWidth);
    }

    [Fact]
    public async Task Previous_day_link_opens_yesterday()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1/today");
        await dashboard.ByTestId("prev-day").First.ClickAsync();
        await dashboard.Page.WaitForURLAsync(url => url.EndsWith("/devices/desk-1/day/2026-11-23", StringComparison.Ordinal));
        await dashboard.ShowsAsync("day-title", "2026-11-23");
    }

    static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width + 1, $"the page is {scrollWidth} px wide on a {width} px screen");
    }

    /// <summary>Relative luminance (0 black - 1 white) of the page's background and of an element's text.</summary>
    static async Task<(double Background, double Text)> ColorsAsync(IPage page, string selector)
    {
        var colors = await page.EvaluateAsync<string[]>("""
            sel => {
              const el = document.querySelector(sel);
              let bg = el, color = getComputedStyle(el).color;
              // The first ancestor with an opaque background is what the text sits on.
              while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)' || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement;
              return [bg ? getComputedStyle(bg).backgroundColor : getComputedStyle(document.body).backgroundColor, color];
            }
            """, selector);
        return (Luminance(colors[0]), Luminance(colors[1]));
    }

    static double Luminance(string cssColor)
    {
        var parts = cssColor[(cssColor.IndexOf('(') + 1)..cssColor.IndexOf(')')].Split(',', ' ', '/')
            .Where(p => p.Length > 0).Take(3).Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture) / 255).ToArray();
        static double Linear(double c) => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        return 0.2126 * Linear(parts[0]) + 0.7152 * Linear(parts[1]) + 0.0722 * Linear(parts[2]);
    }
}
