using PostureSense.Core.Exercises;
using PostureSense.Eval.Reporting;
using PostureSense.Eval.Scoring;

namespace PostureSense.Eval.Tests;

/// <summary>
/// The library's detections scored against the reference rules on the wearer's true posture
/// instead of the files' expected episodes, which the detectors themselves once wrote.
/// </summary>
[Collection(LibraryCollection.Name)]
public class ReferenceTruthGoalTests(LibraryFixture library, ITestOutputHelper output)
{
    /// <summary>
    /// The files that read DESIGN.md's rules differently from the reference (FirmwareSim's
    /// ReferenceTruthTests says how); the detectors read them as the files do, so against the
    /// reference these fall short until DESIGN.md settles the question.
    /// </summary>
    static readonly HashSet<string> Disagreeing = ["bends-while-hunched", "floor-stretch-break", "lying-down", "workday-active", "workday-remote"];

    IReadOnlyList<ScenarioScore> Rescored =>
        [.. library.Score.Scenarios.Select(s => ScenarioScore.Of(s.Outcome, TruthSource.Reference))];

    [Fact]
    public void Every_scenario_whose_file_agrees_with_the_reference_meets_the_goals_against_it()
    {
        var score = new LibraryScore([.. Rescored.Where(s => !Disagreeing.Contains(s.Name))]);
        output.WriteLine(EvalReport.Render(score, Goals.Default, library.Elapsed));

        Assert.All(Goals.Default.Check(score), c => Assert.True(c.Status != GoalStatus.Missed, $"{c.Goal}: {c.Measured}"));
    }

    [Fact]
    public void Hunches_meet_the_goals_against_the_reference_in_the_whole_library()
    {
        var hunch = new LibraryScore(Rescored).Totals(PromptReason.Hunch);

        Assert.True(hunch.Recall >= Goals.Default.MinRecall && hunch.Precision >= Goals.Default.MinPrecision, $"{hunch}");
    }

    [Fact]
    public void The_disagreeing_scenarios_still_fall_short_against_the_reference()
    {
        foreach (var s in Rescored.Where(s => Disagreeing.Contains(s.Name)))
        {
            var perfect = s.Kinds.All(k => k.Matched == k.Expected && k.Detected == k.Matched
                && k.Delays.All(d => d <= Goals.Default.MaxPromptDelay)) && !s.FalsePrompts.Any();
            Assert.False(perfect, $"{s.Name} now meets the goals against the reference: take it off the list");
        }
    }
}
