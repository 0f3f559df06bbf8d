using PostureSense.GroundTruth;
using static PostureSense.GroundTruth.Tests.Day;

namespace PostureSense.GroundTruth.Tests;

// DESIGN.md: pitch >= 20 deg for 5 min within a 6 min window; corrections under 30 s do not reset it.
public class HunchRuleTests
{
    [Fact]
    public void Five_minutes_at_25_degrees_is_met_at_five_minutes()
    {
        var day = new Day().Sit(Min(2)).Sit(Min(5), 25).Sit(Min(2));

        var hunch = Assert.Single(day.Hunches());

        Assert.Equal(new ReferenceEpisode(EpisodeKind.Hunch, Min(2), Min(7), Min(7)), hunch);
    }

    [Fact]
    public void Exactly_five_minutes_at_exactly_20_degrees_is_a_hunch_within_the_margin()
    {
        var day = new Day().Sit(Min(5), 20).Sit(Min(2));

        var hunch = Assert.Single(day.Hunches());

        Assert.Equal((0, Min(5), Min(5)), (hunch.Start, hunch.CriterionMet, hunch.End));
        Assert.True(hunch.NearThreshold);
    }

    [Fact]
    public void Four_fifty_nine_is_not_enough()
    {
        var day = new Day().Sit(Min(4, 59), 30).Sit(Min(10));

        Assert.Empty(day.Hunches());
    }

    [Fact]
    public void Just_under_20_degrees_is_no_hunch_however_long_but_is_a_marginal_one()
    {
        var day = new Day().Sit(Min(30), 19.9);

        Assert.Empty(day.Hunches());
        var marginal = Assert.Single(ReferenceRules.MarginalHunches(day.Seconds));
        Assert.Equal(Min(5), marginal.CriterionMet);
        Assert.True(marginal.NearThreshold);
    }

    [Fact]
    public void A_25_second_correction_does_not_reset_but_does_not_count()
    {
        var day = new Day().Sit(Min(3), 25).Sit(25).Sit(Min(2), 25).Sit(Min(1));

        var hunch = Assert.Single(day.Hunches());

        Assert.Equal((0, Min(5, 25), Min(5, 25)), (hunch.Start, hunch.CriterionMet, hunch.End));
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(40, true)]
    public void Corrections_either_side_of_30_seconds(int correctionSeconds, bool resets)
    {
        // 3 min hunched, the correction, 2.5 min hunched: 5 min of hunching only if the count carries on.
        var day = new Day().Sit(Min(3), 27).Sit(correctionSeconds, 3).Sit(Min(2, 30), 27).Sit(Min(1));

        var hunches = day.Hunches();

        if (resets)
            Assert.Empty(hunches);
        else
            Assert.Equal((0, Min(5) + correctionSeconds), (Assert.Single(hunches).Start, hunches[0].CriterionMet));
    }

    [Fact]
    public void A_35_second_correction_resets()
    {
        var day = new Day().Sit(Min(3), 25).Sit(35).Sit(Min(2), 25).Sit(Min(1));

        Assert.Empty(day.Hunches());
    }

    [Fact]
    public void After_a_reset_the_count_starts_again()
    {
        var day = new Day().Sit(Min(3), 25).Sit(35).Sit(Min(5), 25).Sit(Min(1));

        var hunch = Assert.Single(day.Hunches());

        Assert.Equal((Min(3, 35), Min(8, 35), Min(8, 35)), (hunch.Start, hunch.CriterionMet, hunch.End));
    }

    [Fact]
    public void Fifty_seconds_hunched_ten_up_fills_five_of_six_minutes_at_5_50()
    {
        var day = new Day();
        for (var i = 0; i < 10; i++)
            day.Sit(50, 25).Sit(10);
        day.Sit(Min(1));

        var hunch = Assert.Single(day.Hunches());

        // 6 blocks of 50 s hunched end at 5 * 60 + 50 s.
        Assert.Equal((0, Min(5, 50)), (hunch.Start, hunch.CriterionMet));
        // The short corrections keep it going until the last hunched block ends.
        Assert.Equal(Min(9, 50), hunch.End);
    }

    [Fact]
    public void Sixty_seconds_hunched_29_up_never_fills_five_of_six_minutes()
    {
        // 4 of every 6 minutes hunched for half an hour, never reset, never prolonged.
        var day = new Day();
        for (var i = 0; i < 20; i++)
            day.Sit(60, 25).Sit(29);

        Assert.Empty(day.Hunches());
    }

