using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;

namespace PostureSense.Server.Tests.Coaching;

/// <summary>
/// Prolonged hunching built from frames, end to end: broker, ingestion, store, detectors, policy,
/// a stretch command on the device's cmd topic. Event time is the frames'; the fake clock follows them.
/// </summary>
public sealed class CoachingTests : IDisposable
{
    readonly TempDirectory _dir = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    string Db => _dir.File("coach.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Six_minutes_hunched_yields_exactly_one_stretch_command_on_the_cmd_topic()
    {
        await using var harness = await ServerHarness.StartAsync(Db);
        var device = await harness.ConnectDeviceAsync("desk-1");

        await harness.SendLiveAsync(device, TestFrames.Run(T0, 6 * 60, pitch: 30));

        var command = await SingleCommandAsync(device);
        Assert.Equal(DeviceCommand.Types.Stretch, command.Type);
        Assert.Equal("hunch", command.Reason);
        Assert.Equal("double", command.Pattern);
        Assert.Equal(ExerciseCatalog.CatCow.Id, command.Exercise);
        Assert.StartsWith("c-", command.Id);
        Assert.Equal(harness.Clock.GetUtcNow().ToUnixTimeMilliseconds(), command.Ts, tolerance: 120_000);
        Assert.True(WireFormat.ParseCommand(WireFormat.Serialize(command), harness.Clock.GetUtcNow()).Ok);

        Assert.Equal(("desk-1", command), Assert.Single(harness.PromptsSent));
        var prompt = Assert.Single(await harness.Server.Store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0, T0 + 3_600_000, Ct));
        Assert.Equal((command.Id, PromptReason.Hunch, T0), (prompt.CommandId, prompt.Reason, prompt.EpisodeStartTs));
        Assert.Empty(harness.Logs.Errors);
    }

    [Fact]
    public async Task A_hunch_that_goes_on_is_prompted_once_and_a_new_one_after_a_real_correction_again()
    {
        await using var harness = await ServerHarness.StartAsync(Db);
        var device = await harness.ConnectDeviceAsync("desk-1");

        // 25 min hunched: well past the cooldown, still one episode.
        await harness.SendLiveAsync(device, TestFrames.Run(T0, 25 * 60, pitch: 30));
        await SingleCommandAsync(device);
        // A walk ends it (and the sitting bout); six more minutes hunched is a new episode, and the cooldown is over.
        await harness.SendLiveAsync(device, TestFrames.Run(T0 + 25 * 60_000, 3 * 60, pitch: 2, motion: 0.2, steps: 2).Then(6 * 60, pitch: 30));

        await Eventually.TrueAsync(() => device.Commands.Count >= 2, "the second prompt");
        await Task.Delay(300, Ct);
        Assert.Equal([("hunch", "cat-cow"), ("hunch", "thread-the-needle")], device.Commands.Select(c => (c.Reason!, c.Exercise!)));
    }

    [Fact]
    public async Task The_same_frames_replayed_hours_late_are_stored_but_buzz_nobody()
    {
        var clock = new FakeTimeProvider(TestFrames.Morning.AddHours(5));
        await using var harness = await ServerHarness.StartAsync(Db, clock);
        var device = await harness.ConnectDeviceAsync("desk-1");
        var backlog = TestFrames.Run(T0, 6 * 60, pitch: 30);

        await harness.SendAsync(device, backlog);
        await Task.Delay(300, Ct);

        Assert.Equal(backlog.Count, (await harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 3_600_000, Ct)).Count);
        Assert.Empty(device.Commands);
        Assert.Empty(harness.PromptsSent);
        // The history still shows the hunch.
        var day = await harness.Http.GetStringAsync("/api/devices/desk-1/days/2026-11-24", Ct);
        Assert.Contains("\"hunchEpisodes\":[{\"startTs\":" + T0, day);
    }

    [Fact]
    public async Task A_restarted_server_picks_a_device_up_mid_episode_and_prompts_once()
    {
        var clock = new FakeTimeProvider(TestFrames.Morning);
        var hunch = TestFrames.Run(T0, 6 * 60, pitch: 30);
        await using (var first = await ServerHarness.StartAsync(Db, clock))
        {
            var device = await first.ConnectDeviceAsync("desk-1");
            await first.SendLiveAsync(device, hunch[..(4 * 60)]);
            Assert.Empty(first.PromptsSent);
        }

        await using var second = await ServerHarness.StartAsync(Db, clock);
        var again = await second.ConnectDeviceAsync("desk-1");
        await second.SendLiveAsync(again, hunch[(4 * 60)..]);

        var command = await SingleCommandAsync(again);
        Assert.Equal("hunch", command.Reason);
        var prompt = Assert.Single(await second.Server.Store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0, T0 + 3_600_000, Ct));
        Assert.Equal(T0, prompt.EpisodeStartTs);
    }

    [Fact]
    public async Task A_restarted_server_does_not_prompt_again_for_episodes_already_prompted()
    {
        var clock = new FakeTimeProvider(TestFrames.Morning);
        // Hunched and still: a hunch prompt at 5 min, a sitting prompt at 30 min.
        var day = TestFrames.Run(T0, 55 * 60, pitch: 30);
        await using (var first = await ServerHarness.StartAsync(Db, clock))
        {
            var device = await first.ConnectDeviceAsync("desk-1");
            await first.SendLiveAsync(device, day[..(45 * 60)]);
            await Eventually.TrueAsync(() => device.Commands.Count == 2, "a hunch and a sitting prompt");
            Assert.Equal(["hunch", "sitting"], device.Commands.Select(c => c.Reason));
        }

        await using var second = await ServerHarness.StartAsync(Db, clock);
        var again = await second.ConnectDeviceAsync("desk-1");
        // Both episodes go on; the cooldowns are over, and the warm-up window (40 min) no longer
        // reaches back to where either began.
        await second.SendLiveAsync(again, day[(45 * 60)..]);
        await Task.Delay(300, Ct);

        Assert.Empty(again.Commands);
        Assert.Empty(second.PromptsSent);
    }

    [Fact]
    public async Task No_prompt_during_quiet_hours_in_the_server_clock_zone()
    {
        // 23:00 local, inside the default 22:00-07:00 quiet hours.
        var clock = new FakeTimeProvider(TestFrames.Morning.AddHours(13));
        await using var harness = await ServerHarness.StartAsync(Db, clock);
        var device = await harness.ConnectDeviceAsync("desk-1");

        await harness.SendLiveAsync(device, TestFrames.Run(clock.GetUtcNow().ToUnixTimeMilliseconds(), 6 * 60, pitch: 30));
        await Task.Delay(300, Ct);

        Assert.Empty(device.Commands);
        Assert.Empty(harness.PromptsSent);
    }

    [Fact]
    public async Task Sitting_still_for_half_an_hour_yields_a_sitting_prompt_with_the_long_pattern()
    {
        await using var harness = await ServerHarness.StartAsync(Db);
        var device = await harness.ConnectDeviceAsync("desk-1");

        await harness.SendLiveAsync(device, TestFrames.Run(T0, 31 * 60, pitch: 5));

        var command = await SingleCommandAsync(device);
        Assert.Equal(("sitting", "long", "superman"), (command.Reason, command.Pattern, command.Exercise));
    }

    /// <summary>Waits for the first command, then a little longer to be sure no second one follows.</summary>
    static async Task<DeviceCommand> SingleCommandAsync(TestDevice device)
    {
        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "a command on " + Topics.For(DeviceId.Parse(device.DeviceId), Topics.Command));
        await Task.Delay(300, Ct);
        return Assert.Single(device.Commands);
    }
}
