using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Clock;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Clock;

namespace PostureSense.Agent.Tests.Clock;

/// <summary>Frames go to the outbox only on true time: held while the clock is not set, moved once it is.</summary>
public class FrameStamperTests
{
    static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan TenHours = TimeSpan.FromHours(10);
    readonly FakeTimeProvider _true = new(Start);

    /// <summary>A frame for each of the next <paramref name="seconds"/> seconds, stamped on <paramref name="clock"/> as an agent would.</summary>
    void Live(FrameStamper stamper, TimeProvider clock, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            var window = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000 * 1000;
            _true.Advance(TimeSpan.FromSeconds(1));
            stamper.Add(new PostureFrame(window, 20, 0, 0.01, 0));
        }
    }

    [Fact]
    public void A_synchronized_clocks_frames_go_as_they_were_stamped()
    {
        var stamper = new FrameStamper(_true, AssumedSynchronized.Instance, 1000);
        Live(stamper, _true, 5);

        var frames = stamper.TakeReady();
        Assert.Equal(5, frames.Count);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), frames[0].Ts);
        Assert.True(stamper.Synchronized);
    }

    [Fact]
    public void Frames_of_a_clock_ten_hours_behind_wait_and_go_in_the_hours_they_were_lived()
    {
        var clock = new WrongClock(_true, -TenHours, syncAfter: TimeSpan.FromSeconds(121));
        var stamper = new FrameStamper(clock, new ClockSyncFrom(() => clock.IsSynchronized), 1000);

        Live(stamper, clock, 60);
        Assert.Empty(stamper.TakeReady());
        Assert.False(stamper.Synchronized);
        Live(stamper, clock, 60);
        Assert.Empty(stamper.TakeReady());

        // Network time has set the clock; a frame made across the step is on neither side.
        Live(stamper, clock, 30);
        var frames = stamper.TakeReady();

        Assert.True(stamper.Synchronized);
        Assert.Equal(149, frames.Count);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), frames[0].Ts);
        Assert.Equal(Start.AddSeconds(149).ToUnixTimeMilliseconds(), frames[^1].Ts);
        Assert.All(frames.Zip(frames.Skip(1)), pair => Assert.True(pair.Second.Ts > pair.First.Ts));
        Assert.Equal(1, stamper.Dropped);
    }

    [Fact]
    public void A_clock_set_back_over_frames_already_sent_does_not_send_those_seconds_again()
    {
        var clock = new WrongClock(_true, TimeSpan.FromMinutes(1));
        var stamper = new FrameStamper(clock, AssumedSynchronized.Instance, 1000);
        Live(stamper, clock, 10);
        Assert.Equal(10, stamper.TakeReady().Count);

        clock.StepRight();
        Live(stamper, clock, 90);
        var frames = stamper.TakeReady();

        // Its first minute after the step repeats seconds already sent; only what is new goes.
        Assert.All(frames, f => Assert.True(f.Ts >= Start.AddMinutes(1).AddSeconds(10).ToUnixTimeMilliseconds()));
        Assert.Equal(Start.AddSeconds(99).ToUnixTimeMilliseconds(), frames[^1].Ts);
    }

    [Fact]
    public void Held_frames_keep_to_the_outboxs_size_dropping_the_oldest()
    {
        var clock = new WrongClock(_true, -TenHours, syncAfter: TimeSpan.FromMinutes(5));
        var stamper = new FrameStamper(clock, new ClockSyncFrom(() => clock.IsSynchronized), 100);
        Live(stamper, clock, 250);
        Assert.Equal(100, stamper.Held);

        clock.StepRight();
        var frames = stamper.TakeReady();
        Assert.Equal(100, frames.Count);
        Assert.Equal(Start.AddSeconds(249).ToUnixTimeMilliseconds(), frames[^1].Ts);
    }
}
