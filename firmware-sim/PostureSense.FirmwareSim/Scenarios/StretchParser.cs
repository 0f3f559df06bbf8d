using System.Text.Json;
using PostureSense.FirmwareSim.Wearer.Motions;
using static PostureSense.FirmwareSim.Scenarios.ScenarioJson;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// Reads what the wearer does in a stretch segment. Each quality has defaults close to the
/// catalog's dose done well (Cat-Cow 12 cycles, Thread the Needle 25 s a side, Superman 8 lifts of
/// 4 s), done partly (fewer, shallower) or not at all.
/// </summary>
internal static class StretchParser
{
    public const int MaxReps = 60;
    public const int MaxHolds = 20;

    public static StretchPlan Parse(JsonElement e, Activity activity, TimeSpan start, TimeSpan ramp, TimeSpan duration, string source, string where)
    {
        var qualityText = e.TryGetProperty("quality", out var q) ? String(q, "quality", source, where) : "well";
        var quality = qualityText switch
        {
            "well" => StretchQuality.Well,
            "partly" => StretchQuality.Partly,
            "none" => StretchQuality.None,
            _ => throw Fail(source, $"{where}: unknown quality \"{qualityText}\" (expected well, partly or none; for a prompt the wearer ignores, put \"prompt\" on the segment they carry on with)"),
        };
        var well = quality == StretchQuality.Well;
        var none = quality == StretchQuality.None;
        var id = activity.ExerciseId()!;

        StretchPlan plan;
        switch (activity)
        {
            case Activity.CatCow:
            {
                Reject(e, ["holdsS", "holdSeconds"], "cat-cow counts cycles: give \"reps\" and \"periodSeconds\"", source, where);
                var reps = Reps(e, none ? 0 : well ? 12 : 5, source, where);
                var period = InRange(e, "periodSeconds", well ? 6 : 7, 3, 20, " s", source, where);
                var range = InRange(e, "rangeDeg", well ? 15 : 7, 4, 30, " degrees", source, where);
                plan = new StretchPlan(id, quality, reps, [], period, range);
                break;
            }
            case Activity.ThreadTheNeedle:
            {
                Reject(e, ["reps", "periodSeconds", "holdSeconds"], "thread-the-needle times holds: give \"holdsS\", one per side in order", source, where);
                double[] holds = e.TryGetProperty("holdsS", out var h) ? Numbers(h, "holdsS", 2, 120, source, where) : none ? [] : well ? [25, 25] : [10];
                if (holds.Length > MaxHolds) throw Fail(source, $"{where}: at most {MaxHolds} holds, not {holds.Length}");
                var range = InRange(e, "rangeDeg", well ? 50 : 28, 15, 80, " degrees", source, where);
                plan = new StretchPlan(id, quality, 0, holds, 0, range);
                break;
            }
            default:
            {
                Reject(e, ["holdsS"], "superman lifts: give \"reps\" and \"holdSeconds\"", source, where);
                var reps = Reps(e, none ? 0 : well ? 8 : 4, source, where);
                var hold = InRange(e, "holdSeconds", well ? 4 : 1.5, 1, 30, " s", source, where);
                var rest = InRange(e, "periodSeconds", well ? 3 : 4, 1, 30, " s", source, where);
                var range = InRange(e, "rangeDeg", well ? 22 : 11, 6, 35, " degrees", source, where);
                if (reps > MaxHolds) throw Fail(source, $"{where}: at most {MaxHolds} lifts, not {reps}");
                plan = new StretchPlan(id, quality, reps, Enumerable.Repeat(hold, reps).ToArray(), rest, range);
                break;
            }
        }

        var before = InRange(e, "promptedBefore", 0, 0, 600, " s", source, where);
        if (before > start.TotalSeconds) throw Fail(source, $"{where}: promptedBefore {before} s is before the scenario starts");
        plan = plan with { PromptedBefore = TimeSpan.FromSeconds(before) };

        if (none && plan.Done) throw Fail(source, $"{where}: quality \"none\" means nothing is done: no reps or holds");
        if (!none && !plan.Done) throw Fail(source, $"{where}: quality \"{qualityText}\" needs at least one rep or hold (use \"none\" for a stretch not done)");
        var needed = StretchTiming.MinimumSeconds(plan, ramp.TotalSeconds);
        if (needed > duration.TotalSeconds + 1e-9)
            throw Fail(source, $"{where}: the {id} needs {needed:0.#} s (getting down, the reps and holds, a moment before getting up) but the segment lasts {duration.TotalSeconds:0.#} s");
        return plan;
    }

    static int Reps(JsonElement e, int fallback, string source, string where)
    {
        if (!e.TryGetProperty("reps", out var r)) return fallback;
        var reps = Int(r, "reps", source, where);
        return reps is >= 0 and <= MaxReps ? reps : throw Fail(source, $"{where}: reps {reps} is outside 0..{MaxReps}");
    }

    static void Reject(JsonElement e, string[] fields, string why, string source, string where)
    {
        foreach (var field in fields)
            if (e.TryGetProperty(field, out _)) throw Fail(source, $"{where}: \"{field}\" does not apply: {why}");
    }
}
