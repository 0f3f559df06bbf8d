using PostureSense.Server.Alerts;
using PostureSense.Core.Contract;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;

namespace PostureSense.Server.Tests.Alerts;

/// <summary>
/// The browser's side of phone alerts: a live server-sent event for each prompt, and "Done" and
/// "Snooze" stored like a device's ack, a snoozed prompt coming back after the snooze minutes.
/// </summary>
public sealed class AlertStreamTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    TestDevice _device = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_dir.File("stream.db"));
        _device = await _harness.ConnectDeviceAsync("desk-1");
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task An_open_dashboard_gets_each_prompt_as_a_server_sent_event()
    {
        await using var stream = await EventStream.OpenAsync(_harness.Http);
        await Eventually.TrueAsync(() => _harness.Server.AlertHub.SubscriberCount(_harness.WearerId) == 1, "the stream to subscribe");

        var command = await PromptAsync();
        var (name, id, alert) = await stream.NextAsync();

        Assert.Equal("prompt", name);
        Assert.Equal(command.Id, id);
        Assert.Equal("desk-1", alert.GetProperty("deviceId").GetString());
        Assert.Equal("hunch", alert.GetProperty("reason").GetString());
        Assert.Equal("Cat-Cow stretch", alert.GetProperty("exerciseName").GetString());
        Assert.Equal("Time for a stretch", alert.GetProperty("title").GetString());
        Assert.False(alert.GetProperty("reminder").GetBoolean());
    }

    [Fact]
    public async Task Another_wearers_stream_stays_silent()
    {
        var otherId = await _harness.AddWearerAsync("other@example.org", "other wearer's pass", ["desk-2"]);
        var other = _harness.NewClient();
        await _harness.SignInAsync(other, "other@example.org", "other wearer's pass");
        await using var theirs = await EventStream.OpenAsync(other);
        await using var mine = await EventStream.OpenAsync(_harness.Http);
        await Eventually.TrueAsync(() => _harness.Server.AlertHub.SubscriberCount(_harness.WearerId) == 1
                                         && _harness.Server.AlertHub.SubscriberCount(otherId) == 1, "both streams to subscribe");

        await PromptAsync();
        await mine.NextAsync();

        // A fence: an alert of their own, sent after the prompt; in order, so a leaked prompt would come first.
        var fence = PostureSense.Server.Alerts.PromptAlert.Create(DeviceId.Parse("desk-2"), "c-fence", T0, PostureSense.Core.Exercises.PromptReason.Sitting, "superman", false);
        _harness.Server.AlertHub.Publish(otherId, fence);
        Assert.Equal("c-fence", (await theirs.NextAsync()).Id);
    }

    [Fact]
    public async Task Done_is_stored_as_a_done_ack_and_counts_as_a_stretch_done()
    {
        var command = await PromptAsync();
        using var response = await _harness.Http.PostAsync($"/api/devices/desk-1/prompts/{command.Id}/done", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var day = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        Assert.Equal("done", day.GetProperty("prompts")[0].GetProperty("outcome").GetString());
        Assert.Equal(1, day.GetProperty("summary").GetProperty("stretchesDone").GetInt32());
        Assert.Contains(day.GetProperty("acks").EnumerateArray(), a => a.GetProperty("status").GetString() == "done");
    }

    [Fact]
    public async Task Snooze_dismisses_the_prompt_and_it_comes_back_as_a_reminder_after_the_snooze_minutes()
    {
        using var saved = await _harness.Http.PutAsJsonAsync("/api/settings", new { alerts = new { snoozeMinutes = 5 } }, Ct);
        Assert.True(saved.IsSuccessStatusCode);
        var command = await PromptAsync();
        await using var stream = await EventStream.OpenAsync(_harness.Http);
        await Eventually.TrueAsync(() => _harness.Server.AlertHub.SubscriberCount(_harness.WearerId) == 1, "the stream to subscribe");

        using var response = await _harness.Http.PostAsync($"/api/devices/desk-1/prompts/{command.Id}/snooze", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var day = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        Assert.Equal("dismissed", day.GetProperty("prompts")[0].GetProperty("outcome").GetString());

        _harness.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(stream.HasEvent);
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, id, alert) = await stream.NextAsync();
        Assert.Equal(command.Id, id);
        Assert.True(alert.GetProperty("reminder").GetBoolean());
        Assert.Equal("Reminder: time for a stretch", alert.GetProperty("title").GetString());

        // Done after all: the newest answer is the outcome.
        await _harness.Http.PostAsync($"/api/devices/desk-1/prompts/{command.Id}/done", null, Ct);
        day = await _harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        Assert.Equal("done", day.GetProperty("prompts")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_snoozed_prompt_done_before_the_reminder_is_not_reminded()
    {
        var command = await PromptAsync();
        await using var stream = await EventStream.OpenAsync(_harness.Http);
        await Eventually.TrueAsync(() => _harness.Server.AlertHub.SubscriberCount(_harness.WearerId) == 1, "the stream to subscribe");
        var reminders = (InMemorySnoozeReminders)_harness.Server.SnoozeReminders;
        await _harness.Http.PostAsync($"/api/devices/desk-1/prompts/{command.Id}/snooze", null, Ct);
        Assert.True(reminders.IsPending(DeviceId.Parse("desk-1"), command.Id));

        await _harness.Http.PostAsync($"/api/devices/desk-1/prompts/{command.Id}/done", null, Ct);

        Assert.False(reminders.IsPending(DeviceId.Parse("desk-1"), command.Id));
        _harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.False(stream.HasEvent);
    }

    [Theory]
    [InlineData("/api/devices/desk-1/prompts/c-unknown/done", HttpStatusCode.NotFound)]
    [InlineData("/api/devices/desk-1/prompts/c-unknown/snooze", HttpStatusCode.NotFound)]
    [InlineData("/api/devices/desk-1/prompts/c-unknown/later", HttpStatusCode.NotFound)]
    public async Task Answering_a_prompt_that_does_not_exist_is_404(string path, HttpStatusCode expected)
    {
        using var response = await _harness.Http.PostAsync(path, null, Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    async Task<PostureSense.Core.Contract.DeviceCommand> PromptAsync()
    {
        await _harness.SendLiveAsync(_device, TestFrames.Run(T0, 6 * 60, pitch: 30));
        await Eventually.TrueAsync(() => !_device.Commands.IsEmpty, "the hunch prompt");
        return Assert.Single(_device.Commands);
    }

    /// <summary>A text/event-stream response read line by line in the background.</summary>
    sealed class EventStream : IAsyncDisposable
    {
        readonly HttpResponseMessage _response;
        readonly CancellationTokenSource _stop = new();
        readonly Channel<(string Event, string Id, JsonElement Data)> _events = Channel.CreateUnbounded<(string, string, JsonElement)>();
        readonly Task _reader;

        EventStream(HttpResponseMessage response)
        {
            _response = response;
            _reader = Task.Run(ReadAsync);
        }

        public bool HasEvent => _events.Reader.Count > 0;

        public static async Task<EventStream> OpenAsync(HttpClient client)
        {
            var response = await client.GetAsync("/api/alerts/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new EventStream(response);
        }

        public async Task<(string Event, string Id, JsonElement Data)> NextAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            return await _events.Reader.ReadAsync(timeout.Token);
        }

        async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
                string name = "", id = "", data = "";
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                    else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
                    else if (line.Length == 0 && data.Length > 0)
                    {
                        _events.Writer.TryWrite((name, id, JsonDocument.Parse(data).RootElement.Clone()));
                        (name, id, data) = ("", "", "");
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException) { }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            await _reader;
            _stop.Dispose();
        }
    }
}
