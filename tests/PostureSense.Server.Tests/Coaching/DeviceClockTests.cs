using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Server.Tests.Coaching;

/// <summary>
/// Devices whose clocks are wrong (a Pi has no real-time clock) are coached like devices on time:
/// the server learns each one's offset from its live batches. The fake clock is the server's; the
/// frames carry the device's time.
/// </summary>
public sealed class DeviceClockTests : IDisposable
{
    readonly TempDirectory _dir = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    const long TenMinutes = 600_000;
    string Db => _dir.File("clock.db");

    public void Dispose() => _dir.Dispose();

    /// <summary>Frames sent as they are made, by a device whose clock is <paramref name="behindMs"/> behind the server's.</summary>
    static async Task SendLiveAsync(ServerHarness harness, TestDevice device, IReadOnlyList<PostureFrame> frames, long behindMs)
    {
        foreach (var batch in frames.Batches())
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(batch[^1].Ts + behindMs + 1000);
            if (now > harness.Clock.GetUtcNow()) harness.Clock.SetUtcNow(now);
            await harness.SendAsync(device, batch);
        }
    }

    [Theory]
    [InlineData(TenMinutes)]
    [InlineData(-TenMinutes)]
    public async Task A_hunch_on_a_clock_ten_minutes_off_is_prompted_once(long behindMs)
    {
        await using var harness = await ServerHarness.StartAsync(Db, new FakeTimeProvider(TestFrames.Morning));
        var device = await harness.ConnectDeviceAsync("desk-1");

        await SendLiveAsync(harness, device, TestFrames.Run(T0, 8 * 60, pitch: 30), behindMs);

        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "a hunch prompt");
        await Task.Delay(300, Ct);
        Assert.Equal("hunch", Assert.Single(device.Commands).Reason);
        // The history keeps the device's own time: the episode starts where its frames say.
        var prompt = Assert.Single(await harness.Server.Store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0 - 2 * TenMinutes, T0 + 3_600_000, Ct));
        Assert.Equal(T0, prompt.EpisodeStartTs);
        Assert.Equal(8 * 60, (await harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 3_600_000, Ct)).Count);
    }

    [Fact]
    public async Task A_slow_clock_stepped_right_mid_hunch_gives_one_prompt_not_two()
    {
        await using var harness = await ServerHarness.StartAsync(Db, new FakeTimeProvider(TestFrames.Morning));
        var device = await harness.ConnectDeviceAsync("desk-1");

        // Ten minutes slow for three minutes of a hunch, then network time steps it right.
        await SendLiveAsync(harness, device, TestFrames.Run(T0, 3 * 60, pitch: 30), TenMinutes);
        await SendLiveAsync(harness, device, TestFrames.Run(T0 + TenMinutes + 3 * 60_000, 10 * 60, pitch: 30), 0);

        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "a hunch prompt");
        await Task.Delay(300, Ct);
        Assert.Equal("hunch", Assert.Single(device.Commands).Reason);
    }

    [Fact]
    public async Task A_slow_devices_backlog_replayed_an_hour_late_buzzes_nobody()
    {
        await using var harness = await ServerHarness.StartAsync(Db, new FakeTimeProvider(TestFrames.Morning));
        var device = await harness.ConnectDeviceAsync("desk-1");
        await SendLiveAsync(harness, device, TestFrames.Run(T0, 2 * 60, pitch: 2), TenMinutes);

        // Offline for the hour it was hunched; its outbox replays it all at once when it is back.
        var offline = TestFrames.Run(T0 + 2 * 60_000, 60 * 60, pitch: 30);
        harness.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(offline[^1].Ts + TenMinutes + 30 * 60_000));
        await harness.SendAsync(device, offline);
        await Task.Delay(300, Ct);

        Assert.Empty(device.Commands);
        Assert.Equal(62 * 60, (await harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 2 * 3_600_000, Ct)).Count);
    }
}
