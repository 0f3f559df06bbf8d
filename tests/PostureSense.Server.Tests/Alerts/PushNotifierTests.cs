using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using PostureSense.Server.Configuration;
using PostureSense.Server.Outbound;

namespace PostureSense.Server.Tests.Alerts;

/// <summary>
/// A prompt reaches the wearer's push channels: ntfy's publish API and a generic webhook, each a
/// real HTTP server on loopback, which the operator's allowlist lets alerts reach. A 500 is
/// retried; the answer links in the notification work.
/// </summary>
public sealed class PushNotifierTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ScriptedHttpServer _push = null!;
    ServerHarness _harness = null!;
    readonly ConcurrentQueue<(string Channel, bool Ok)> _ended = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync()
    {
        _push = await ScriptedHttpServer.StartAsync();
        _harness = await ServerHarness.StartAsync(_dir.File("push.db"),
            configure: o => AllowPushServer(o) with { PublicUrl = new Uri("https://posture.example.org/") });
        _harness.Server.Alerts.DeliveryEnded += (channel, _, ok) => _ended.Enqueue((channel, ok));
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _push.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ntfy_gets_the_message_title_priority_tags_and_answer_buttons_and_a_500_is_retried()
    {
        _push.Answer = _ => new ScriptedReply(200, """{"id":"x"}""");
        await SaveAlertsAsync(new { ntfy = new { url = new Uri(_push.Url, "posture-desk").AbsoluteUri, priority = 5, tags = new[] { "warning", "back" }, token = "tk_secret" } });
        // The first try meets a server error; the second gets through.
        _push.Script(new ScriptedReply(500, "oops"));

        var command = await PromptAsync();
        await Eventually.TrueAsync(() => _ended.Count == 1, "the ntfy delivery to end");

        Assert.Equal(("ntfy", true), Assert.Single(_ended));
        var requests = _push.Requests.ToList();
        Assert.Equal(2, requests.Count);
        var sent = requests[1];
        Assert.Equal(requests[0] with { Headers = sent.Headers }, sent); // the retry is the same request
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/posture-desk", sent.PathAndQuery);
        Assert.Equal("Bearer tk_secret", sent.Authorization);
        Assert.Equal("Time for a stretch", sent.Header("Title"));
        Assert.Equal("5", sent.Header("Priority"));
        Assert.Equal("warning,back", sent.Header("Tags"));
        Assert.Equal("You have been hunched forward for a while. Try Cat-Cow stretch (10-15 times).", sent.Body);
        Assert.Equal("https://posture.example.org/devices/desk-1", sent.Header("Click"));

        var actions = sent.Header("Actions")!.Split("; ");
        Assert.Equal(3, actions.Length);
        Assert.StartsWith("http, Done, https://posture.example.org/api/alerts/actions/", actions[0]);
        Assert.EndsWith(", method=POST, clear=true", actions[0]);
        Assert.StartsWith("http, Snooze, https://posture.example.org/api/alerts/actions/", actions[1]);
        Assert.Equal("view, Open, https://posture.example.org/devices/desk-1", actions[2]);

        // The phone presses "Done": the link alone (no session) records the stretch as done.
        var doneLink = new Uri(actions[0].Split(", ")[2]);
        using var pressed = await _harness.Anonymous.PostAsync(doneLink.PathAndQuery, null, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, pressed.StatusCode);
        var day = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        Assert.Equal(1, day.GetProperty("summary").GetProperty("stretchesDone").GetInt32());
        Assert.Equal("done", day.GetProperty("prompts")[0].GetProperty("outcome").GetString());
        Assert.Equal(command.Id, day.GetProperty("prompts")[0].GetProperty("commandId").GetString());

        // A forged or altered link does nothing.
        using var forged = await _harness.Anonymous.PostAsync(doneLink.AbsolutePath[..^4] + "AAAA", null, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task The_webhook_gets_the_prompt_as_json_with_the_exercise_steps_and_answer_links()
    {
        _push.Answer = _ => new ScriptedReply(204);
        await SaveAlertsAsync(new { webhook = new { url = new Uri(_push.Url, "hooks/posture?key=abc").AbsoluteUri } });
        _push.Script(new ScriptedReply(503), new ScriptedReply(500));

        var command = await PromptAsync();
        await Eventually.TrueAsync(() => _ended.Count == 1, "the webhook delivery to end");

        Assert.Equal(("webhook", true), Assert.Single(_ended));
        Assert.Equal(3, _push.Requests.Count);
        var sent = _push.Requests.Last();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/hooks/posture?key=abc", sent.PathAndQuery);
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        using var json = JsonDocument.Parse(sent.Body);
        var root = json.RootElement;
        Assert.Equal("prompt", root.GetProperty("type").GetString());
        var alert = root.GetProperty("alert");
        Assert.Equal("desk-1", alert.GetProperty("deviceId").GetString());
        Assert.Equal(command.Id, alert.GetProperty("commandId").GetString());
        Assert.Equal(command.Ts, alert.GetProperty("ts").GetInt64());
        Assert.Equal("hunch", alert.GetProperty("reason").GetString());
        Assert.Equal("cat-cow", alert.GetProperty("exercise").GetString());
        Assert.Equal("Cat-Cow stretch", alert.GetProperty("exerciseName").GetString());
        Assert.Equal("On hands and knees, neutral spine.", alert.GetProperty("steps")[0].GetString());
        Assert.StartsWith("https://posture.example.org/api/alerts/actions/", root.GetProperty("links").GetProperty("snooze").GetString());
    }

    [Fact]
    public async Task A_channel_that_keeps_failing_is_given_up_after_the_last_attempt_and_logged_while_prompts_go_on()
    {
        _push.Answer = _ => new ScriptedReply(502);
        await SaveAlertsAsync(new { webhook = new { url = _push.Url.AbsoluteUri } });

        var device = await _harness.ConnectDeviceAsync("desk-1");
        await _harness.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => _ended.Count == 1, "the webhook delivery to be given up");

        Assert.Equal(("webhook", false), Assert.Single(_ended));
        Assert.Equal(5, _push.Requests.Count);
        Assert.Contains(_harness.Logs.Errors, e => e.Contains("Could not deliver webhook alert") && e.Contains("after 5 attempts"));
        // Ingestion carried on: every frame is stored and the device got its prompt.
        Assert.Single(device.Commands);
        Assert.Equal(360, _harness.Server.Stats.FramesStored);
    }

    [Fact]
    public async Task A_channel_that_refuses_the_request_is_not_retried()
    {
        _push.Answer = _ => new ScriptedReply(403, """{"error":"forbidden"}""");
        await SaveAlertsAsync(new { ntfy = new { url = new Uri(_push.Url, "t").AbsoluteUri } });

        await PromptAsync();
        await Eventually.TrueAsync(() => _ended.Count == 1, "the ntfy delivery to end");

        Assert.Equal(("ntfy", false), Assert.Single(_ended));
        var sent = Assert.Single(_push.Requests);
        Assert.Equal("muscle", sent.Header("Tags")); // no tags chosen: a default icon
        Assert.Equal("4", sent.Header("Priority"));
    }

    [Fact]
    public async Task Without_a_public_url_the_notification_has_no_buttons()
    {
        await using var harness = await ServerHarness.StartAsync(_dir.File("no-public-url.db"), configure: AllowPushServer);
        using var saved = await harness.Http.PutAsJsonAsync("/api/settings",
            new { alerts = new { ntfy = new { url = new Uri(_push.Url, "t").AbsoluteUri } } }, Ct);
        Assert.True(saved.IsSuccessStatusCode);
        var device = await harness.ConnectDeviceAsync("desk-1");
        await harness.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => !_push.Requests.IsEmpty, "the ntfy request");

        var sent = Assert.Single(_push.Requests);
        Assert.Equal("Time for a stretch", sent.Header("Title"));
        Assert.Null(sent.Header("Actions"));
        Assert.Null(sent.Header("Click"));
    }

    /// <summary>The scripted push server is on loopback, where alerts go only with the operator's leave.</summary>
    ServerOptions AllowPushServer(ServerOptions options) =>
        options with { AlertDelivery = options.AlertDelivery with { Allow = OutboundAllowlist.Parse($"127.0.0.1:{_push.Url.Port}") } };

    async Task SaveAlertsAsync(object alerts)
    {
        using var response = await _harness.Http.PutAsJsonAsync("/api/settings", new { alerts }, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    async Task<PostureSense.Core.Contract.DeviceCommand> PromptAsync()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        await _harness.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "the hunch prompt");
        return Assert.Single(device.Commands);
    }
}
