using PostureSense.GroundTruth;
using static PostureSense.GroundTruth.Tests.Day;

namespace PostureSense.GroundTruth.Tests;

// DESIGN.md: one prompt per reason per 15 min; none during quiet hours (22:00-07:00 local).
public class PromptRuleTests
{
    static readonly DateTime NineAm = new(2026, 3, 2, 9, 0, 0);

    static ReferenceEpisode Hunch(int met) => new(EpisodeKind.Hunch, met - Min(5), met, met + 10);

    static ReferenceEpisode Sitting(int met) => new(EpisodeKind.Sitting, met - Min(30), met, met + 10);

    [Fact]
    public void A_second_hunch_inside_the_cooldown_gets_no_prompt_but_one_after_it_does()
    {
        var episodes = new[] { Hunch(Min(10)), Hunch(Min(24, 59)), Hunch(Min(25)) };

        var prompted = PromptRule.Prompted(episodes, NineAm);

        Assert.Equal([Min(10), Min(25)], prompted.Select(e => e.CriterionMet));
    }

    [Fact]
    public void The_cooldown_is_per_reason()
    {
        var prompted = PromptRule.Prompted([Hunch(Min(40)), Sitting(Min(41))], NineAm);

        Assert.Equal(2, prompted.Count);
    }

    [Fact]
    public void Quiet_hours_run_from_22_00_to_07_00()
    {
        var evening = new DateTime(2026, 3, 2, 21, 0, 0);
        var episodes = new[] { Hunch(Min(59, 59)), Sitting(Min(60)), Hunch(Min(600) - 1), Sitting(Min(600)) };

        var prompted = PromptRule.Prompted(episodes, evening);

        // 21:59:59 and 07:00:00 are prompted; 22:00:00 and 06:59:59 are quiet.
        Assert.Equal([Min(59, 59), Min(600)], prompted.Select(e => e.CriterionMet));
    }
}
