using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.Demo;
using PostureSense.Server.Configuration;

namespace PostureSense.EndToEnd.Tests;

/// <summary>
/// The whole system as the demo runs it, over real TCP: embedded MQTTnet broker, the server with
/// SQLite, and the real agent reading a simulated MPU-6050 through a scenario, all on one clock
/// at 60x. What the wearer would notice: a prompt arrives, the motor plays it, the device acks,
/// and the day's page shows the prompt with its outcome.
/// </summary>
public sealed class HunchPromptTests : DemoRunTest
{
    [Fact]
    public async Task A_prolonged_hunch_prompt_reaches_the_device_which_vibrates_and_acks_it()
    {
        await using var session = await StartAsync("gradual-slouch");
        var prompt = await WaitForPromptAsync("hunch", session);

        Assert.Equal(DeviceCommand.Types.Stretch, prompt.Type);
        Assert.Contains(prompt.Exercise, new[] { "cat-cow", "thread-the-needle" });
        await Eventually(() => Acks.Any(a => a.Ack.Id == prompt.Id), "the device to ack the hunch prompt");
        // The device acks "received" before it starts the motor.
        await Eventually(() => session.Motor.Vibrations.Any(v => v.Pattern == VibrationPattern.Double && v.At.ToUnixTimeMilliseconds() >= prompt.Ts),
            "the motor to play the hunch prompt's double buzz");

        var day = await DayAsync(session);
        var shown = Assert.Single(day.GetProperty("prompts").EnumerateArray(), p => p.GetProperty("commandId").GetString() == prompt.Id);
        Assert.Equal("received", shown.GetProperty("outcome").GetString());
        Assert.True(day.GetProperty("summary").GetProperty("hunchedMinutes").GetDouble() >= 4,
            "the day's summary counts the minutes spent hunched");
    }

    [Fact]
    public async Task At_the_demos_top_speeds_telemetry_keeps_up_and_the_prompt_still_comes()
    {
        await using var session = await StartAsync("gradual-slouch", speed: DemoOptions.MaxSpeed);
        var prompt = await WaitForPromptAsync("hunch", session);

        // Before, the sensor's timer stopped past 250x, and the device's telemetry fell further
        // behind every second past 100x: a prompt for frames minutes old is never sent.
        await Eventually(() => Acks.Any(a => a.Ack.Id == prompt.Id), "the device to ack the hunch prompt");
    }

    [Fact]
    public async Task The_dashboard_shows_the_prompt_in_the_wearers_day()
    {
        await using var session = await StartAsync("gradual-slouch");
        var prompt = await WaitForPromptAsync("hunch", session);
        await Eventually(() => Acks.Any(a => a.Ack.Id == prompt.Id), "the device to ack the hunch prompt");

        using var http = await SignedInAsync(session);
        var page = await http.GetStringAsync(new Uri(session.DashboardUrl + "/today"), TestContext.Current.CancellationToken);
        Assert.Contains("data-testid=\"day-title\"", page);
        Assert.DoesNotContain("No stretch prompts this day", page);
        Assert.DoesNotContain("No posture data for this day", page);
        var exercise = prompt.Exercise == "cat-cow" ? "Cat-Cow stretch" : "Thread the Needle";
        var from = page.IndexOf("<h2>Prompts</h2>", StringComparison.Ordinal);
        var prompts = page[from..page.IndexOf("</table>", from, StringComparison.Ordinal)];
        Assert.Contains("data-testid=\"prompt-row\"", prompts);
        Assert.Contains("long hunch", prompts);
        Assert.Contains(exercise, prompts);
        Assert.Contains("<td>received</td>", prompts);
    }
}

/// <summary>Thirty minutes of sitting is thirty seconds at 60x: its own class, so it runs beside the others.</summary>
public sealed class SittingPromptTests : DemoRunTest
{
    [Fact]
    public async Task Prolonged_sitting_is_prompted_with_a_walk_or_strength_exercise_and_acked()
    {
        await using var session = await StartAsync("sitting-then-walk");
        var prompt = await WaitForPromptAsync("sitting", session, TimeSpan.FromSeconds(90));

        await Eventually(() => Acks.Any(a => a.Ack.Id == prompt.Id), "the device to ack the sitting prompt");
        // The device acks "received" before it starts the motor.
        await Eventually(() => session.Motor.Vibrations.Any(v => v.Pattern == VibrationPattern.Long && v.At.ToUnixTimeMilliseconds() >= prompt.Ts),
            "the motor to play the sitting prompt's long buzz");
        // The criterion is 30 min without walking; on the demo clock the prompt follows it within a batch or two.
        // Counted from the wearer's first moment: the set-up before it (server, account, device secrets)
        // also runs on the accelerated clock, and on a busy machine takes minutes of demo time.
        var sinceStart = DateTimeOffset.FromUnixTimeMilliseconds(prompt.Ts) - session.WearerStart;
        Assert.InRange(sinceStart, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(32));
    }
}

public abstract class DemoRunTest : IAsyncLifetime
{
    protected const double Speed = 60;
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("posturesense-e2e-");
    readonly ConcurrentQueue<(DeviceId DeviceId, DeviceCommand Command)> _prompts = new();
    protected ConcurrentQueue<(DeviceId DeviceId, CommandAck Ack)> Acks { get; } = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    protected async Task<DemoSession> StartAsync(string scenario, int historyDays = 0, double speed = Speed)
    {
        var options = new DemoOptions
        {
            Scenario = scenario,
            HistoryDays = historyDays,
            Speed = speed,
            Http = new HttpEndpoint(IPAddress.Loopback, 0),
            MqttPort = 0,
        };
        var session = await DemoSession.StartAsync(options, Path.Combine(_dir.FullName, scenario + ".db"), NullLoggerFactory.Instance,
            TestContext.Current.CancellationToken);
        session.Server.PromptSent += (id, cmd) => _prompts.Enqueue((id, cmd));
        session.Server.AckReceived += (id, ack) => Acks.Enqueue((id, ack));
        return session;
    }

    protected async Task<DeviceCommand> WaitForPromptAsync(string reason, DemoSession session, TimeSpan? timeout = null)
    {
        await Eventually(() => _prompts.Any(p => p.Command.Reason == reason), $"a {reason} prompt", timeout ?? TimeSpan.FromSeconds(60));
        var (deviceId, command) = _prompts.First(p => p.Command.Reason == reason);
        Assert.Equal(session.Options.DeviceId, deviceId);
        return command;
    }

    /// <summary>A client signed in as the demo's wearer, as a person would from the login the demo prints.</summary>
    protected static async Task<HttpClient> SignedInAsync(DemoSession session)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = session.Server.HttpUrl };
        using var login = await http.PostAsJsonAsync("/api/account/login", new { email = session.Login.Email, password = session.Login.Password },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return http;
    }

    protected static async Task<JsonElement> DayAsync(DemoSession session)
    {
        using var http = await SignedInAsync(session);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(session.Clock.GetUtcNow(), TimeZoneInfo.Local).DateTime);
        return await http.GetFromJsonAsync<JsonElement>($"/api/devices/{session.Options.DeviceId}/days/{day:yyyy-MM-dd}",
            TestContext.Current.CancellationToken);
    }

    protected static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        try { _dir.Delete(recursive: true); }
        catch (IOException) { }
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
