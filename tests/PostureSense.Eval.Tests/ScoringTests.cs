using PostureSense.Agent.Replay;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Processing;
using PostureSense.Core.Contract;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Eval.Running;
using PostureSense.Eval.Scoring;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Tests;

/// <summary>The scoring on hand-made outcomes, so that what the goals are measured by is itself right.</summary>
public class ScoringTests
{
    static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    // 0-40 min sitting (a sitting episode at 30:00), 40-43 walking, 43:00-43:20 a bend, then a Cat-Cow of 10 reps.
    static readonly Scenario Day = Scenario.Parse("""
        { "name": "t", "description": "t", "segments": [
            { "activity": "sit", "minutes": 40 },
            { "activity": "walk", "minutes": 3, "cadence": 100 },
            { "activity": "bend", "seconds": 20 },
            { "activity": "cat-cow", "seconds": 80, "reps": 10 },
            { "activity": "sit", "minutes": 5 } ],
          "expected": [ { "kind": "sitting", "start": 0, "criterionMet": "30:00" } ] }
        """);

    static long Ts(TimeSpan offset) => (Start + offset).ToUnixTimeMilliseconds();
    static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    static ScenarioOutcome Outcome(
        IReadOnlyList<PostureRun>? episodes = null, IReadOnlyList<PromptRecord>? prompts = null,
        IReadOnlyList<NudgeEvent>? nudges = null, IReadOnlyList<ReplayAck>? acks = null) =>
        new(Day, Start, 0, 0, episodes ?? [], prompts ?? [], nudges ?? [], acks ?? [], ["s-1"], 0, TimeSpan.Zero);

    static PostureRun Sitting(TimeSpan start, TimeSpan met) => new(PromptReason.Sitting, Ts(start), Ts(met), Ts(met));
    static PromptRecord Prompt(PromptReason reason, TimeSpan at, TimeSpan episodeStart) =>
        new(ScenarioRun.DeviceId, "c-1", Ts(at), reason, "superman", "long", Ts(episodeStart));

    [Fact]
    public void A_detection_near_the_truth_matches_and_its_prompt_delay_counts_from_the_true_criterion()
    {
        var met = M(30) + TimeSpan.FromSeconds(2);
        var score = EpisodeScore.Of(Outcome([Sitting(TimeSpan.Zero, met)], [Prompt(PromptReason.Sitting, met + TimeSpan.FromSeconds(3), TimeSpan.Zero)]), PromptReason.Sitting);

        Assert.Equal((1, 1, 1), (score.Expected, score.Detected, score.Matched));
        Assert.Equal([TimeSpan.FromSeconds(5)], score.Delays);
        Assert.Equal([TimeSpan.FromSeconds(3)], score.Latencies);
        Assert.Equal([TimeSpan.FromSeconds(2)], score.Offsets);
        Assert.Empty(score.FalsePrompts);
    }

    [Fact]
    public void A_detection_minutes_away_is_a_miss_and_a_false_prompt_attributed_to_what_the_wearer_was_doing()
    {
        // Met during the walk (40-43 min): a prompt there is a false one, caused while walking.
        var met = M(41);
        var score = EpisodeScore.Of(Outcome([Sitting(M(10), met)], [Prompt(PromptReason.Sitting, met + TimeSpan.FromSeconds(1), M(10))]), PromptReason.Sitting);

        Assert.Equal((1, 1, 0), (score.Expected, score.Detected, score.Matched));
        var falsePrompt = Assert.Single(score.FalsePrompts);
        Assert.Equal(QuietActivity.Walking, falsePrompt.During);
        Assert.Empty(score.Delays);
    }

    [Fact]
    public void A_true_episode_detected_but_never_prompted_is_counted()
    {
        var score = EpisodeScore.Of(Outcome([Sitting(TimeSpan.Zero, M(30))]), PromptReason.Sitting);
        Assert.Equal(1, score.Matched);
        Assert.Equal(1, score.Unprompted);
    }

