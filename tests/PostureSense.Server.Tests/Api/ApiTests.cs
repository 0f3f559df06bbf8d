using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PostureSense.Core.Contract;

namespace PostureSense.Server.Tests.Api;

public sealed class ApiTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    TestDevice _device = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_dir.File("api.db"));
        _device = await _harness.ConnectDeviceAsync("desk-1");
        // Six minutes hunched, then two upright: one prolonged hunch, one prompt.
        await _harness.SendLiveAsync(_device, TestFrames.Run(T0, 6 * 60, pitch: 30).Then(2 * 60, pitch: 3));
        await Eventually.TrueAsync(() => !_device.Commands.IsEmpty, "the hunch prompt");
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_day_has_the_summary_a_per_minute_timeline_and_the_prompts_with_their_answers()
    {
        _device.Commands.TryPeek(out var command);
        await _device.PublishAsync(Topics.Ack, WireFormat.Serialize(new CommandAck(1, command!.Id, CommandAck.Statuses.Done, T0 + 400_000)));
        await Eventually.TrueAsync(() => !_harness.AcksReceived.IsEmpty, "the ack");

        using var day = await GetJsonAsync("/api/devices/desk-1/days/2026-11-24", HttpStatusCode.OK);
        var root = day.RootElement;
        var summary = root.GetProperty("summary");

        Assert.Equal("2026-11-24", root.GetProperty("day").GetString());
        Assert.Equal(8, summary.GetProperty("wornMinutes").GetDouble());
        Assert.Equal(6, summary.GetProperty("hunchedMinutes").GetDouble());
        Assert.Equal(0.25, summary.GetProperty("uprightShare").GetDouble());
        var episode = Assert.Single(summary.GetProperty("hunchEpisodes").EnumerateArray());
        Assert.Equal(T0, episode.GetProperty("startTs").GetInt64());
        Assert.Equal(6, summary.GetProperty("longestHunchMinutes").GetDouble());
        Assert.Equal(1, summary.GetProperty("promptsSent").GetInt32());
        Assert.Equal(1, summary.GetProperty("stretchesDone").GetInt32());

        var timeline = root.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(8, timeline.Count);
        Assert.Equal(T0, timeline[0].GetProperty("ts").GetInt64());
        Assert.Equal(30, timeline[0].GetProperty("meanPitch").GetDouble());
        Assert.Equal(30, timeline[0].GetProperty("maxPitch").GetDouble());
        Assert.Equal(60, timeline[0].GetProperty("frames").GetInt32());
        Assert.Equal(3, timeline[7].GetProperty("meanPitch").GetDouble());

        var prompt = Assert.Single(root.GetProperty("prompts").EnumerateArray());
        Assert.Equal(command.Id, prompt.GetProperty("commandId").GetString());
        Assert.Equal("hunch", prompt.GetProperty("reason").GetString());
        Assert.Equal("cat-cow", prompt.GetProperty("exercise").GetString());
        Assert.Equal("done", prompt.GetProperty("outcome").GetString());
        Assert.Equal("done", Assert.Single(root.GetProperty("acks").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_stretch_the_device_watched_shows_its_reps_on_the_prompt()
    {
        _device.Commands.TryPeek(out var command);
        await _device.PublishAsync(Topics.Ack, WireFormat.Serialize(new CommandAck(1, command!.Id, CommandAck.Statuses.Received, T0 + 361_000)));
        await _device.PublishAsync(Topics.Ack, WireFormat.Serialize(
            new CommandAck(1, command.Id, CommandAck.Statuses.Done, T0 + 420_000, "cat-cow", 9)));
        await Eventually.TrueAsync(() => _harness.AcksReceived.Count == 2, "both acks");

        using var day = await GetJsonAsync("/api/devices/desk-1/today", HttpStatusCode.OK);
        var prompt = Assert.Single(day.RootElement.GetProperty("prompts").EnumerateArray());
        Assert.Equal("done", prompt.GetProperty("outcome").GetString());
        Assert.Equal(9, prompt.GetProperty("reps").GetInt32());
        var done = day.RootElement.GetProperty("acks").EnumerateArray().Single(a => a.GetProperty("status").GetString() == "done");
        Assert.Equal("cat-cow", done.GetProperty("exercise").GetString());
    }

    [Fact]
    public async Task Today_is_the_local_day_of_the_server_clock()
    {
        using var today = await GetJsonAsync("/api/devices/desk-1/today", HttpStatusCode.OK);
        Assert.Equal("2026-11-24", today.RootElement.GetProperty("day").GetString());

        using var other = await GetJsonAsync("/api/devices/desk-1/days/2026-11-23", HttpStatusCode.OK);
        Assert.Equal(0, other.RootElement.GetProperty("summary").GetProperty("wornMinutes").GetDouble());
    }

    [Theory]
    [InlineData("/api/devices/desk-1/days/2026-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/24-11-2026", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/yesterday", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/9999-12-31", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/0001-01-01", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/1999-12-31", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/2026-02-30", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-1/days/2026-11-26", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/Desk_1/days/2026-11-24", HttpStatusCode.BadRequest)]
    [InlineData("/api/devices/desk-9/days/2026-11-24", HttpStatusCode.NotFound)]
    [InlineData("/api/devices/desk-9/today", HttpStatusCode.NotFound)]
    public async Task Bad_ids_and_dates_are_400_and_unknown_devices_404(string path, HttpStatusCode expected)
    {
        using var error = await GetJsonAsync(path, expected);
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("/api/devices/Desk_1/days/2026-11-24")]
    [InlineData("/api/devices/Desk_1/today")]
    [InlineData("/api/devices/Desk_1/history?days=7")]
    [InlineData("/api/devices/Desk_1/now")]
    public async Task A_route_id_that_breaks_the_rule_is_told_the_rule_word_for_word(string path)
    {
        var response = await _harness.Http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":"'Desk_1' is not a device id; use 1-63 lowercase letters, digits or '-'"}""",
            await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Devices_lists_ids_last_frame_and_online_status()
    {
        using var devices = await GetJsonAsync("/api/devices", HttpStatusCode.OK);

        var device = Assert.Single(devices.RootElement.EnumerateArray());
        Assert.Equal("desk-1", device.GetProperty("id").GetString());
        Assert.Equal(T0 + 8 * 60_000 - 1000, device.GetProperty("lastFrameTs").GetInt64());
        Assert.True(device.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task Stats_count_accepted_and_rejected_messages_by_reason()
    {
        await _device.PublishAsync(Topics.Telemetry, "not json"u8.ToArray());
        await Eventually.TrueAsync(() => _harness.Server.Stats.Rejected("malformed-json") == 1, "the rejection");

        Assert.True(await _harness.Server.Accounts.SetOperatorAsync(ServerHarness.WearerEmail, true, Ct));
        using var stats = await GetJsonAsync("/api/stats", HttpStatusCode.OK);

        Assert.Equal(8, stats.RootElement.GetProperty("accepted").GetProperty("telemetry").GetInt64());
        Assert.Equal(1, stats.RootElement.GetProperty("rejected").GetProperty("malformed-json").GetInt64());
        Assert.Equal(480, stats.RootElement.GetProperty("framesStored").GetInt64());
        Assert.Equal(1, stats.RootElement.GetProperty("promptsSent").GetInt64());
    }

    [Fact]
    public async Task The_dashboard_lists_devices_and_shows_the_day_the_prompts_the_exercises_and_the_advice()
    {
        var list = await _harness.Http.GetStringAsync("/", Ct);
        Assert.Contains("href=\"/devices/desk-1\"", list);

        // The pages render on the server first: what a wearer sees before the live circuit is up.
        var page = await _harness.Http.GetStringAsync("/devices/desk-1/day/2026-11-24", Ct);
        Assert.Contains("data-testid=\"day-title\">2026-11-24", page);
        Assert.Contains("Longest hunch", page);
        Assert.Contains("Cat-Cow stretch", page);
        // The prompt's row: its time is the clock when the server decided, the hunch being met at 10:05
        // (the harness may have moved the clock on by a batch by then). On failure, the rows it has.
        var rows = Regex.Matches(page, "<tr data-testid=\"prompt-row\">.*?</tr>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.True(rows.Count == 1 && Regex.IsMatch(rows[0], "<td>10:0[56]</td>\\s*<td>long hunch</td>"),
            $"expected one long-hunch prompt at 10:05, found: {(rows.Count == 0 ? "no prompt row" : string.Join(" | ", rows))}");
        Assert.Contains("does not diagnose or treat", page);

        var exercises = await _harness.Http.GetStringAsync("/exercises", Ct);
        Assert.Contains("<li>Inhale, drop the belly and lift head and tailbone (cow).</li>", exercises);
        Assert.Contains("numbness or tingling", exercises);
    }

    [Fact]
    public async Task The_dashboard_answers_a_bad_day_with_400_and_a_device_not_the_wearers_with_404()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _harness.Http.GetAsync("/devices/desk-1/day/2026-02-30", Ct)).StatusCode);
        var farOff = await _harness.Http.GetAsync("/devices/desk-1/day/9999-12-31", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, farOff.StatusCode);
        Assert.Contains("9999-12-31 is out of range", await farOff.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await _harness.Http.GetAsync("/devices/desk-1/day/2026-11-25", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _harness.Http.GetAsync("/devices/desk-9", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _harness.Http.GetAsync("/devices/desk-9/today", Ct)).StatusCode);
        var response = await _harness.Http.GetAsync("/devices/%3Cscript%3E/history", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<script>", body);
        Assert.Contains("No such device", body);
    }

    async Task<JsonDocument> GetJsonAsync(string path, HttpStatusCode expected)
    {
        var response = await _harness.Http.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{path}: expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }
}