    [Fact]
    public void Hunched_blocks_with_short_corrections_count_only_within_the_window()
    {
        // 100 s hunched, 29 s up, 100 s, 29 s, 100 s: 300 s hunched in 358 s, inside 6 min.
        var met = new Day().Sit(100, 25).Sit(29).Sit(100, 25).Sit(29).Sit(100, 25).Sit(Min(1));
        // Up 29 s three times and 75 s blocks: the first block slides out before the fifth minute.
        var notMet = new Day().Sit(75, 25).Sit(29).Sit(75, 25).Sit(29).Sit(75, 25).Sit(29).Sit(75, 25).Sit(29).Sit(Min(1));

        Assert.Equal(358, Assert.Single(met.Hunches()).CriterionMet);
        Assert.Empty(notMet.Hunches());
    }

    [Fact]
    public void Standing_hunched_is_a_hunch_too()
    {
        var day = new Day().Stand(Min(6), 25).Stand(Min(1));

        Assert.Equal(Min(5), Assert.Single(day.Hunches()).CriterionMet);
    }

    [Fact]
    public void Lying_and_floor_stretches_are_never_hunches_whatever_the_angle()
    {
        var day = new Day().Lie(Min(20), 90).Floor(Min(10), 80).Floor(Min(10), 25);

        Assert.Empty(day.Hunches());
        Assert.Empty(ReferenceRules.MarginalHunches(day.Seconds));
    }

    [Fact]
    public void Walking_bent_forward_is_no_hunch_and_a_30_second_walk_resets_one()
    {
        var walkingBent = new Day().Walk(Min(10), 25);
        var interrupted = new Day().Sit(Min(3), 25).Walk(30, 25).Sit(Min(3), 25);

        Assert.Empty(walkingBent.Hunches());
        Assert.Empty(interrupted.Hunches());
    }

    [Fact]
    public void A_hunch_clearly_past_the_margin_is_not_near_the_threshold()
    {
        Assert.True(Assert.Single(new Day().Sit(Min(10), 20.9).Hunches()).NearThreshold);
        Assert.True(Assert.Single(new Day().Sit(Min(10), 21).Hunches()).NearThreshold);
        Assert.False(Assert.Single(new Day().Sit(Min(10), 21.1).Hunches()).NearThreshold);
    }

    [Fact]
    public void A_hunch_that_goes_clearly_past_the_margin_for_five_minutes_is_not_near_the_threshold()
    {
        // Met at 20.5 deg, then held at 24 deg: 1 deg less would still be a hunch.
        var day = new Day().Sit(Min(5), 20.5).Sit(Min(5), 24).Sit(Min(1));

        var hunch = Assert.Single(day.Hunches());

        Assert.Equal(Min(5), hunch.CriterionMet);
        Assert.False(hunch.NearThreshold);
    }

    [Fact]
    public void Marginal_hunches_start_at_19_degrees_and_exclude_real_ones()
    {
        Assert.Single(ReferenceRules.MarginalHunches(new Day().Sit(Min(10), 19).Seconds));
        Assert.Empty(ReferenceRules.MarginalHunches(new Day().Sit(Min(10), 18.9).Seconds));
        Assert.Empty(ReferenceRules.MarginalHunches(new Day().Sit(Min(10), 20).Seconds));
    }

    [Theory]
    [InlineData(19.0, Activity.Sitting, true)]
    [InlineData(21.0, Activity.Standing, true)]
    [InlineData(18.9, Activity.Sitting, false)]
    [InlineData(21.1, Activity.Sitting, false)]
    [InlineData(20.0, Activity.Lying, false)]
    public void A_second_is_near_the_threshold_within_one_degree_of_it(double flexion, Activity activity, bool near)
    {
        Assert.Equal(near, ReferenceRules.IsNearThreshold(new TruthSecond(flexion, activity)));
    }

    [Fact]
    public void Every_threshold_is_a_setting()
    {
        var rules = new RuleSettings { HunchThresholdDegrees = 30, HunchHoldSeconds = 60, HunchWindowSeconds = 90, CorrectionResetSeconds = 10 };
        var day = new Day().Sit(40, 31).Sit(9).Sit(20, 31).Sit(Min(1));

        var hunch = Assert.Single(ReferenceRules.Hunches(day.Seconds, rules));

        Assert.Equal(69, hunch.CriterionMet);
        Assert.Empty(ReferenceRules.Hunches(new Day().Sit(40, 31).Sit(10).Sit(20, 31).Seconds, rules));
    }
}
