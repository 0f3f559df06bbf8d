using PostureSense.Agent.Processing;
using PostureSense.Agent.Exercises;

namespace PostureSense.Agent.Tests.Exercises;

/// <summary>The counters on made-up 50 Hz angle traces: what counts as a rep and a hold, and what does not.</summary>
public class StretchCounterTests
{
    const int Hz = 50;
    static readonly long T0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary>Samples of pitch (or roll) as a function of seconds.</summary>
    static IEnumerable<TrunkSample> Trace(double seconds, Func<double, double> pitch, Func<double, double>? roll = null) =>
        Enumerable.Range(0, (int)(seconds * Hz)).Select(i => i / (double)Hz)
            .Select(t => new TrunkSample(T0 + (long)(t * TimeSpan.TicksPerSecond), pitch(t), roll?.Invoke(t) ?? 0));

    static StretchCount Count(IStretchCounter counter, IEnumerable<TrunkSample> samples)
    {
        foreach (var s in samples) counter.Observe(s);
        return counter.Result();
    }

    /// <summary>
    /// What the counter is handed: the end of getting down onto all fours (the session hands it
    /// samples a second after the trunk passes 60° from vertical: 75° on, up to 86° over 3 s),
    /// 3 s settled, the cycles, 3 s settled, and getting up until the session lets go at 60°.
    /// </summary>
    static double CatCow(double t, int cycles, double depth, double period)
    {
        if (t < 3) return 75 + 11 * t / 3;
        var x = t - 6;
        if (x < 0) return 86;
        if (x < cycles * period) return 86 - depth * Math.Sin(2 * Math.PI * x / period);
        var after = x - cycles * period;
        return after < 3 ? 86 : 86 - 26 * Math.Min(1, (after - 3) / 2);
    }

    [Theory]
    [InlineData(12, 15, 6)]
    [InlineData(10, 15, 4)]
    [InlineData(5, 6, 7)]
    [InlineData(1, 15, 6)]
    public void Cat_cow_counts_each_cat_and_cow_as_one_rep_and_not_the_getting_down_or_up(int cycles, double depth, double period)
    {
        var seconds = 6 + cycles * period + 6;
        var count = Count(new CatCowCounter(Hz), Trace(seconds, t => CatCow(t, cycles, depth, period)));
        Assert.Equal(cycles, count.Reps);
        Assert.Null(count.HoldsS);
    }

    [Fact]
    public void Cat_cow_swings_within_the_sway_of_someone_keeping_still_are_not_reps()
    {
        var count = Count(new CatCowCounter(Hz), Trace(60, t => CatCow(t, 8, 2.5, 6)));
        Assert.Equal(0, count.Reps);
        Assert.False(count.Any);
    }

    [Fact]
    public void Cat_cow_half_a_cycle_is_no_rep()
    {
        // Only a cow, then back to neutral.
        var count = Count(new CatCowCounter(Hz), Trace(20, t => t is > 6 and < 9 ? 86 - 15 * Math.Sin(Math.PI * (t - 6) / 3) : 86));
        Assert.Equal(0, count.Reps);
    }

    /// <summary>Turns of <paramref name="range"/>° on alternate sides, 3 s in and out, holding each plateau, 4 s apart.</summary>
    static double Turns(double t, double range, params double[] holds)
    {
        var x = t - 4;
        for (var i = 0; i < holds.Length && x >= 0; i++)
        {
            var length = holds[i] + 6;
            if (x < length)
            {
                var ease = Math.Min(Smooth(x / 3), Smooth((length - x) / 3));
                return (i % 2 == 0 ? -1 : 1) * range * ease + 0.5 * Math.Sin(t);
            }
            x -= length + 4;
        }
        return 0.5 * Math.Sin(t);
    }

    static double Smooth(double x) => Math.Clamp(x, 0, 1) * Math.Clamp(x, 0, 1) * (3 - 2 * Math.Clamp(x, 0, 1));

    [Theory]
    [InlineData(50, new[] { 25.0, 22.0 })]
    [InlineData(28, new[] { 10.0 })]
    [InlineData(45, new[] { 30.0, 30.0, 20.0 })]
    public void Thread_the_needle_times_each_turn_near_its_peak(double range, double[] holds)
    {
        var seconds = 4 + holds.Sum(h => h + 10) + 2;
        var count = Count(new ThreadTheNeedleTimer(Hz, 1.0 / Hz), Trace(seconds, _ => 88, t => Turns(t, range, holds)));

        Assert.Null(count.Reps);
        Assert.Equal(holds.Length, count.HoldsS!.Count);
        Assert.All(holds.Zip(count.HoldsS), p => Assert.InRange(p.Second, p.First, p.First + 2));
    }

    [Fact]
    public void Thread_the_needle_a_glance_to_the_side_is_no_hold()
    {
        var count = Count(new ThreadTheNeedleTimer(Hz, 1.0 / Hz), Trace(40, _ => 88, t => Turns(t, 7, 10)));
        Assert.Empty(count.HoldsS!);
    }

    [Fact]
    public void Superman_counts_lifts_and_times_them_however_much_of_the_session_is_lifted()
    {
        // Lifted 4 s of every 6: the rest level is still the flat one.
        double Lifts(double t)
        {
            var x = t - 4;
            if (x < 0 || x >= 8 * 7) return 90;
            var phase = x % 7;
            return 90 - 22 * Math.Min(Smooth(phase), Smooth(6 - phase));
        }
        var count = Count(new SupermanCounter(Hz, 1.0 / Hz), Trace(4 + 56 + 3, Lifts));

        Assert.Equal(8, count.Reps);
        Assert.All(count.HoldsS!, h => Assert.InRange(h, 4, 4.8));
    }

    [Fact]
    public void Superman_getting_up_from_the_floor_is_no_lift()
    {
        // Flat, then up: a fall in pitch that never comes back.
        var count = Count(new SupermanCounter(Hz, 1.0 / Hz), Trace(20, t => t < 10 ? 90 : Math.Max(30, 90 - 20 * (t - 10))));
        Assert.Equal(0, count.Reps);
    }
}
