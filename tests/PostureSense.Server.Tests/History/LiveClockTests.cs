using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Core.Time;

namespace PostureSense.Server.Tests.History;

/// <summary>
/// What the wearer sees of a device whose clock is wrong (a Pi has no real-time clock): the Now
/// view, the device's last sync and the answer to a prompt are on the server's clock, corrected
/// by the offset learned from the device's batches. The fake clock is the server's; the frames
/// and acks carry the device's time.
/// </summary>
public sealed class LiveClockTests : IDisposable
{
    readonly TempDirectory _dir = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    const long TenMinutes = 600_000;
    static readonly long Tolerance = (long)DeviceClockOffset.Tolerance.TotalMilliseconds;

    public void Dispose() => _dir.Dispose();

    /// <summary>A server whose clock reads <paramref name="behindMs"/> past the device's first frame at <see cref="T0"/>.</summary>
    Task<ServerHarness> StartAsync(long behindMs) =>
        ServerHarness.StartAsync(_dir.File("live-clock.db"), new FakeTimeProvider(TestFrames.Morning.AddMilliseconds(behindMs)));

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

    static async Task<JsonElement> NowAsync(ServerHarness harness) =>
        await harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/now", Ct);

    [Theory]
    [InlineData(TenMinutes)]
    [InlineData(-TenMinutes)]
    public async Task A_worn_device_on_a_clock_ten_minutes_off_shows_what_the_wearer_is_doing_now(long behindMs)
    {
        await using var harness = await StartAsync(behindMs);
        var device = await harness.ConnectDeviceAsync("desk-1");
        await SendLiveAsync(harness, device, TestFrames.Run(T0, 6 * 60, pitch: 30), behindMs);

        var now = await NowAsync(harness);
        var live = now.GetProperty("live");
        var ours = harness.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal("hunching", live.GetProperty("state").GetString());
        Assert.True(live.GetProperty("hunchProlonged").GetBoolean());
        Assert.Equal(6, live.GetProperty("sittingMinutes").GetDouble());
        // The hunch began when the server's clock read T0 + behind, and the times say so.
        Assert.InRange(live.GetProperty("hunchSinceTs").GetInt64(), T0 + behindMs, T0 + behindMs + Tolerance);
        Assert.InRange(live.GetProperty("latest").GetProperty("ts").GetInt64(), ours - Tolerance, ours);
        Assert.InRange(live.GetProperty("clockOffsetMs").GetInt64(), behindMs, behindMs + Tolerance);
        var shown = now.GetProperty("device");
        Assert.True(shown.GetProperty("online").GetBoolean());
        Assert.InRange(shown.GetProperty("lastFrameTs").GetInt64(), ours - Tolerance, ours);

        // Taken off: three minutes later there is nothing now, whichever way the clock is off.
        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        var later = await NowAsync(harness);
        Assert.Equal("no-data", later.GetProperty("live").GetProperty("state").GetString());
        Assert.False(later.GetProperty("device").GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task A_slow_devices_backlog_replayed_twenty_minutes_late_is_not_shown_as_now()
    {
        await using var harness = await StartAsync(TenMinutes);
        var device = await harness.ConnectDeviceAsync("desk-1");
        await SendLiveAsync(harness, device, TestFrames.Run(T0, 3 * 60, pitch: 2), TenMinutes);

        // Offline for the 20 min it was hunched; its outbox replays them all at once, 20 min after
        // the last (within the hour after which an idle device's offset is forgotten).
        var offline = TestFrames.Run(T0 + 3 * 60_000, 20 * 60, pitch: 30);
        harness.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(offline[^1].Ts + TenMinutes + 20 * 60_000));
        await harness.SendAsync(device, offline);

        var live = (await NowAsync(harness)).GetProperty("live");
        Assert.Equal("no-data", live.GetProperty("state").GetString());
        // The frames are 20 min old, not taken for a clock 30 min slow.
        Assert.InRange(live.GetProperty("clockOffsetMs").GetInt64(), TenMinutes, TenMinutes + Tolerance);
    }

    [Fact]
    public async Task A_slow_devices_answer_to_a_prompt_sits_beside_the_prompt_on_its_day()
    {
        await using var harness = await StartAsync(TenMinutes);
        var device = await harness.ConnectDeviceAsync("desk-1");
        await SendLiveAsync(harness, device, TestFrames.Run(T0, 8 * 60, pitch: 30), TenMinutes);
        await Eventually.TrueAsync(() => !device.Commands.IsEmpty, "a hunch prompt");
        var prompt = Assert.Single(device.Commands);

        // The wearer does the stretch a minute later; the device stamps its answer on its own clock.
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var answeredAt = harness.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var ackBytes = WireFormat.Serialize(new CommandAck(ContractLimits.Version, prompt.Id, CommandAck.Statuses.Done, answeredAt - TenMinutes));
        await device.PublishAsync(Topics.Ack, ackBytes);
        await Eventually.TrueAsync(() => !harness.AcksReceived.IsEmpty, "the ack to be stored");

        var day = await harness.Http.GetFromJsonAsync<JsonElement>("/api/devices/desk-1/today", Ct);
        var shownPrompt = Assert.Single(day.GetProperty("prompts").EnumerateArray());
        Assert.Equal("done", shownPrompt.GetProperty("outcome").GetString());
        var ack = Assert.Single(day.GetProperty("acks").EnumerateArray()).GetProperty("ts").GetInt64();
        // When it was said, on the server's clock: after its prompt, not minutes before it.
        Assert.InRange(ack, answeredAt, answeredAt + Tolerance);
        Assert.True(ack > shownPrompt.GetProperty("ts").GetInt64(), "the answer comes after its prompt");
    }

    [Fact]
    public async Task A_slow_devices_batch_redelivered_after_its_clock_was_put_right_is_stored_once()
    {
        await using var harness = await StartAsync(TenMinutes);
        var device = await harness.ConnectDeviceAsync("desk-1");
        var slow = TestFrames.Run(T0, 3 * 60, pitch: 2);
        await SendLiveAsync(harness, device, slow, TenMinutes);
        // Network time puts the clock right; the server's offset for it falls to nothing.
        await SendLiveAsync(harness, device, TestFrames.Run(T0 + TenMinutes + 3 * 60_000, 2 * 60, pitch: 2), 0);
        Assert.InRange((await NowAsync(harness)).GetProperty("live").GetProperty("clockOffsetMs").GetInt64(), 0, Tolerance);

        // The broker hands the last slow batch over again (its acknowledgement was lost).
        var before = harness.Server.Stats.Processed;
        await device.PublishAsync(Topics.Telemetry, TestFrames.Batch(3, slow.GetRange(2 * 60, 60)));
        await harness.WaitForProcessedAsync(before + 1);

        var id = DeviceId.Parse("desk-1");
        var stored = await harness.Server.Store.ReadFramesAsync(id, T0 - 3_600_000, T0 + 3_600_000, Ct);
        Assert.Equal(5 * 60, stored.Count);
        // Stored where the device put them, not moved by an offset that has changed since.
        Assert.Equal(3 * 60, stored.Count(f => f.Ts < T0 + 3 * 60_000));
    }
}
