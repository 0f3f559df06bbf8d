using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Time;

namespace PostureSense.Core.Tests.Coaching;

public class AcceleratedTimeProviderTests
{
    static readonly DateTimeOffset Workday = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sixty_times_faster_turns_a_second_into_a_minute_from_the_chosen_start()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 30, 0, TimeSpan.Zero));
        var demo = new AcceleratedTimeProvider(Workday, 60, real);

        Assert.Equal(Workday, demo.GetUtcNow());
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Workday.AddMinutes(1), demo.GetUtcNow());
        var before = demo.GetTimestamp();
        real.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromMinutes(2), demo.GetElapsedTime(before));
    }

    [Fact]
    public async Task Delays_shrink_by_the_same_factor()
    {
        var real = new FakeTimeProvider(Workday);
        var demo = new AcceleratedTimeProvider(Workday, 60, real);

        var delay = Task.Delay(TimeSpan.FromMinutes(5), demo);
        real.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(delay.IsCompleted);
        real.Advance(TimeSpan.FromSeconds(0.1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
        Assert.Equal(Workday.AddMinutes(5), demo.GetUtcNow());
    }

    [Fact]
    public void A_short_period_at_a_high_speed_keeps_ticking_on_a_clock_that_counts_milliseconds()
    {
        // The system timer counts whole milliseconds: 250 ms at 300x (0.83 ms) must not become 0, "once".
        var real = new FakeTimeProvider(Workday);
        var demo = new AcceleratedTimeProvider(Workday, 300, real);
        var ticks = 0;

        using var timer = demo.CreateTimer(_ => ticks++, null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        real.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(10, ticks);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    [InlineData(1e6)]
    public void Nonsense_speeds_are_refused(double speed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AcceleratedTimeProvider(Workday, speed));
}
