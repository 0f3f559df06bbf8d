using PostureSense.FirmwareSim.Scenarios;
using PostureSense.GroundTruth;
using Activity = PostureSense.FirmwareSim.Scenarios.Activity;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>
/// The scenarios near the rules' edges (holds either side of 20°, corrections either side of 30 s,
/// walks either side of 2 min, leaning back and reaching down, a hunch inside a cooldown): each is
/// what its name says, and its file expects what the reference rules find in the wearer's truth.
/// </summary>
public class HardCaseScenarioTests
{
    static readonly DateTime NineAm = new(2026, 1, 5, 9, 0, 0);

    static (Scenario Scenario, TruthSecond[] Truth) Load(string name)
    {
        var scenario = Scenario.Load(name);
        return (scenario, ScenarioTruth.Seconds(scenario));
    }

    /// <summary>The wearer's mean flexion over a segment, leaving out its ramp.</summary>
    static double MeanFlexion(TruthSecond[] truth, ScenarioSegment segment)
    {
        var from = (int)(segment.Start + segment.Ramp).TotalSeconds + 1;
        return truth[from..(int)segment.End.TotalSeconds].Average(s => s.FlexionDegrees);
    }

    static IEnumerable<ScenarioSegment> Labelled(Scenario scenario, string label) => scenario.Segments.Where(s => s.Label == label);

    [Fact]
    public void Holds_just_under_the_threshold_are_no_hunch_and_the_one_within_a_degree_of_it_is_dont_care()
    {
        var (scenario, truth) = Load("hold-below-threshold");
        var holds = scenario.Segments.Where(s => s.Label.StartsWith("lean-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, holds.Length);
        Assert.All(holds, h => Assert.True(h.Duration >= TimeSpan.FromMinutes(6)));
        Assert.All(holds, h => Assert.InRange(MeanFlexion(truth, h), 16, 19.9));

        Assert.Empty(ReferenceRules.Episodes(truth));
        Assert.Single(ReferenceRules.MarginalHunches(truth));
        Assert.Empty(scenario.Expected);
    }

    [Fact]
    public void Holds_just_over_the_threshold_are_prolonged_hunches_the_second_inside_the_first_ones_cooldown()
    {
        var (scenario, truth) = Load("hold-above-threshold");
        var holds = Labelled(scenario, "hunch").ToArray();
        Assert.All(holds, h => Assert.InRange(MeanFlexion(truth, h), 21.1, 24));

        var episodes = ReferenceRules.Episodes(truth);
        Assert.Equal(3, episodes.Count);
        Assert.All(episodes, e => Assert.False(e.NearThreshold));
        Assert.Equal(3, scenario.Expected.Count);
        // One prompt per 15 min: the second is found but not prompted, the third is.
        Assert.Equal([episodes[0], episodes[2]], PromptRule.Prompted(episodes, NineAm));
    }

    [Fact]
    public void Corrections_under_30_s_leave_one_hunch_and_those_of_30_s_or_more_reset_it()
    {
        var (shortOnes, shortTruth) = Load("fidget-corrections-short");
        Assert.Equal([10.0, 25.0], Labelled(shortOnes, "correction").Select(c => c.Duration.TotalSeconds));
        var hunch = Assert.Single(ReferenceRules.Episodes(shortTruth));
        var corrections = Labelled(shortOnes, "correction").ToArray();
        Assert.True(hunch.Start < corrections[0].Start.TotalSeconds && hunch.CriterionMet > corrections[1].End.TotalSeconds);
        Assert.Single(shortOnes.Expected);

        var (longOnes, longTruth) = Load("fidget-corrections-long");
        Assert.Equal([35.0, 40.0], Labelled(longOnes, "correction").Select(c => c.Duration.TotalSeconds));
        // 12 min hunched in all, but never 5 min without a reset between.
        Assert.True(Labelled(longOnes, "hunch").Sum(h => h.Duration.TotalMinutes) >= 12);
        Assert.Empty(ReferenceRules.Episodes(longTruth));
        Assert.Empty(longOnes.Expected);
    }

    [Fact]
    public void Walks_either_side_of_two_minutes_reset_sitting_or_not()
    {
        var (scenario, truth) = Load("walk-breaks-near-reset");
        Assert.Equal([110.0, 130.0, 90.0, 150.0, 180.0], scenario.Segments.Where(s => s.Activity == Activity.Walk).Select(w => w.Duration.TotalSeconds));

        var episodes = ReferenceRules.Episodes(truth);
        Assert.Equal(2, episodes.Count);
        // The 110 s walk does not reset the first, nor does it count as sitting; the 130 s walk resets.
        Assert.Equal((0, 30 * 60 + 110), (episodes[0].Start, episodes[0].CriterionMet));
        Assert.Equal(39 * 60, episodes[1].Start);
        Assert.Equal(episodes[1].Start + 30 * 60 + 90, episodes[1].CriterionMet);
        Assert.Equal(2, scenario.Expected.Count);
    }

    [Fact]
    public void Leaning_back_and_reaching_to_the_floor_from_the_chair_is_nothing()
    {
        var (scenario, truth) = Load("recline-and-reach");
        Assert.All(Labelled(scenario, "reclined"), r => Assert.True(MeanFlexion(truth, r) < -5));
        Assert.Equal(5, scenario.Segments.Count(s => s.Activity == Activity.Bend && s.PitchDeg >= 55));
        Assert.True(scenario.Duration - TimeSpan.FromMinutes(3) < TimeSpan.FromMinutes(30), "short of prolonged sitting");

        Assert.Empty(ReferenceRules.Episodes(truth));
        Assert.Empty(ReferenceRules.MarginalHunches(truth));
        Assert.Empty(scenario.Expected);
    }

    [Fact]
    public void A_second_hunch_inside_the_cooldown_is_an_episode_without_a_prompt()
    {
        var (scenario, truth) = Load("hunch-again-in-cooldown");
        var episodes = ReferenceRules.Episodes(truth);
        Assert.Equal(2, episodes.Count);
        Assert.True(episodes[1].CriterionMet - episodes[0].CriterionMet < 15 * 60);
        // Over before the cooldown ends, so no policy would prompt it later either.
        Assert.True(episodes[1].End < episodes[0].CriterionMet + 15 * 60);
        Assert.Equal([episodes[0]], PromptRule.Prompted(episodes, NineAm));
        Assert.Equal(2, scenario.Expected.Count);
    }
}