    [Fact]
    public void Nudges_are_quiet_violations_only_during_walking_bends_stretches_and_lying()
    {
        NudgeEvent Nudge(TimeSpan at) => new(Start + at, 30, false);
        var score = ScenarioScore.Of(Outcome(nudges: [Nudge(M(10)), Nudge(M(41)), Nudge(M(43) + TimeSpan.FromSeconds(10)), Nudge(M(44))]));

        Assert.Equal(4, score.Nudges);
        Assert.Equal([QuietActivity.Walking, QuietActivity.Bend, QuietActivity.Stretching], score.QuietNudges.Select(n => n.During));
    }

    [Theory]
    [InlineData("done", 10, true, 0)]
    [InlineData("done", 9, true, 1)]
    [InlineData("done", 7, true, 3)]
    [InlineData("dismissed", 0, false, 10)]
    public void A_stretch_is_scored_by_the_last_ack_of_its_command(string status, int reps, bool outcomeRight, int repsError)
    {
        var acks = new[]
        {
            new ReplayAck(Start + M(43.4), new CommandAck(1, "s-1", "received", 0)),
            new ReplayAck(Start + M(45), new CommandAck(1, "s-1", status, 0, "cat-cow", reps)),
        };
        var stretch = Assert.Single(StretchScore.Of(Outcome(acks: acks)));
        Assert.Equal(10, stretch.TrueReps);
        Assert.Equal(outcomeRight, stretch.OutcomeRight);
        Assert.Equal(repsError, stretch.RepsError);
    }

    [Fact]
    public void A_stretch_the_device_never_answered_is_wrong()
    {
        var stretch = Assert.Single(StretchScore.Of(Outcome(acks: [new ReplayAck(Start + M(43.4), new CommandAck(1, "s-1", "received", 0))])));
        Assert.False(stretch.Answered);
        Assert.False(stretch.OutcomeRight);
    }

    [Fact]
    public void Holds_are_right_only_when_as_many_are_counted_and_each_is_within_three_seconds()
    {
        var session = new StretchSession(TimeSpan.Zero, M(2), new StretchPlan("thread-the-needle", StretchQuality.Well, 0, [25, 22], 0, 50));
        Assert.True(new StretchScore(session, "done", null, [27.5, 20]).HoldsRight);
        Assert.False(new StretchScore(session, "done", null, [28.5, 22]).HoldsRight);
        Assert.False(new StretchScore(session, "done", null, [25]).HoldsRight);
        Assert.Equal(double.PositiveInfinity, new StretchScore(session, "done", null, [25]).MaxHoldErrorS);
    }

    [Fact]
    public void Library_totals_add_up_and_an_empty_kind_is_not_a_failure()
    {
        var good = ScenarioScore.Of(Outcome([Sitting(TimeSpan.Zero, M(30))], [Prompt(PromptReason.Sitting, M(30), TimeSpan.Zero)]));
        var score = new LibraryScore([good, good]);

        Assert.Equal(new KindTotals(2, 2, 2), score.Totals(PromptReason.Sitting));
        Assert.Equal(1, score.Totals(PromptReason.Hunch).Recall);
        var checks = Goals.Default.Check(score);
        Assert.Equal(GoalStatus.NotApplicable, checks.Single(c => c.Goal.StartsWith("prolonged-hunch recall", StringComparison.Ordinal)).Status);
        Assert.Equal(GoalStatus.Met, checks.Single(c => c.Goal.StartsWith("prolonged-sitting recall", StringComparison.Ordinal)).Status);
    }
    [Fact]
    public void Against_the_reference_rules_a_sitting_the_file_left_out_is_a_true_episode()
    {
        // The file claims nothing happens; 40 min without walking is a prolonged sitting by DESIGN.md.
        var silent = Scenario.Parse("""
            { "name": "t", "description": "t", "segments": [
                { "activity": "sit", "minutes": 40 },
                { "activity": "walk", "minutes": 3, "cadence": 100 } ],
              "expected": [] }
            """);
        var met = M(30) + TimeSpan.FromSeconds(4);
        var outcome = Outcome([Sitting(TimeSpan.Zero, met)], [Prompt(PromptReason.Sitting, met, TimeSpan.Zero)]) with { Scenario = silent };

        var byFile = ScenarioScore.Of(outcome, TruthSource.File).Sitting;
        var byReference = ScenarioScore.Of(outcome, TruthSource.Reference).Sitting;

        Assert.Equal((0, 1, 0, 1), (byFile.Expected, byFile.Detected, byFile.Matched, byFile.FalsePrompts.Count));
        Assert.Equal((1, 1, 1, 0), (byReference.Expected, byReference.Detected, byReference.Matched, byReference.FalsePrompts.Count));
        Assert.Equal([TimeSpan.FromSeconds(4)], byReference.Delays);
    }

