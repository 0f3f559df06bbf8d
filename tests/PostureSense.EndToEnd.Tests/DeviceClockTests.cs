using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Core.Contract;
using PostureSense.Demo;
using PostureSense.Server.Configuration;

namespace PostureSense.EndToEnd.Tests;

/// <summary>
/// Devices whose clocks are wrong, through the real agent and server over TCP at 60x: a Pi has no
/// real-time clock, so it may boot hours behind, or run minutes off on a wrong time server. What
/// the wearer would notice: their hunch is prompted once, and their day shows it where it was.
/// </summary>
public sealed class DeviceClockTests : IAsyncLifetime
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("posturesense-clock-");
    readonly ConcurrentQueue<DeviceCommand> _prompts = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        try { _dir.Delete(recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    async Task<DemoSession> StartAsync(TimeSpan offset, TimeSpan? syncAfter)
    {
        var options = new DemoOptions
        {
            Scenario = "gradual-slouch",
            HistoryDays = 0,
            Http = new HttpEndpoint(IPAddress.Loopback, 0),
            MqttPort = 0,
            DeviceClockOffset = offset,
            DeviceClockSyncAfter = syncAfter,
        };
        var session = await DemoSession.StartAsync(options, Path.Combine(_dir.FullName, "clock.db"), NullLoggerFactory.Instance,
            TestContext.Current.CancellationToken);
        session.Server.PromptSent += (_, command) => _prompts.Enqueue(command);
        return session;
    }

    /// <summary>The hunch prompt, then long enough for a second one to show if there were one.</summary>
    async Task<DeviceCommand> SingleHunchPromptAsync(DemoSession session)
    {
        await Eventually(() => !_prompts.IsEmpty, "a hunch prompt", TimeSpan.FromSeconds(60));
        // Two minutes of demo time.
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        var prompt = Assert.Single(_prompts);
        Assert.Equal("hunch", prompt.Reason);
        // Prompted when the hunch had lasted 5 min (from 6:16 of the scenario), not minutes later.
        var since = DateTimeOffset.FromUnixTimeMilliseconds(prompt.Ts) - session.WearerStart;
        Assert.InRange(since, TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(14));
        return prompt;
    }

    [Fact]
    public async Task A_device_ten_minutes_slow_is_coached_like_one_on_time()
    {
        await using var session = await StartAsync(TimeSpan.FromMinutes(-10), syncAfter: null);
        var prompt = await SingleHunchPromptAsync(session);

        // The device accepts the prompt from a clock it thinks is 10 min ahead, and plays it.
        await Eventually(() => session.Motor.Vibrations.Any(v => v.Pattern == Core.Device.VibrationPattern.Double
            && v.At.ToUnixTimeMilliseconds() >= prompt.Ts), "the motor to play the hunch prompt", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_device_booting_ten_hours_behind_sends_its_frames_in_the_right_hours_once_its_clock_is_set()
    {
        await using var session = await StartAsync(TimeSpan.FromHours(-10), syncAfter: TimeSpan.FromMinutes(3));
        await SingleHunchPromptAsync(session);

        var device = session.Options.DeviceId;
        var start = session.WearerStart.ToUnixTimeMilliseconds();
        var now = session.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var ct = TestContext.Current.CancellationToken;
        var lived = await session.Server.Store.ReadFramesAsync(device, start - 60_000, now + 60_000, ct);
        // The minutes before the clock was set are there too, where they were lived.
        Assert.Contains(lived, f => f.Ts < start + 60_000);
        Assert.True(lived.Count >= 11 * 60 - 10, $"{lived.Count} frames in the hours they were lived");
        Assert.Empty(await session.Server.Store.ReadFramesAsync(device, start - 11 * 3_600_000L, start - 3_600_000L, ct));
    }

    static async Task Eventually(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
