using PostureSense.Agent.Replay;
using PostureSense.Agent.Processing;
using PostureSense.Core.Exercises;

namespace PostureSense.Eval.Scoring;

/// <summary>What "detection you can trust" means on the whole library; CI holds the totals to it.</summary>
public sealed record Goals
{
    public double MinRecall { get; init; } = 0.98;
    public double MinPrecision { get; init; } = 0.98;
    /// <summary>The prompt may wait for the batch that carries the frame meeting the criterion, and a second more.</summary>
    public TimeSpan MaxPromptDelay { get; init; } = new ReplayOptions().BatchPeriod + TimeSpan.FromSeconds(1);
    /// <summary>Cat-Cow sessions whose counted cycles are within one of the truth.</summary>
    public double MinCatCowWithinOne { get; init; } = 0.95;
    /// <summary>Every Thread the Needle hold timed within this of the truth.</summary>
    public TimeSpan MaxThreadHoldError { get; init; } = TimeSpan.FromSeconds(3);

    public static Goals Default { get; } = new();

    /// <summary>Each goal, whether the library meets it, and the number that decided it, in words.</summary>
    public IReadOnlyList<GoalCheck> Check(LibraryScore score)
    {
        var hunch = score.Totals(PromptReason.Hunch);
        var sitting = score.Totals(PromptReason.Sitting);
        var quietPrompts = score.FalsePromptsDuring(QuietActivity.Bend, QuietActivity.Walking, QuietActivity.Stretching);
        var catCow = score.CatCow;
        var thread = score.Thread;
        return
        [
            GoalCheck.Of($"prolonged-hunch recall >= {MinRecall:0.00}", hunch.Expected > 0, hunch.Recall >= MinRecall, $"{hunch.Recall:0.000}"),
            GoalCheck.Of($"prolonged-hunch precision >= {MinPrecision:0.00}", hunch.Detected > 0, hunch.Precision >= MinPrecision, $"{hunch.Precision:0.000}"),
            GoalCheck.Of($"prolonged-sitting recall >= {MinRecall:0.00}", sitting.Expected > 0, sitting.Recall >= MinRecall, $"{sitting.Recall:0.000}"),
            GoalCheck.Of($"prolonged-sitting precision >= {MinPrecision:0.00}", sitting.Detected > 0, sitting.Precision >= MinPrecision, $"{sitting.Precision:0.000}"),
            GoalCheck.Of("every detected true episode prompted unless inside a cooldown", hunch.Matched + sitting.Matched > 0, score.Unprompted == 0,
                $"{score.Unprompted} not prompted, {score.HeldBack} rightly held back"),
            GoalCheck.Of($"prompt delay after the criterion <= {MaxPromptDelay.TotalSeconds:0} s", score.Delays.Count > 0,
                score.MaxDelay <= MaxPromptDelay, $"median {score.MedianDelay.TotalSeconds:0.0} s, max {score.MaxDelay.TotalSeconds:0.0} s"),
            GoalCheck.Of("no false prompt during bends, walking or stretching", true, quietPrompts == 0, $"{quietPrompts}"),
            GoalCheck.Of("no edge nudge during walking, stretches, lying down or bends", true, score.QuietNudges == 0, $"{score.QuietNudges}"),
            GoalCheck.Of($"cat-cow reps within ±1 in >= {MinCatCowWithinOne:P0} of sessions", catCow.Sessions > 0,
                catCow.WithinOneShare >= MinCatCowWithinOne, $"{catCow.RepsWithinOne} of {catCow.Sessions} ({catCow.WithinOneShare:P0})"),
            GoalCheck.Of($"thread-the-needle holds within {MaxThreadHoldError.TotalSeconds:0} s", thread.Sessions > 0,
                thread.HoldsRight == thread.Sessions && thread.MaxHoldErrorS <= MaxThreadHoldError.TotalSeconds,
                $"{thread.HoldsRight} of {thread.Sessions} sessions, max error {thread.MaxHoldErrorS:0.0} s"),
            GoalCheck.Of("every stretch answered done or not done rightly", score.StretchSessions > 0,
                score.StretchOutcomesRight == score.StretchSessions, $"{score.StretchOutcomesRight} of {score.StretchSessions}"),
        ];
    }
}

public enum GoalStatus
{
    Met,
    Missed,
    /// <summary>Nothing in the scenarios run to judge it by (e.g. no stretch sessions in the one scenario asked for).</summary>
    NotApplicable,
}

public sealed record GoalCheck(string Goal, GoalStatus Status, string Measured)
{
    public static GoalCheck Of(string goal, bool applicable, bool met, string measured) =>
        new(goal, !applicable ? GoalStatus.NotApplicable : met ? GoalStatus.Met : GoalStatus.Missed, applicable ? measured : "nothing to judge");
}
