using PostureSense.Core.Exercises;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.GroundTruth;
using TruthActivity = PostureSense.GroundTruth.Activity;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>
/// Each scenario file's expected episodes against the reference rules applied to the wearer's true
/// flexion and activity, second by second: a ground truth that no detector had a hand in.
/// </summary>
public class ReferenceTruthTests
{
    /// <summary>
    /// The files were written from PostureMonitor on ideal frames, whose sitting bout begins when the
    /// frames stop showing walking, up to 4 s after the walk truly ends, and whose count can pause
    /// for a second or two in a fidget. Any more is a different reading of the rules.
    /// </summary>
    static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Files whose expected episodes the reference does not find. Each is a question for the rules in
    /// DESIGN.md, not a slip in the file or the reference: neither is bent to fit the other.
    /// </summary>
    static readonly Dictionary<string, string> Disagreements = new()
    {
        ["bends-while-hunched"] = "the reference counts the bends (88° forward) inside the hunch as hunched seconds and meets it at 0:08:07; the file leaves them out and meets it 31 s later",
        ["floor-stretch-break"] = "DESIGN.md resets sitting only by 2 min of walking: the reference counts 26 min sitting + 3.5 min of floor stretches as no walking (a sitting episode met at 0:30:00); the file counts floor time as a break",
        ["lying-down"] = "DESIGN.md's sitting is 'no walking for 30 min': the reference counts 48 min lying on the sofa as such (met at 0:30:00); the file counts lying as neither",
        ["workday-active"] = "the sitting bout after a walk and a 60 s Superman starts at 3:49:52 in the reference (the floor stretch is no walking) and 63 s later in the file",
        ["workday-remote"] = "the reference's sitting episode from 2:02:20 runs through 33 min lying on the sofa (no walking) to 4:46:33, where the file restarts the count after the sofa and expects a second episode at 3:32:45->4:04:10 (the 85 s on the stairs and walking in it add nothing); and the episode from 4:49:33 is met at 5:19:33 in the reference, while the file pauses the count for an 18 s bend (88° forward) and meets it at 5:19:51",
    };

    public static TheoryData<string> Shipped => new(Scenario.ShippedNames);

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Expected_episodes_are_what_the_reference_rules_find_in_the_wearers_truth(string name)
    {
        var scenario = Scenario.Load(name);
        var truth = ScenarioTruth.Seconds(scenario);
        var problems = Compare(scenario.Expected, ReferenceRules.Episodes(truth), ReferenceRules.MarginalHunches(truth));

        if (Disagreements.TryGetValue(name, out var reason))
            Assert.True(problems.Count > 0, $"{name} now agrees with the reference; take it off the list ({reason})");
        else
            Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
    }

    [Fact]
    public void The_listed_disagreements_are_shipped_scenarios()
    {
        Assert.Subset(Scenario.ShippedNames.ToHashSet(), Disagreements.Keys.ToHashSet());
    }

    [Fact]
    public void A_bend_is_judged_like_the_posture_it_interrupts_and_the_floor_is_no_walk()
    {
        Assert.Equal(TruthActivity.Standing, ScenarioTruth.Map(Scenarios.Activity.Bend));
        Assert.Equal(TruthActivity.Walking, ScenarioTruth.Map(Scenarios.Activity.Stairs));
        Assert.Equal(TruthActivity.Floor, ScenarioTruth.Map(Scenarios.Activity.Superman));
        Assert.All(Scenarios.Activities.All, a => ScenarioTruth.Map(a));
    }

    /// <summary>
    /// What keeps the file from agreeing: a reference episode (not near the threshold) the file
    /// lacks, or a file episode that matches no reference episode, near-threshold or marginal ones
    /// included (those are "don't care": the file may list them or not).
    /// </summary>
    static List<string> Compare(IReadOnlyList<ExpectedEpisode> expected, IReadOnlyList<ReferenceEpisode> reference, IReadOnlyList<ReferenceEpisode> marginal)
    {
        var problems = new List<string>();
        var unmatched = expected.ToList();
        foreach (var episode in reference.Concat(marginal))
        {
            var match = unmatched.FirstOrDefault(e => Matches(e, episode));
            if (match is not null)
                unmatched.Remove(match);
            else if (!episode.NearThreshold)
                problems.Add($"the reference finds {episode.Kind} {At(episode.Start)}->{At(episode.CriterionMet)}, the file does not");
        }
        problems.AddRange(unmatched.Select(e => $"the file expects {e.Kind} {e.Start:h\\:mm\\:ss}->{e.CriterionMet:h\\:mm\\:ss}, the reference does not find it"));
        return problems;
    }

    static bool Matches(ExpectedEpisode file, ReferenceEpisode reference) =>
        file.Kind == (reference.Kind == EpisodeKind.Hunch ? PromptReason.Hunch : PromptReason.Sitting)
        && (file.Start - TimeSpan.FromSeconds(reference.Start)).Duration() <= Tolerance
        && (file.CriterionMet - TimeSpan.FromSeconds(reference.CriterionMet)).Duration() <= Tolerance;

    static string At(int second) => $"{TimeSpan.FromSeconds(second):h\\:mm\\:ss}";
}
