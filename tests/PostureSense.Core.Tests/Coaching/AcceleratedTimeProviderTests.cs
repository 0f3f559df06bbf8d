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

    [Theory]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    [InlineData(1e6)]
    public void Nonsense_speeds_are_refused(double speed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AcceleratedTimeProvider(Workday, speed));
}
