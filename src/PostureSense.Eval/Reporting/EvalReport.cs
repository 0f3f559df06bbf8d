using System.Globalization;
using System.Text;
using PostureSense.Core.Exercises;
using PostureSense.Eval.Scoring;

namespace PostureSense.Eval.Reporting;

/// <summary>The eval's printout: a row per scenario, a row per stretch session, the totals and the goals.</summary>
public static class EvalReport
{
    public static string Render(LibraryScore score, Goals goals, TimeSpan wallTime)
    {
        var text = new StringBuilder();
        text.Append(Scenarios(score)).Append('\n');
        if (score.StretchSessions > 0) text.Append(Stretches(score)).Append('\n');
        if (Strap(score) is { } strap) text.Append(strap).Append('\n');
        text.Append(Totals(score, wallTime)).Append('\n');
        foreach (var check in goals.Check(score))
            text.Append(check.Status switch { GoalStatus.Met => "  met     ", GoalStatus.Missed => "  MISSED  ", _ => "  n/a     " })
                .Append(check.Goal).Append(": ").Append(check.Measured).Append('\n');
        return text.ToString();
    }

    static string Scenarios(LibraryScore score)
    {
        var table = new TextTable("scenario", "length", "hunch exp/det/ok", "sitting exp/det/ok", "prompts due/sent", "false", "delay med/max s", "nudges", "quiet nudges", "stretches ok");
        foreach (var s in score.Scenarios.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var delays = s.Kinds.SelectMany(k => k.Delays).Order().ToArray();
            table.Add(
                s.Name,
                Length(s.Outcome.Scenario.Duration),
                Kind(s.Hunch),
                Kind(s.Sitting),
                $"{s.Kinds.Sum(k => k.PromptsDue)}/{s.Outcome.Prompts.Count}",
                s.FalsePrompts.Count().ToString(CultureInfo.InvariantCulture),
                delays.Length == 0 ? "-" : $"{delays[delays.Length / 2].TotalSeconds:0.0}/{delays[^1].TotalSeconds:0.0}",
                s.Nudges.ToString(CultureInfo.InvariantCulture),
                s.QuietNudges.Count.ToString(CultureInfo.InvariantCulture),
                s.Stretches.Count == 0 ? "-" : $"{s.Stretches.Count(x => x.OutcomeRight && x.RepsError <= 1 && x.HoldsRight)}/{s.Stretches.Count}");
        }
        return table.ToString();
    }

    static string Stretches(LibraryScore score)
    {
        var table = new TextTable("scenario", "prompt at", "exercise", "done", "true", "counted", "ack", "reps err", "hold err s");
        foreach (var s in score.Scenarios.OrderBy(s => s.Name, StringComparer.Ordinal))
            foreach (var x in s.Stretches)
                table.Add(
                    s.Name,
                    Length(x.Session.PromptAt),
                    x.ExerciseId,
                    x.Session.InChair ? "in chair" : x.Session.Plan.Quality.ToString().ToLowerInvariant(),
                    Count(x.TrueReps, x.TrueHoldsS, x.ExerciseId),
                    Count(x.CountedReps ?? 0, x.CountedHoldsS, x.ExerciseId),
                    x.Status,
                    x.ExerciseId == "thread-the-needle" ? "-" : x.RepsError.ToString(CultureInfo.InvariantCulture),
                    x.ExerciseId == "cat-cow" ? "-" : double.IsFinite(x.MaxHoldErrorS) ? x.MaxHoldErrorS.ToString("0.0", CultureInfo.InvariantCulture) : "count");
        return table.ToString();
    }

