using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PostureSense.EndToEnd.Tests;

/// <summary>The demo as a person meets it: a login it prints, a device that is theirs, and weeks of history already there.</summary>
public sealed class DemoHistoryTests : DemoRunTest
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_demo_wearer_signs_in_and_finds_two_weeks_of_varied_history()
    {
        await using var session = await StartAsync("upright-hour", historyDays: 14);
        Assert.True(session.SeededFrames > 14 * 3 * 3600 / 2, $"only {session.SeededFrames} frames seeded");

        using var anonymous = new HttpClient { BaseAddress = session.Server.HttpUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/devices", Ct)).StatusCode);

        using var http = await SignedInAsync(session);
        var devices = await http.GetFromJsonAsync<JsonElement>("/api/devices", Ct);
        Assert.Equal(session.Options.DeviceId.Value, Assert.Single(devices.EnumerateArray()).GetProperty("id").GetString());

        var history = await http.GetFromJsonAsync<JsonElement>($"/api/devices/{session.Options.DeviceId}/history?days=30", Ct);
        var points = history.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(30, points.Count);
        var past = points[^15..^1];
        Assert.All(past, p => Assert.True(p.GetProperty("wornMinutes").GetDouble() > 60, $"{p.GetProperty("day")} has little data"));
        Assert.All(points[..^15], p => Assert.Equal(0, p.GetProperty("wornMinutes").GetDouble()));
        // Days differ, and the rules found things to prompt about, most of them answered.
        Assert.True(past.Select(p => p.GetProperty("uprightShare").GetDouble()).Distinct().Count() > 10);
        Assert.True(past.Sum(p => p.GetProperty("promptsSent").GetInt32()) > 14);
        Assert.True(past.Sum(p => p.GetProperty("stretchesDone").GetInt32()) > 0);
        Assert.Contains(past, p => p.GetProperty("longestSittingBoutMinutes").GetDouble() >= 30);
    }
}