    [Fact]
    public void A_hunch_held_within_a_degree_of_the_threshold_is_neither_found_nor_false()
    {
        var nearThreshold = Scenario.Parse("""
            { "name": "t", "description": "t", "segments": [
                { "activity": "sit", "minutes": 1, "pitch": 0 },
                { "activity": "sit", "minutes": 10, "pitch": 20.3, "rampSeconds": 2 },
                { "activity": "sit", "minutes": 5, "pitch": 0, "rampSeconds": 2 } ],
              "expected": [] }
            """);
        var met = M(6) + TimeSpan.FromSeconds(3);
        PostureRun Hunch() => new(PromptReason.Hunch, Ts(M(1)), Ts(met), Ts(met));
        var found = Outcome([Hunch()], [Prompt(PromptReason.Hunch, met, M(1))]) with { Scenario = nearThreshold };
        var missed = Outcome() with { Scenario = nearThreshold };

        var whenFound = ScenarioScore.Of(found, TruthSource.Reference).Hunch;
        var whenMissed = ScenarioScore.Of(missed, TruthSource.Reference).Hunch;

        Assert.Equal((0, 0, 0), (whenFound.Expected, whenFound.Detected, whenFound.Matched));
        Assert.Empty(whenFound.FalsePrompts);
        Assert.Equal((0, 0, 0), (whenMissed.Expected, whenMissed.Detected, whenMissed.Matched));
    }

    // 0-2 min upright, hunched 2-8, upright 8-10 (a reset), hunched 10-16, upright to 26, then a walk:
    // the second hunch is met 8 min after the first, inside the first prompt's cooldown.
    static readonly Scenario TwoHunches = Scenario.Parse("""
        { "name": "t", "description": "t", "segments": [
            { "activity": "sit", "minutes": 2, "pitch": 0 },
            { "activity": "sit", "minutes": 6, "pitch": 28 },
            { "activity": "sit", "minutes": 2, "pitch": 0 },
            { "activity": "sit", "minutes": 6, "pitch": 28 },
            { "activity": "sit", "minutes": 10, "pitch": 0 },
            { "activity": "walk", "minutes": 3, "cadence": 100 } ],
          "expected": [ { "kind": "hunch", "start": "2:00", "criterionMet": "7:00" },
                        { "kind": "hunch", "start": "10:00", "criterionMet": "15:00" } ] }
        """);

    static PostureRun Hunch(TimeSpan start, TimeSpan met) => new(PromptReason.Hunch, Ts(start), Ts(met), Ts(met));

    [Fact]
    public void A_detected_episode_inside_the_cooldown_counts_for_recall_and_its_missing_prompt_is_right()
    {
        var outcome = Outcome(
            [Hunch(M(2), M(7) + TimeSpan.FromSeconds(1)), Hunch(M(10), M(15) + TimeSpan.FromSeconds(1))],
            [Prompt(PromptReason.Hunch, M(7) + TimeSpan.FromSeconds(2), M(2))]) with { Scenario = TwoHunches };

        var score = EpisodeScore.Of(outcome, PromptReason.Hunch);

        Assert.Equal((2, 2, 2), (score.Expected, score.Detected, score.Matched));
        Assert.Equal((1, 1), (score.PromptsDue, score.PromptsSent));
        Assert.Equal((0, 1), (score.Unprompted, score.HeldBack));
        Assert.Empty(score.FalsePrompts);
        Assert.Equal([TimeSpan.FromSeconds(2)], score.Delays);
        var library = new LibraryScore([ScenarioScore.Of(outcome)]);
        Assert.Equal(GoalStatus.Met, Goals.Default.Check(library).Single(c => c.Goal.StartsWith("every detected true episode prompted", StringComparison.Ordinal)).Status);
    }

