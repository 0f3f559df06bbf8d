using PostureSense.Agent.Processing;
using PostureSense.Agent.Exercises;

namespace PostureSense.Agent.Tests.Exercises;

/// <summary>A watched stretch from prompt to result: getting into position, counting there, finishing.</summary>
public class StretchSessionTests
{
    const int Hz = 50;
    static readonly long T0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).UtcTicks;
    static readonly StretchWatchSettings Settings = new();

    static StretchResult? Feed(StretchSession session, double fromSeconds, double seconds, Func<double, (double Pitch, double Roll)> pose)
    {
        for (var i = 0; i < seconds * Hz; i++)
        {
            var t = fromSeconds + i / (double)Hz;
            var (pitch, roll) = pose(t);
            if (session.Observe(new TrunkSample(T0 + (long)(t * TimeSpan.TicksPerSecond), pitch, roll)) is { } result) return result;
        }
        return null;
    }

    static StretchSession CatCow() => new("c-1", "cat-cow", T0, Hz, Settings);

    [Fact]
    public void A_wearer_who_never_gets_down_times_out_after_five_minutes_not_done()
    {
        var session = CatCow();
        Assert.Null(Feed(session, 0, 299, _ => (4, 0)));
        var result = Feed(session, 299, 2, _ => (4, 0));

        Assert.NotNull(result);
        Assert.True(result.TimedOut);
        Assert.False(result.Done);
        Assert.Equal(0, result.Count.Reps);
    }

    [Fact]
    public void The_stretch_ends_three_seconds_after_the_wearer_gets_up_with_what_was_counted()
    {
        var session = CatCow();
        Assert.Null(Feed(session, 0, 20, _ => (4, 0)));                                            // still sitting
        Assert.Null(WearerTrace.Feed(session, 20, 7, t => WearerTrace.GettingDown(t, 20)));         // kneeling, hands down, settled
        Assert.Null(Feed(session, 27, 36, t => (86 - 15 * Math.Sin(2 * Math.PI * (t - 27) / 6), 0))); // 6 cycles
        Assert.Null(Feed(session, 63, 2.9, _ => (4, 0)));                                          // up, not yet 3 s
        var result = Feed(session, 65.9, 0.2, _ => (4, 0));

        Assert.NotNull(result);
        Assert.False(result.TimedOut);
        Assert.True(result.Done);
        Assert.Equal(6, result.Count.Reps);
        Assert.Equal(("c-1", "cat-cow"), (result.CommandId, result.ExerciseId));
    }

    [Fact]
    public void Lying_there_doing_nothing_ends_after_ten_minutes_not_done()
    {
        var session = new StretchSession("c-2", "superman", T0, Hz, Settings);
        Assert.Null(WearerTrace.Feed(session, 0, 8, t => WearerTrace.GettingDown(t, 0, level: 90)));
        var result = Feed(session, 8, 11 * 60, _ => (90, 0));
        Assert.NotNull(result);
        Assert.False(result.Done);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public void Passing_through_horizontal_for_less_than_a_second_is_not_being_in_position()
    {
        var session = CatCow();
        Assert.Null(Feed(session, 0, 0.5, _ => (80, 0)));
        Assert.Null(Feed(session, 0.5, 120, _ => (4, 0))); // back up: still waiting, not finished
    }

    [Theory]
    [InlineData("cat-cow", true)]
    [InlineData("thread-the-needle", true)]
    [InlineData("superman", true)]
    [InlineData("dumbbell-row", false)]
    [InlineData("band-seated-row", false)]
    [InlineData(null, false)]
    public void Only_the_floor_stretches_are_counted(string? exercise, bool counted) =>
        Assert.Equal(counted, StretchWatch.CanCount(exercise));
}
