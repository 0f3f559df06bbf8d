using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Eval.Reporting;
using PostureSense.Eval.Scoring;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Tests;

/// <summary>
/// The library's totals held to the goals: a change anywhere from the simulated sensor to the
/// coaching policy that makes detection or stretch counting worse fails here.
/// </summary>
[Collection(LibraryCollection.Name)]
public class LibraryGoalTests(LibraryFixture library, ITestOutputHelper output)
{
    static readonly Goals Goals = Goals.Default;
    LibraryScore Score => library.Score;

    [Fact]
    public void The_library_is_big_and_varied_enough_to_trust()
    {
        output.WriteLine(EvalReport.Render(Score, Goals, library.Elapsed));
        Assert.True(library.Scenarios.Count >= 30, $"{library.Scenarios.Count} scenarios");
        Assert.True(library.Scenarios.Count(s => s.Duration >= TimeSpan.FromHours(8)) >= 3, "full workdays");
        var activities = library.Scenarios.SelectMany(s => s.Segments).Select(s => s.Activity).ToHashSet();
        Assert.Equal(Activities.All.ToHashSet(), activities);
        foreach (var exercise in new[] { "cat-cow", "thread-the-needle", "superman" })
        foreach (var quality in new[] { StretchQuality.Well, StretchQuality.Partly, StretchQuality.None })
            Assert.True(library.Scenarios.SelectMany(s => s.Stretches).Any(s => s.ExerciseId == exercise && s.Plan.Quality == quality),
                $"no {exercise} done {quality}");
        Assert.Contains(library.Scenarios.SelectMany(s => s.Stretches), s => s.Plan.Quality == StretchQuality.Ignored);
        Assert.True(Score.Totals(PromptReason.Hunch).Expected >= 30 && Score.Totals(PromptReason.Sitting).Expected >= 25);
    }

    [Theory]
    [InlineData(PromptReason.Hunch)]
    [InlineData(PromptReason.Sitting)]
    public void Prolonged_episodes_are_found_with_the_goals_recall_and_precision(PromptReason kind)
    {
        var totals = Score.Totals(kind);
        Assert.True(totals.Recall >= Goals.MinRecall, $"{kind} recall {totals.Recall:0.000}: {Missed(kind)}");
        Assert.True(totals.Precision >= Goals.MinPrecision, $"{kind} precision {totals.Precision:0.000}");
    }

    [Fact]
    public void Every_true_episode_is_prompted_within_a_batch_period_and_a_second_of_its_criterion_unless_inside_a_cooldown()
    {
        Assert.Equal(0, Score.Unprompted);
        // Held back only where the library has a second episode inside a cooldown; every other one is prompted in time.
        Assert.InRange(Score.HeldBack, 1, Score.Scenarios.Sum(s => s.Hunch.Expected - s.Hunch.PromptsDue + s.Sitting.Expected - s.Sitting.PromptsDue));
        Assert.Equal(Score.Totals(PromptReason.Hunch).Matched + Score.Totals(PromptReason.Sitting).Matched - Score.HeldBack, Score.Delays.Count);
        Assert.Equal(Score.PromptsDue, Score.Delays.Count);
        Assert.True(Score.MaxDelay <= Goals.MaxPromptDelay, $"max delay {Score.MaxDelay.TotalSeconds} s, median {Score.MedianDelay.TotalSeconds} s");
    }

    [Fact]
    public void The_device_re_zeroes_only_where_the_strap_slipped_and_takes_out_most_of_the_slip()
    {
        // Walks at 1-8°, stairs at 14-16° and a 14 min dog walk must not pass for a slipped board.
        var rezeroed = Score.Scenarios.Where(s => s.Outcome.StrapVerdicts.Any(v => !v.Verdict.Learnt)).Select(s => s.Name).ToArray();
        var slipped = Score.Scenarios.Where(s => !s.Outcome.Scenario.Sensor.Strap.IsNone).ToArray();
        Assert.Equal(slipped.Select(s => s.Name).Order(StringComparer.Ordinal), rezeroed.Order(StringComparer.Ordinal));
        Assert.NotEmpty(slipped);
        foreach (var s in slipped)
        {
            var slip = s.Outcome.Scenario.Sensor.Strap.At(s.Outcome.Scenario.Duration).PitchDeg;
            var left = Math.Abs(slip - s.Outcome.StrapCorrectionDeg);
            // Corrected to within a degree, or to the bound with a new calibration asked for.
            var asked = s.Outcome.StrapVerdicts.Any(v => v.Verdict.AskRecalibration);
            Assert.True(left <= 1 || (asked && Math.Abs(s.Outcome.StrapCorrectionDeg) == Agent.Fusion.StrapSlipWatch.MaxRezeroDeg),
                $"{s.Name}: slipped {slip:0.0}°, corrected {s.Outcome.StrapCorrectionDeg:0.0}°, asked to calibrate: {asked}");
        }
        Assert.Contains("slip at end", EvalReport.Render(Score, Goals, library.Elapsed), StringComparison.Ordinal);
    }

