using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;

namespace PostureSense.Eval.Scoring;

/// <summary>Expected, detected and matched episodes of one kind over many scenarios.</summary>
public readonly record struct KindTotals(int Expected, int Detected, int Matched)
{
    /// <summary>Found of what was there; 1 when nothing was there to find.</summary>
    public double Recall => Expected == 0 ? 1 : (double)Matched / Expected;
    /// <summary>Right of what was found; 1 when nothing was found.</summary>
    public double Precision => Detected == 0 ? 1 : (double)Matched / Detected;
}

/// <summary>How the sessions of one exercise came out.</summary>
public readonly record struct ExerciseTotals(int Sessions, int RepsWithinOne, int HoldsRight, double MaxHoldErrorS, int OutcomesRight)
{
    public double WithinOneShare => Sessions == 0 ? 0 : (double)RepsWithinOne / Sessions;
    public double HoldsRightShare => Sessions == 0 ? 0 : (double)HoldsRight / Sessions;
}

/// <summary>The whole library: the totals the goals are about.</summary>
public sealed class LibraryScore(IReadOnlyList<ScenarioScore> scenarios)
{
    public IReadOnlyList<ScenarioScore> Scenarios => scenarios;

    public KindTotals Totals(PromptReason kind)
    {
        var scores = scenarios.Select(s => kind == PromptReason.Hunch ? s.Hunch : s.Sitting).ToArray();
        return new(scores.Sum(s => s.Expected), scores.Sum(s => s.Detected), scores.Sum(s => s.Matched));
    }

    /// <summary>Prompt times after the ground-truth criterion, sorted.</summary>
    public IReadOnlyList<TimeSpan> Delays => scenarios.SelectMany(s => s.Kinds).SelectMany(k => k.Delays).Order().ToArray();
    public TimeSpan MedianDelay => Median(Delays);
    public TimeSpan MaxDelay => Delays.Count == 0 ? TimeSpan.Zero : Delays[^1];
    /// <summary>Prompt times after the criterion was met in the telemetry, sorted.</summary>
    public IReadOnlyList<TimeSpan> Latencies => scenarios.SelectMany(s => s.Kinds).SelectMany(k => k.Latencies).Order().ToArray();
    /// <summary>How far from the ground truth the telemetry met each criterion, sorted by size.</summary>
    public IReadOnlyList<TimeSpan> Offsets => scenarios.SelectMany(s => s.Kinds).SelectMany(k => k.Offsets).OrderBy(o => o.Duration()).ToArray();
    public int Unprompted => scenarios.SelectMany(s => s.Kinds).Sum(k => k.Unprompted);
    /// <summary>True episodes whose prompt the prompt rule calls for.</summary>
    public int PromptsDue => scenarios.SelectMany(s => s.Kinds).Sum(k => k.PromptsDue);
    public int PromptsSent => scenarios.SelectMany(s => s.Kinds).Sum(k => k.PromptsSent);
    /// <summary>True episodes detected and rightly not prompted (inside a cooldown, in quiet hours).</summary>
    public int HeldBack => scenarios.SelectMany(s => s.Kinds).Sum(k => k.HeldBack);

    public IReadOnlyList<FalsePrompt> FalsePrompts => scenarios.SelectMany(s => s.FalsePrompts).ToArray();
    public int FalsePromptsDuring(params QuietActivity[] activities) => FalsePrompts.Count(p => activities.Contains(p.During));
    public int QuietNudges => scenarios.Sum(s => s.QuietNudges.Count);
    public int QuietNudgesDuring(QuietActivity activity) => scenarios.Sum(s => s.QuietNudges.Count(n => n.During == activity));

    public IReadOnlyList<StretchScore> Stretches => scenarios.SelectMany(s => s.Stretches).ToArray();
    public int StretchSessions => Stretches.Count;
    public int StretchOutcomesRight => Stretches.Count(s => s.OutcomeRight);
    /// <summary>Prompts taken in the chair or at the desk (folds, twists, rocking): each must end dismissed with nothing counted.</summary>
    public IReadOnlyList<StretchScore> InChair => Stretches.Where(s => s.Session.InChair).ToArray();
    public int InChairCountedNothing => InChair.Count(s => s.Status == CommandAck.Statuses.Dismissed && (s.CountedReps ?? 0) == 0 && s.CountedHoldsS.Count == 0);
    public ExerciseTotals CatCow => Exercise("cat-cow");
    public ExerciseTotals Thread => Exercise("thread-the-needle");
    public ExerciseTotals Superman => Exercise("superman");

    public TimeSpan SimulatedTime => scenarios.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Outcome.Scenario.Duration);

    public ExerciseTotals Exercise(string id)
    {
        var sessions = Stretches.Where(s => s.ExerciseId == id).ToArray();
        return new(sessions.Length, sessions.Count(s => s.RepsError <= 1), sessions.Count(s => s.HoldsRight),
            sessions.Length == 0 ? 0 : sessions.Max(s => s.MaxHoldErrorS), sessions.Count(s => s.OutcomeRight));
    }

    public static TimeSpan Median(IReadOnlyList<TimeSpan> sorted) => sorted.Count switch
    {
        0 => TimeSpan.Zero,
        var n when n % 2 == 1 => sorted[n / 2],
        var n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    };
}
