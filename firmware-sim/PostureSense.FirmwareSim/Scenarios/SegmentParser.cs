using System.Text.Json;
using PostureSense.Core.Exercises;
using PostureSense.FirmwareSim.Wearer.Motions;
using static PostureSense.FirmwareSim.Scenarios.ScenarioJson;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>Reads one segment of a scenario file; every field is checked against its activity.</summary>
internal static class SegmentParser
{
    static readonly string[] Fields =
    [
        "activity", "seconds", "minutes", "pitch", "roll", "rampSeconds", "cadence", "label",
        "twist", "swivel", "typing", "turns", "stops", "slouch", "fidgets", "position", "prompt", "quality", "reps", "periodSeconds", "holdsS", "holdSeconds", "rangeDeg", "promptedBefore", "mimic",
    ];
    static readonly string[] StretchFields = ["quality", "reps", "periodSeconds", "holdsS", "holdSeconds", "rangeDeg", "promptedBefore"];
    /// <summary>What a stretch mimicked in a chair takes from a stretch's fields: how it moves, not how well or when it was prompted.</summary>
    static readonly string[] MimicFields = ["reps", "periodSeconds", "holdsS", "holdSeconds", "rangeDeg"];
    /// <summary>A posture change takes a moment; a segment without a ramp still moves over this.</summary>
    static readonly TimeSpan DefaultRamp = TimeSpan.FromSeconds(2);
    /// <summary>Getting down on the floor (or up from it) takes longer.</summary>
    static readonly TimeSpan FloorRamp = TimeSpan.FromSeconds(6);
    /// <summary>Leaning on an elbow tips the trunk to that side by about this much.</summary>
    public const double ElbowRollDeg = 14;
    /// <summary>A bend is brief by definition: longer and it is a posture of its own.</summary>
    public static readonly TimeSpan MaxBend = TimeSpan.FromSeconds(30);
    /// <summary>About as far as a trunk turns about its long axis (thoracic and lumbar together, a little more).</summary>
    public const double MaxTwistDeg = 60;
    /// <summary>A chair swivelled (or a turn on the spot) in one go: at most half a turn either way.</summary>
    public const double MaxSwivelDeg = 180;

