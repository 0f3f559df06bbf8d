using PostureSense.GroundTruth;
using static PostureSense.GroundTruth.Tests.Day;

namespace PostureSense.GroundTruth.Tests;

// DESIGN.md: no walking for 30 min; a reset takes at least 2 min of walking.
public class SittingRuleTests
{
    [Fact]
    public void Thirty_minutes_sitting_is_met_at_thirty_minutes()
    {
        var day = new Day().Walk(Min(3)).Sit(Min(30)).Walk(Min(3));

        Assert.Equal(new ReferenceEpisode(EpisodeKind.Sitting, Min(3), Min(33), Min(33)), Assert.Single(day.Sittings()));
    }

    [Fact]
    public void Twenty_nine_fifty_nine_is_not_enough()
    {
        Assert.Empty(new Day().Sit(Min(29, 59)).Walk(Min(3)).Sittings());
    }

    [Fact]
    public void Twenty_nine_minutes_and_a_two_minute_walk_is_no_episode()
    {
        var day = new Day().Sit(Min(29)).Walk(Min(2)).Sit(Min(29)).Walk(Min(2));

        Assert.Empty(day.Sittings());
    }

    [Fact]
    public void A_walk_of_1_50_does_not_reset_but_its_seconds_do_not_count()
    {
        var day = new Day().Sit(Min(20)).Walk(Min(1, 50)).Sit(Min(10)).Walk(Min(2));

        var sitting = Assert.Single(day.Sittings());

        Assert.Equal((0, Min(31, 50), Min(31, 50)), (sitting.Start, sitting.CriterionMet, sitting.End));
    }

    [Theory]
    [InlineData(90, false)]
    [InlineData(110, false)]
    [InlineData(119, false)]
    [InlineData(120, true)]
    [InlineData(130, true)]
    [InlineData(150, true)]
    public void Walks_either_side_of_two_minutes(int walkSeconds, bool resets)
    {
        // 20 min, the walk, 12 min: one episode met 30 min of sitting in, or none after a reset.
        var day = new Day().Sit(Min(20)).Walk(walkSeconds).Sit(Min(12)).Walk(Min(3));

        var sittings = day.Sittings();

        if (resets)
            Assert.Empty(sittings);
        else
            Assert.Equal((0, Min(30) + walkSeconds), (Assert.Single(sittings).Start, sittings[0].CriterionMet));
    }

    [Fact]
    public void A_walk_of_exactly_two_minutes_resets()
    {
        var day = new Day().Sit(Min(20)).Walk(Min(2)).Sit(Min(29)).Walk(Min(2));

        Assert.Empty(day.Sittings());
    }

    [Fact]
    public void Two_hours_without_a_break_is_one_episode_and_a_break_starts_the_next()
    {
        var day = new Day().Sit(Min(120)).Walk(Min(2)).Sit(Min(30));

        Assert.Equal(
            [
                new ReferenceEpisode(EpisodeKind.Sitting, 0, Min(30), Min(120)),
                new ReferenceEpisode(EpisodeKind.Sitting, Min(122), Min(152), Min(152)),
            ],
            day.Sittings());
    }

    [Fact]
    public void Standing_still_and_lying_are_no_walking_too()
    {
        Assert.Equal(Min(30), Assert.Single(new Day().Stand(Min(30)).Sittings()).CriterionMet);
        Assert.Equal(Min(30), Assert.Single(new Day().Sit(Min(10)).Lie(Min(20)).Sittings()).CriterionMet);
    }

    [Fact]
    public void A_floor_stretch_is_no_walk_and_resets_nothing()
    {
        var day = new Day().Sit(Min(20)).Floor(Min(5)).Sit(Min(10));

        var sitting = Assert.Single(day.Sittings());

        Assert.Equal((0, Min(30)), (sitting.Start, sitting.CriterionMet));
    }

    [Fact]
    public void Short_walks_in_a_row_of_sitting_do_not_add_up_to_a_reset()
    {
        var day = new Day();
        for (var i = 0; i < 4; i++)
            day.Sit(Min(8)).Walk(Min(1, 59));

        Assert.Equal(Min(30) + 3 * Min(1, 59), Assert.Single(day.Sittings()).CriterionMet);
    }

    [Fact]
    public void Hunches_and_sittings_come_in_the_order_their_criteria_are_met()
    {
        var day = new Day().Sit(Min(28)).Sit(Min(10), 25);

        var episodes = ReferenceRules.Episodes(day.Seconds);

        Assert.Equal([EpisodeKind.Sitting, EpisodeKind.Hunch], episodes.Select(e => e.Kind));
        Assert.Equal([Min(30), Min(33)], episodes.Select(e => e.CriterionMet));
    }
}
