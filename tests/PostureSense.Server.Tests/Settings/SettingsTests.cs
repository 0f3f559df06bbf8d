using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;

namespace PostureSense.Server.Tests.Settings;

/// <summary>A wearer's settings: checked, saved, applied to the server's coaching at once, and sent to the device as its retained config.</summary>
public sealed class SettingsTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(_dir.File("settings.db"));

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("""{"coaching":{"hunchPitchDeg":95,"quietStart":"25:00","vibrationStrength":5}}""",
        new[] { "quiet start '25:00' is not a time HH:mm", "vibration strength must be 10 to 100 percent" })]
    [InlineData("""{"coaching":{"hunchHoldS":600,"hunchWindowS":300,"timeZone":"Mars/Olympus"}}""", new[] { "time zone 'Mars/Olympus' is unknown" })]
    [InlineData("""{"coaching":{"hunchHoldS":600,"hunchWindowS":300}}""", new[] { "hunch window must be at least the hunch hold and at most 2 h" })]
    [InlineData("""{"alerts":{"snoozeMinutes":0,"ntfy":{"url":"ftp://ntfy.sh/x","priority":9},"webhook":{"url":"not a url"}}}""",
        new[] { "snooze must be 1 to 240 minutes", "ntfy topic URL 'ftp://ntfy.sh/x' is not an http:// or https:// URL",
                "ntfy priority must be 1 (min) to 5 (urgent)", "webhook URL 'not a url' is not an http:// or https:// URL" })]
    [InlineData("""{"alerts":{"ntfy":{"url":"https://ntfy.sh/","tags":["a,b"]}}}""",
        new[] { "ntfy topic URL has no topic: use https://ntfy.sh/your-topic", "each ntfy tag must be 1 to 40 printable ASCII characters without commas" })]
    [InlineData("""{"coaching":{"hunchPitchDg":25}}""", new[] { "malformed settings JSON" })]
    [InlineData("""{"coaching":{"sittingLimitS":"long"}}""", new[] { "malformed settings JSON" })]
    [InlineData("""[1,2""", new[] { "malformed settings JSON" })]
    public async Task Bad_settings_are_a_400_with_every_reason_and_change_nothing(string json, string[] reasons)
    {
        using var response = await PutAsync(json);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        foreach (var reason in reasons) Assert.Contains(problems, p => p.StartsWith(reason, StringComparison.Ordinal));

        var saved = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/settings", Ct);
        Assert.Equal(20, saved.GetProperty("coaching").GetProperty("hunchPitchDeg").GetDouble());
    }

    [Fact]
    public async Task Settings_must_be_json()
    {
        using var response = await _harness.Http.PutAsync("/api/settings", new StringContent("hunchPitchDeg=25", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Saved_settings_read_back_with_defaults_filled_in_and_reach_the_device_as_its_retained_config()
    {
        using var response = await PutAsync("""
            {"coaching":{"nudgePitchDeg":12,"sittingLimitS":2700,"quietStart":"21:30","quietEnd":"06:30","timeZone":"Europe/Berlin","vibrationStrength":60},
             "alerts":{"snoozeMinutes":5,"webhook":{"url":"https://example.org/hook"}}}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var saved = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/settings", Ct);
        var coaching = saved.GetProperty("coaching");
        Assert.Equal(12, coaching.GetProperty("nudgePitchDeg").GetDouble());
        Assert.Equal(2700, coaching.GetProperty("sittingLimitS").GetInt32());
        Assert.Equal(20, coaching.GetProperty("hunchPitchDeg").GetDouble()); // left out: the default
        Assert.Equal(TestFrames.Morning.ToUnixTimeMilliseconds(), coaching.GetProperty("ts").GetInt64());
        Assert.Equal(5, saved.GetProperty("alerts").GetProperty("snoozeMinutes").GetInt32());

        // A device that connects afterwards gets it from the broker: it is retained.
        var config = await _harness.RetainedConfigAsync("desk-1", c => c.Strength == 60);
        Assert.Equal(12, config.NudgePitchDeg);
        Assert.Equal(2700, config.SittingLimitS);
        Assert.Equal("21:30", config.QuietStart);
        Assert.Equal("Europe/Berlin", config.TimeZone);
        Assert.Equal(TestFrames.Morning.ToUnixTimeMilliseconds(), config.Ts);
    }

    [Fact]
    public async Task The_settings_read_back_with_exactly_the_config_fields_and_the_alert_fields()
    {
        var saved = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/settings", Ct);
        Assert.Equal(["alerts", "coaching"], saved.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(["cooldownS", "hunchCorrectionS", "hunchHoldS", "hunchPitchDeg", "hunchWindowS", "nudgeAfterS", "nudgePitchDeg",
                "quietEnd", "quietStart", "sittingLimitS", "sittingResetWalkS", "ts", "v", "vibrationStrength", "walkingMotionG", "walkingStepsPerMin"],
            saved.GetProperty("coaching").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["browser", "snoozeMinutes"], saved.GetProperty("alerts").EnumerateObject().Select(p => p.Name).Order().ToArray());

        // What was read can be sent back as it is.
        using var response = await PutAsync(saved.GetRawText());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_device_claimed_later_gets_its_wearers_settings()
    {
        using var saved = await PutAsync("""{"coaching":{"vibrationStrength":40}}""");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var claim = await _harness.ClaimAsync(_harness.Http, "desk-7");
        Assert.Equal(HttpStatusCode.Created, claim.StatusCode);

        var config = await _harness.RetainedConfigAsync("desk-7", c => c.Strength == 40);
        Assert.Equal(20, config.HunchPitchDeg);
    }

    [Fact]
    public async Task Saving_changes_how_the_server_coaches_that_device_at_once()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        // Two minutes hunched, then upright: on the defaults (5 of 6 min) that is no prolonged hunch.
        await _harness.SendLiveAsync(device, TestFrames.Run(T0, 2 * 60, pitch: 30).Then(60, pitch: 3));
        Assert.Empty(_harness.PromptsSent);

        using var response = await PutAsync("""{"coaching":{"hunchHoldS":90,"hunchWindowS":120}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The same two minutes now pass the wearer's rule: a prompt, and the day summary counts it.
        var start = T0 + 3 * 60_000;
        await _harness.SendLiveAsync(device, TestFrames.Run(start, 2 * 60, pitch: 30));
        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "a hunch prompt on the wearer's thresholds");
        var prompt = Assert.Single(device.Commands);
        Assert.Equal("hunch", prompt.Reason);

        var day = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        var episodes = day.GetProperty("summary").GetProperty("hunchEpisodes").EnumerateArray().ToList();
        Assert.Equal(2, episodes.Count); // the first two minutes count as one too, on the new thresholds
    }

    [Fact]
    public async Task Another_wearers_settings_do_not_touch_my_device()
    {
        await _harness.AddWearerAsync("other@example.org", "other wearer's pass", ["desk-2"]);
        var other = _harness.NewClient();
        await _harness.SignInAsync(other, "other@example.org", "other wearer's pass");
        using var response = await other.PutAsJsonAsync("/api/settings", new { coaching = new { hunchHoldS = 60, hunchWindowS = 60 } }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(TimeSpan.FromSeconds(60), _harness.Server.Settings.SettingsFor(DeviceId.Parse("desk-2")).HunchHold);
        Assert.Equal(TimeSpan.FromMinutes(5), _harness.Server.Settings.SettingsFor(DeviceId.Parse("desk-1")).HunchHold);
    }

    Task<HttpResponseMessage> PutAsync(string json) =>
        _harness.Http.PutAsync("/api/settings", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
}