    public static ScenarioSegment Parse(JsonElement e, int number, TimeSpan start, string source)
    {
        var where = $"segment {number}";
        if (e.ValueKind != JsonValueKind.Object) throw Fail(source, $"{where} must be an object");
        if (e.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String) where += $" (\"{l.GetString()}\")";
        CheckFields(e, Fields, source, where);

        var activityText = RequiredString(e, "activity", source, where);
        var activity = Activities.All.Where(a => a.ToFileName() == activityText).Cast<Activity?>().FirstOrDefault()
            ?? throw Fail(source, $"{where}: unknown activity \"{activityText}\" (expected {string.Join(", ", Activities.All.Select(a => a.ToFileName()))})");
        RejectFieldsOf(e, activity, source, where);

        var hasSeconds = e.TryGetProperty("seconds", out var sec);
        var hasMinutes = e.TryGetProperty("minutes", out var min);
        if (hasSeconds == hasMinutes) throw Fail(source, $"{where}: give its length as exactly one of \"seconds\" or \"minutes\"");
        var duration = hasSeconds ? TimeSpan.FromSeconds(Number(sec, "seconds", source, where)) : TimeSpan.FromMinutes(Number(min, "minutes", source, where));
        if (duration <= TimeSpan.Zero) throw Fail(source, $"{where}: duration must be positive, not {duration.TotalSeconds} s");
        if (activity == Activity.Bend && duration > MaxBend) throw Fail(source, $"{where}: a bend lasts at most {MaxBend.TotalSeconds:0} s, not {duration.TotalSeconds} s");

        var (pitch, roll) = Posture(e, activity, source, where);
        var slouch = e.TryGetProperty("slouch", out var sl) ? Slouch(sl, source, where) : SlouchStyle.None;
        roll += slouch switch { SlouchStyle.ElbowLeft => -ElbowRollDeg, SlouchStyle.ElbowRight => ElbowRollDeg, _ => 0 };

        var ramp = e.TryGetProperty("rampSeconds", out var r) ? TimeSpan.FromSeconds(Number(r, "rampSeconds", source, where)) : TimeSpan.Zero;
        if (ramp < TimeSpan.Zero || ramp > duration) throw Fail(source, $"{where}: rampSeconds must be 0 to the segment's length");
        if (activity == Activity.Bend && ramp > duration / 2) throw Fail(source, $"{where}: a bend goes down and back up, so rampSeconds must be at most half its length");
        var defaultRamp = activity is Activity.Lie || activity.IsStretch() ? FloorRamp : DefaultRamp;
        if (ramp == TimeSpan.Zero) ramp = duration < defaultRamp ? duration : defaultRamp;

        double cadence = 0;
        if (activity.IsWalking())
        {
            if (!e.TryGetProperty("cadence", out var c)) throw Fail(source, $"{where}: a walk needs \"cadence\" (steps per minute)");
            cadence = Number(c, "cadence", source, where);
            if (cadence is < 40 or > 200) throw Fail(source, $"{where}: cadence {cadence} is outside 40..200 steps per minute");
        }

        var fidgets = InRange(e, "fidgets", 0, 0, 10, " a minute", source, where);
        var twist = InRange(e, "twist", 0, -MaxTwistDeg, MaxTwistDeg, " degrees", source, where);
        var swivel = InRange(e, "swivel", 0, -MaxSwivelDeg, MaxSwivelDeg, " degrees", source, where);
        var typing = e.TryGetProperty("typing", out var ty) && Bool(ty, "typing", source, where);
        var turns = InRange(e, "turns", 0, 0, 10, " a minute", source, where);
        var stops = InRange(e, "stops", 0, 0, 4, " a minute", source, where);
        var stretch = activity.IsStretch() ? StretchParser.Parse(e, activity, start, ramp, duration, source, where)
            : e.TryGetProperty("prompt", out var p) ? Ignored(p, source, where)
            : null;
        var mimic = e.TryGetProperty("mimic", out var m) ? Mimic(m, e, start, ramp, duration, source, where) : null;

        var label = e.TryGetProperty("label", out var lab) ? String(lab, "label", source, where) : DefaultLabel(activity, pitch);
        return new ScenarioSegment(activity, start, duration, pitch, roll, ramp, cadence, label)
        {
            Slouch = slouch,
            FidgetsPerMinute = fidgets,
            TwistDeg = twist,
            SwivelDeg = swivel,
            Typing = typing,
            TurnsPerMinute = turns,
            StopsPerMinute = stops,
            Stretch = stretch,
            Mimic = mimic,
        };
    }

    static string DefaultLabel(Activity activity, double pitch) => activity switch
    {
        Activity.Walk => "walking",
        Activity.Stairs => "stairs",
        Activity.Lie => "lying",
        Activity.Bend => "bend",
        _ when activity.IsStretch() => activity.ExerciseId()!,
        _ => pitch >= 20 ? "hunch" : "upright",
    };

    static (double Pitch, double Roll) Posture(JsonElement e, Activity activity, string source, string where)
    {
        switch (activity)
        {
            case Activity.Lie:
                var position = RequiredString(e, "position", source, where);
                return position switch
                {
                    "back" => (-90, 0),
                    "front" => (90, 0),
                    // On a side the trunk is nearly, not exactly, on edge.
                    "left" => (0, -85),
                    "right" => (0, 85),
                    _ => throw Fail(source, $"{where}: unknown position \"{position}\" (expected back, front, left or right)"),
                };
            case Activity.Bend:
                return (InRange(e, "pitch", 75, 30, 110, " degrees", source, where), InRange(e, "roll", 0, -45, 45, " degrees", source, where));
            case Activity.CatCow or Activity.ThreadTheNeedle:
                // On hands and knees the back is close to level, a little head-high for most.
                return (InRange(e, "pitch", 86, 70, 110, " degrees", source, where), 0);
            case Activity.Superman:
                return (InRange(e, "pitch", 90, 70, 110, " degrees", source, where), 0);
            default:
                return (InRange(e, "pitch", 0, -90, 90, " degrees", source, where), InRange(e, "roll", 0, -90, 90, " degrees", source, where));
        }
    }