    [Fact]
    public void A_missed_episode_is_still_a_miss_when_its_prompt_would_have_been_held_back()
    {
        // Only the first hunch is detected: the second, inside the cooldown, lowers recall all the same.
        var outcome = Outcome([Hunch(M(2), M(7) + TimeSpan.FromSeconds(1))], [Prompt(PromptReason.Hunch, M(7) + TimeSpan.FromSeconds(2), M(2))])
            with { Scenario = TwoHunches };

        var score = EpisodeScore.Of(outcome, PromptReason.Hunch);

        Assert.Equal((2, 1, 1), (score.Expected, score.Detected, score.Matched));
        Assert.Equal(0.5, new KindTotals(score.Expected, score.Detected, score.Matched).Recall);
        Assert.Equal((0, 0), (score.Unprompted, score.HeldBack));
    }

    [Fact]
    public void An_episode_due_a_prompt_that_gets_none_is_a_missed_prompt()
    {
        // The first prompt never went out: the second hunch is then due one too, and neither got it.
        var outcome = Outcome([Hunch(M(2), M(7) + TimeSpan.FromSeconds(1)), Hunch(M(10), M(15) + TimeSpan.FromSeconds(1))])
            with { Scenario = TwoHunches };

        var score = EpisodeScore.Of(outcome, PromptReason.Hunch);

        Assert.Equal(2, score.Matched);
        Assert.Equal(1, score.Unprompted);
        Assert.Equal(1, score.HeldBack);
        var library = new LibraryScore([ScenarioScore.Of(outcome)]);
        Assert.Equal(GoalStatus.Missed, Goals.Default.Check(library).Single(c => c.Goal.StartsWith("every detected true episode prompted", StringComparison.Ordinal)).Status);
    }

    [Fact]
    public void A_hunch_the_file_lists_within_a_degree_of_the_threshold_is_dont_care_for_the_file_too()
    {
        // The file expects the near-threshold hunch; missing it is no miss, and finding it no extra.
        var nearThreshold = Scenario.Parse("""
            { "name": "t", "description": "t", "segments": [
                { "activity": "sit", "minutes": 1, "pitch": 0 },
                { "activity": "sit", "minutes": 10, "pitch": 20.3, "rampSeconds": 2 },
                { "activity": "sit", "minutes": 5, "pitch": 0, "rampSeconds": 2 } ],
              "expected": [ { "kind": "hunch", "start": "1:00", "criterionMet": "6:03" } ] }
            """);
        var met = M(6) + TimeSpan.FromSeconds(3);
        var found = Outcome([Hunch(M(1), met)], [Prompt(PromptReason.Hunch, met, M(1))]) with { Scenario = nearThreshold };
        var missed = Outcome() with { Scenario = nearThreshold };

        var whenFound = ScenarioScore.Of(found, TruthSource.File).Hunch;
        var whenMissed = ScenarioScore.Of(missed, TruthSource.File).Hunch;

        Assert.Equal((0, 0, 0, 0), (whenFound.Expected, whenFound.Detected, whenFound.Matched, whenFound.FalsePrompts.Count));
        Assert.Equal((0, 0, 0), (whenMissed.Expected, whenMissed.Detected, whenMissed.Matched));
    }

    [Fact]
    public void A_hunch_clear_of_the_threshold_missed_is_a_miss()
    {
        var clear = Scenario.Parse("""
            { "name": "t", "description": "t", "segments": [
                { "activity": "sit", "minutes": 1, "pitch": 0 },
                { "activity": "sit", "minutes": 10, "pitch": 22.5, "rampSeconds": 2 },
                { "activity": "sit", "minutes": 5, "pitch": 0, "rampSeconds": 2 } ],
              "expected": [ { "kind": "hunch", "start": "1:00", "criterionMet": "6:01" } ] }
            """);
        foreach (var source in new[] { TruthSource.File, TruthSource.Reference })
        {
            var score = ScenarioScore.Of(Outcome() with { Scenario = clear }, source).Hunch;
            Assert.Equal((1, 0, 0), (score.Expected, score.Detected, score.Matched));
        }
    }
}