    [Fact]
    public void Bends_walking_and_stretches_never_bring_a_prompt()
    {
        Assert.DoesNotContain(Score.FalsePrompts, p => p.During is QuietActivity.Bend or QuietActivity.Walking or QuietActivity.Stretching or QuietActivity.Lying);
    }

    [Fact]
    public void The_edge_nudge_is_quiet_while_walking_stretching_lying_down_and_bending()
    {
        var quiet = Score.Scenarios.SelectMany(s => s.QuietNudges.Select(n => $"{s.Name} at {n.At} ({n.During})")).ToArray();
        Assert.True(quiet.Length == 0, string.Join("; ", quiet));
        Assert.True(Score.Scenarios.Sum(s => s.Nudges) > 50, "the nudge still buzzes a hunched sitter");
    }

    [Fact]
    public void Cat_cow_reps_are_within_one_of_the_truth_in_nearly_every_session()
    {
        var catCow = Score.CatCow;
        Assert.True(catCow.Sessions >= 5);
        Assert.True(catCow.WithinOneShare >= Goals.MinCatCowWithinOne, $"{catCow.RepsWithinOne} of {catCow.Sessions}");
    }

    [Fact]
    public void A_floor_stretch_taken_in_a_chair_or_at_a_desk_counts_nothing()
    {
        // Rocking folded forward, a seated twist, lifting out of a fold: near horizontal, but never on the floor.
        var inChair = Score.InChair;
        Assert.Equal(["cat-cow", "superman", "thread-the-needle"], inChair.Select(s => s.ExerciseId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(inChair, s => Assert.Equal((CommandAck.Statuses.Dismissed, 0, 0), (s.Status, s.CountedReps ?? 0, s.CountedHoldsS.Count)));
        Assert.Equal(inChair.Count, Score.InChairCountedNothing);
    }

    [Fact]
    public void Thread_the_needle_holds_are_timed_within_three_seconds()
    {
        var thread = Score.Thread;
        Assert.True(thread.Sessions >= 5);
        Assert.Equal(thread.Sessions, thread.HoldsRight);
        Assert.InRange(thread.MaxHoldErrorS, 0, Goals.MaxThreadHoldError.TotalSeconds);
    }

    [Fact]
    public void Superman_lifts_are_counted_and_their_holds_timed()
    {
        var superman = Score.Superman;
        Assert.True(superman.Sessions >= 5);
        Assert.Equal(superman.Sessions, superman.RepsWithinOne);
        Assert.Equal(superman.Sessions, superman.HoldsRight);
    }

    [Fact]
    public void Each_stretch_is_acked_done_when_done_and_dismissed_when_not()
    {
        var wrong = Score.Stretches.Where(s => !s.OutcomeRight).Select(s => $"{s.ExerciseId} {s.Session.Plan.Quality} at {s.Session.PromptAt}: {s.Status}").ToArray();
        Assert.True(wrong.Length == 0, string.Join("; ", wrong));
        Assert.Contains(Score.Stretches, s => s.Status == "dismissed");
    }

    [Fact]
    public void Every_goal_is_met()
    {
        var missed = Goals.Check(Score).Where(c => c.Status != GoalStatus.Met).Select(c => $"{c.Goal}: {c.Measured}").ToArray();
        Assert.True(missed.Length == 0, string.Join("; ", missed));
    }

    string Missed(PromptReason kind) => string.Join(", ", Score.Scenarios
        .Select(s => (s.Name, Score: kind == PromptReason.Hunch ? s.Hunch : s.Sitting))
        .Where(x => x.Score.Matched < x.Score.Expected || x.Score.Matched < x.Score.Detected)
        .Select(x => $"{x.Name} {x.Score.Expected}/{x.Score.Detected}/{x.Score.Matched}"));
}