    /// <summary>Fields that make no sense for the activity are mistakes worth a clear line, not something to ignore.</summary>
    static void RejectFieldsOf(JsonElement e, Activity activity, string source, string where)
    {
        void Only(string field, bool allowed, string what)
        {
            if (!allowed && e.TryGetProperty(field, out _)) throw Fail(source, $"{where}: \"{field}\" only applies to {what}");
        }
        var seated = activity is Activity.Sit or Activity.Stand;
        Only("cadence", activity.IsWalking(), "a walk or stairs");
        Only("slouch", seated, "sitting or standing");
        Only("fidgets", seated, "sitting or standing");
        Only("twist", seated, "sitting or standing");
        Only("swivel", seated, "sitting or standing");
        Only("typing", seated, "sitting or standing");
        Only("turns", activity.IsWalking(), "a walk or stairs");
        Only("stops", activity.IsWalking(), "a walk or stairs");
        Only("position", activity == Activity.Lie, "lying down");
        Only("prompt", !activity.IsStretch(), "a segment that is not itself a stretch (a stretch segment is its own prompt)");
        Only("roll", activity is not (Activity.Lie or Activity.CatCow or Activity.ThreadTheNeedle or Activity.Superman), "sitting, standing, walking and bends");
        Only("pitch", activity != Activity.Lie, "a posture that is not lying down (lying takes its angles from \"position\")");
        Only("mimic", seated, "sitting or standing");
        var mimics = seated && e.TryGetProperty("mimic", out _);
        foreach (var field in StretchFields)
            Only(field, activity.IsStretch() || (mimics && MimicFields.Contains(field)),
                MimicFields.Contains(field) ? "cat-cow, thread-the-needle, superman and a segment that mimics one" : "cat-cow, thread-the-needle and superman");
    }

    static SlouchStyle Slouch(JsonElement v, string source, string where) => String(v, "slouch", source, where) switch
    {
        "thoracic" => SlouchStyle.Thoracic,
        "hips" => SlouchStyle.Hips,
        "elbow-left" => SlouchStyle.ElbowLeft,
        "elbow-right" => SlouchStyle.ElbowRight,
        var other => throw Fail(source, $"{where}: unknown slouch \"{other}\" (expected thoracic, hips, elbow-left or elbow-right)"),
    };

    /// <summary>A floor stretch's movement done sitting or standing, with that stretch's fields and defaults (done well).</summary>
    static StretchPlan Mimic(JsonElement v, JsonElement e, TimeSpan start, TimeSpan ramp, TimeSpan duration, string source, string where)
    {
        var id = String(v, "mimic", source, where);
        var activity = Activities.All.Where(a => a.IsStretch() && a.ExerciseId() == id).Cast<Activity?>().FirstOrDefault()
            ?? throw Fail(source, $"{where}: mimic \"{id}\" is not a floor stretch (expected cat-cow, thread-the-needle or superman)");
        return StretchParser.Parse(e, activity, start, ramp, duration, source, where);
    }

    /// <summary>A prompt on an ordinary segment: the wearer carries on as if it never came.</summary>
    static StretchPlan Ignored(JsonElement v, string source, string where)
    {
        var id = String(v, "prompt", source, where);
        if (!ExerciseCatalog.TryGet(id, out _))
            throw Fail(source, $"{where}: prompt \"{id}\" is not a catalog exercise ({string.Join(", ", ExerciseCatalog.All.Select(x => x.Id))})");
        return new StretchPlan(id, StretchQuality.Ignored, 0, [], 0, 0);
    }
}