    static string Totals(LibraryScore score, TimeSpan wallTime)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{score.Scenarios.Count} scenarios, {score.SimulatedTime.TotalHours:0.0} h simulated in {wallTime.TotalSeconds:0.0} s\n");
        text.Append("detection (a hunch held within 1° of the threshold is don't care: neither found nor false):\n");
        foreach (var kind in new[] { PromptReason.Hunch, PromptReason.Sitting })
        {
            var t = score.Totals(kind);
            text.Append(CultureInfo.InvariantCulture,
                $"  prolonged {kind.ToWire(),-8} expected {t.Expected,3}, detected {t.Detected,3}, matched {t.Matched,3}: recall {t.Recall:0.000}, precision {t.Precision:0.000}\n");
        }
        text.Append(CultureInfo.InvariantCulture,
            $"prompting: {score.PromptsDue} due, {score.PromptsSent} sent, {score.FalsePrompts.Count} false; detected true episodes not prompted: {score.Unprompted}, rightly held back (inside a cooldown): {score.HeldBack}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"prompt delay after the ground-truth criterion: median {score.MedianDelay.TotalSeconds:0.0} s, max {score.MaxDelay.TotalSeconds:0.0} s over {score.Delays.Count} prompts\n");
        var latencies = score.Latencies;
        var offsets = score.Offsets;
        if (latencies.Count > 0)
            text.Append(CultureInfo.InvariantCulture,
                $"  of which: criterion met in the telemetry vs the ground truth: median |offset| {LibraryScore.Median(offsets.Select(o => o.Duration()).ToArray()).TotalSeconds:0.0} s, max {offsets[^1].TotalSeconds:+0.0;-0.0} s; ")
                .Append(CultureInfo.InvariantCulture,
                $"prompt after the telemetry met it: median {LibraryScore.Median(latencies).TotalSeconds:0.0} s, max {latencies[^1].TotalSeconds:0.0} s\n");
        text.Append(CultureInfo.InvariantCulture, $"false prompts: {score.FalsePrompts.Count} (")
            .Append(string.Join(", ", Enum.GetValues<QuietActivity>().Select(a => $"{Name(a)} {score.FalsePromptsDuring(a)}")))
            .Append(")\n");
        text.Append(CultureInfo.InvariantCulture, $"edge nudges: {score.Scenarios.Sum(s => s.Nudges)}; during quiet activities {score.QuietNudges} (")
            .Append(string.Join(", ", QuietActivities.Quiet.Select(a => $"{Name(a)} {score.QuietNudgesDuring(a)}")))
            .Append(")\n");
        foreach (var (id, totals) in new[] { ("cat-cow", score.CatCow), ("thread-the-needle", score.Thread), ("superman", score.Superman) })
        {
            if (totals.Sessions == 0) continue;
            text.Append(CultureInfo.InvariantCulture, $"{id}: {totals.Sessions} sessions, done/not done right {totals.OutcomesRight}");
            if (id != "thread-the-needle") text.Append(CultureInfo.InvariantCulture, $", reps within ±1 {totals.RepsWithinOne} ({totals.WithinOneShare:P0})");
            if (id != "cat-cow") text.Append(CultureInfo.InvariantCulture, $", holds right {totals.HoldsRight}, max hold error {totals.MaxHoldErrorS:0.0} s");
            text.Append('\n');
        }
        if (score.InChair.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"taken in a chair or at a desk: {score.InChair.Count} sessions, dismissed with nothing counted {score.InChairCountedNothing}\n");
        return text.ToString();
    }

    /// <summary>
    /// Where the board slipped on the back, or the device thought it had: the slip at the end, the
    /// correction the device ended with, each re-zero, and whether it asked for a calibration. A
    /// re-zero where nothing slipped is a wrong one.
    /// </summary>
    static string? Strap(LibraryScore score)
    {
        var rows = score.Scenarios
            .Where(s => !s.Outcome.Scenario.Sensor.Strap.IsNone || s.Outcome.StrapVerdicts.Any(v => !v.Verdict.Learnt))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToArray();
        if (rows.Length == 0) return null;
        var table = new TextTable("scenario", "slip at end", "corrected at end", "re-zeroes (at: target)", "asked to calibrate");
        foreach (var s in rows)
        {
            var o = s.Outcome;
            var changes = o.StrapVerdicts.Where(v => !v.Verdict.Learnt).ToArray();
            table.Add(
                s.Name,
                o.Scenario.Sensor.Strap.At(o.Scenario.Duration).PitchDeg.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture),
                o.StrapCorrectionDeg.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture),
                changes.Length == 0 ? "-" : string.Join(", ", changes.Select(v => $"{Length(v.At - o.Start)}: {v.Verdict.TargetDeg.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)}")),
                changes.Any(v => v.Verdict.AskRecalibration) ? "yes" : "no");
        }
        return table.ToString();
    }

    static string Kind(EpisodeScore k) => $"{k.Expected}/{k.Detected}/{k.Matched}";

    static string Name(QuietActivity a) => a == QuietActivity.None ? "sitting/standing" : a.ToString().ToLowerInvariant();

    static string Length(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    static string Count(int reps, IReadOnlyList<double> holds, string exercise) => exercise switch
    {
        "cat-cow" => $"{reps} reps",
        "thread-the-needle" => holds.Count == 0 ? "no holds" : string.Join("+", holds.Select(h => h.ToString("0.0", CultureInfo.InvariantCulture))) + " s",
        _ => holds.Count == 0 ? $"{reps} lifts" : $"{reps} lifts, {holds.Min().ToString("0.0", CultureInfo.InvariantCulture)}-{holds.Max().ToString("0.0", CultureInfo.InvariantCulture)} s",
    };
}
