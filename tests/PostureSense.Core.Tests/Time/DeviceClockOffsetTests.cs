using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Time;

namespace PostureSense.Core.Tests.Time;

/// <summary>A device's clock skew, as learned from when its batches arrive on our clock.</summary>
public class DeviceClockOffsetTests
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Frames.Start));
    readonly DeviceClockOffset _offset = new();

    long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Live batches every 5 s for <paramref name="seconds"/>, from a device whose clock is <paramref name="skewMs"/> behind ours.</summary>
    void Live(int seconds, long skewMs, long latencyMs = 1500)
    {
        for (var t = 0; t < seconds; t += 5)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            _offset.Observe(_clock.GetUtcNow(), Now - skewMs - latencyMs);
        }
    }

    [Fact]
    public void A_device_on_time_has_no_offset_whatever_its_latency()
    {
        Live(60, skewMs: 0, latencyMs: 4000);
        Assert.Equal(0, _offset.OffsetMs);
        Assert.Equal(Frames.Start, _offset.ToOurTime(Frames.Start));
    }

    [Fact]
    public void A_device_ten_minutes_slow_is_learned_after_half_a_minute_of_live_batches()
    {
        Live(10, skewMs: 600_000);
        Assert.Equal(0, _offset.OffsetMs);

        Live(30, skewMs: 600_000);
        Assert.InRange(_offset.OffsetMs, 600_000, 600_000 + 2000);
    }

    [Fact]
    public void A_device_ten_minutes_fast_is_learned_from_its_first_batch()
    {
        Live(5, skewMs: -600_000);
        Assert.InRange(_offset.OffsetMs, -600_000, -600_000 + 2000);
    }

    [Fact]
    public void A_backlog_from_the_outbox_is_not_taken_for_skew()
    {
        Live(60, skewMs: 0);
        // An hour offline, then the outbox replays 60-frame batches ten a second, oldest first.
        _clock.Advance(TimeSpan.FromHours(1));
        for (var age = 3600; age > 0; age -= 60)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            _offset.Observe(_clock.GetUtcNow(), Now - age * 1000L);
        }
        Assert.Equal(0, _offset.OffsetMs);
    }

    [Fact]
    public void A_backlog_from_a_slow_device_leaves_its_offset_as_it_was()
    {
        Live(60, skewMs: 600_000);
        var learned = _offset.OffsetMs;
        _clock.Advance(TimeSpan.FromHours(1));
        for (var age = 3600; age > 0; age -= 60)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _offset.Observe(_clock.GetUtcNow(), Now - 600_000 - age * 1000L);
        }
        Assert.Equal(learned, _offset.OffsetMs);
    }

    [Fact]
    public void A_clock_stepped_forward_by_network_time_is_followed_at_once()
    {
        Live(60, skewMs: 600_000);
        Live(5, skewMs: 0);
        Assert.Equal(0, _offset.OffsetMs);
    }

    [Fact]
    public void A_clock_stepped_back_is_followed_once_it_holds()
    {
        Live(60, skewMs: -600_000);
        Live(10, skewMs: 0);
        // Until then its frames look old (no prompt), never newer than they are.
        Assert.True(_offset.OffsetMs < 0);

        Live(30, skewMs: 0);
        Assert.Equal(0, _offset.OffsetMs);
    }

    [Fact]
    public void One_late_batch_among_live_ones_changes_nothing()
    {
        Live(60, skewMs: 0);
        _clock.Advance(TimeSpan.FromSeconds(5));
        _offset.Observe(_clock.GetUtcNow(), Now - 300_000);
        Live(60, skewMs: 0);
        Assert.Equal(0, _offset.OffsetMs);
    }
}
