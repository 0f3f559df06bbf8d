using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PostureSense.Server.Tests.History;

/// <summary>Trends over the last days, from the stored frames, and never stale when a past day's frames arrive late.</summary>
public sealed class HistoryTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    TestDevice _device = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long Today = TestFrames.Morning.ToUnixTimeMilliseconds();
    static readonly long Day = 86_400_000;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_dir.File("history.db"));
        _device = await _harness.ConnectDeviceAsync("desk-1");
        // Three days ago: 10 min hunched, 50 upright. Yesterday: an hour upright. Today: 6 min hunched.
        await _harness.SendAsync(_device, TestFrames.Run(Today - 3 * Day, 10 * 60, pitch: 30).Then(50 * 60, pitch: 4));
        await _harness.SendAsync(_device, TestFrames.Run(Today - Day, 60 * 60, pitch: 4));
        await _harness.SendLiveAsync(_device, TestFrames.Run(Today, 6 * 60, pitch: 30));
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_last_seven_days_are_one_point_a_day_oldest_first_with_the_days_figures()
    {
        var points = await PointsAsync(7);

        Assert.Equal(7, points.Count);
        Assert.Equal(["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"],
            points.Select(p => p.GetProperty("day").GetString()!).ToArray());
        var threeAgo = points[3];
        Assert.Equal(60, threeAgo.GetProperty("wornMinutes").GetDouble());
        Assert.Equal(10, threeAgo.GetProperty("hunchedMinutes").GetDouble());
        Assert.Equal(0.8333, threeAgo.GetProperty("uprightShare").GetDouble());
        Assert.Equal(1, threeAgo.GetProperty("hunchEpisodes").GetInt32());
        Assert.Equal(60, threeAgo.GetProperty("longestSittingBoutMinutes").GetDouble());
        Assert.Equal(1, points[5].GetProperty("uprightShare").GetDouble());
        Assert.Equal(JsonValueKind.Null, points[4].GetProperty("uprightShare").ValueKind);
        Assert.Equal(0, points[4].GetProperty("wornMinutes").GetDouble());
        Assert.Equal(1, points[6].GetProperty("promptsSent").GetInt32());
    }

    [Fact]
    public async Task Thirty_days_are_thirty_points()
    {
        var points = await PointsAsync(30);
        Assert.Equal(30, points.Count);
        Assert.Equal("2026-10-26", points[0].GetProperty("day").GetString());
        Assert.Equal(3, points.Count(p => p.GetProperty("wornMinutes").GetDouble() > 0));
    }

    [Fact]
    public async Task Frames_of_a_past_day_that_arrive_late_show_in_its_trend_point()
    {
        var before = await PointsAsync(7);
        Assert.Equal(60, before[5].GetProperty("wornMinutes").GetDouble()); // yesterday, now cached

        // A device that was offline yesterday afternoon uploads its backlog today.
        await _harness.SendAsync(_device, TestFrames.Run(Today - Day + 5 * 3_600_000, 20 * 60, pitch: 35));

        var after = await PointsAsync(7);
        Assert.Equal(80, after[5].GetProperty("wornMinutes").GetDouble());
        Assert.Equal(20, after[5].GetProperty("hunchedMinutes").GetDouble());
    }

    [Fact]
    public async Task New_thresholds_recompute_past_days()
    {
        Assert.Equal(10, (await PointsAsync(7))[3].GetProperty("hunchedMinutes").GetDouble());
        using var saved = await _harness.Http.PutAsJsonAsync("/api/settings", new { coaching = new { hunchPitchDeg = 40 } }, Ct);
        Assert.True(saved.IsSuccessStatusCode);
        Assert.Equal(0, (await PointsAsync(7))[3].GetProperty("hunchedMinutes").GetDouble());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("week")]
    [InlineData("-7")]
    public async Task A_bad_number_of_days_is_400(string days)
    {
        using var response = await _harness.Http.GetAsync($"/api/devices/desk-1/history?days={days}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be a whole number from 1 to 90", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Now_shows_the_wearer_hunching_and_sitting_since_the_first_frame()
    {
        var now = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/now", Ct);
        var live = now.GetProperty("live");
        Assert.Equal("hunching", live.GetProperty("state").GetString());
        Assert.Equal(Today, live.GetProperty("hunchSinceTs").GetInt64());
        Assert.True(live.GetProperty("hunchProlonged").GetBoolean());
        Assert.Equal(6, live.GetProperty("sittingMinutes").GetDouble());
        Assert.False(live.GetProperty("sittingProlonged").GetBoolean());
        Assert.True(now.GetProperty("device").GetProperty("online").GetBoolean());

        _harness.Clock.Advance(TimeSpan.FromMinutes(3));
        var later = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/now", Ct);
        Assert.Equal("no-data", later.GetProperty("live").GetProperty("state").GetString());
    }

    async Task<List<JsonElement>> PointsAsync(int days)
    {
        var history = await _harness.Http.GetFromJsonAsync<JsonElement>($"/api/devices/desk-1/history?days={days}", Ct);
        return [.. history.GetProperty("points").EnumerateArray()];
    }
}
