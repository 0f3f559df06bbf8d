using System.Globalization;
using System.Text.Json;
using PostureSense.Core.Exercises;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// Reads the scenario format by hand rather than by binding, so every problem is reported as one
/// line that names the file, the segment and the field.
/// </summary>
internal static class ScenarioParser
{
    static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    static readonly string[] TopFields = ["name", "description", "seed", "start", "segments", "expected"];
    static readonly string[] SegmentFields = ["activity", "seconds", "minutes", "pitch", "roll", "rampSeconds", "cadence", "label"];
    static readonly string[] ExpectedFields = ["kind", "start", "criterionMet", "note"];
    /// <summary>A posture change takes a moment; a segment without a ramp still moves over this.</summary>
    static readonly TimeSpan DefaultRamp = TimeSpan.FromSeconds(2);

    public static Scenario Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{source}: malformed JSON at line {e.LineNumber + 1}: {FirstLine(e.Message)}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail(source, "the file must hold one JSON object");
            CheckFields(root, TopFields, source, "");

            var name = RequiredString(root, "name", source, "");
            var description = RequiredString(root, "description", source, "");
            var seed = root.TryGetProperty("seed", out var s) ? Int(s, "seed", source, "") : 1;
            TimeOnly? start = null;
            if (root.TryGetProperty("start", out var st))
            {
                if (st.ValueKind != JsonValueKind.String || !TimeOnly.TryParseExact(st.GetString(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                    throw Fail(source, "\"start\" must be a time of day like \"09:00\"");
                start = t;
            }

            if (!root.TryGetProperty("segments", out var segs) || segs.ValueKind != JsonValueKind.Array || segs.GetArrayLength() == 0)
                throw Fail(source, "\"segments\" is missing or not a non-empty array");
            var segments = new List<ScenarioSegment>();
            var offset = TimeSpan.Zero;
            var i = 0;
            foreach (var e in segs.EnumerateArray())
            {
                var segment = ParseSegment(e, ++i, offset, source);
                segments.Add(segment);
                offset = segment.End;
            }

            if (!root.TryGetProperty("expected", out var exp) || exp.ValueKind != JsonValueKind.Array)
                throw Fail(source, "\"expected\" is missing (list every prolonged episode the rules should find; [] for none)");
            var expected = new List<ExpectedEpisode>();
            i = 0;
            foreach (var e in exp.EnumerateArray()) expected.Add(ParseExpected(e, ++i, offset, source));

            return new Scenario(name, description, seed, start, segments, expected);
        }
    }

    static ScenarioSegment ParseSegment(JsonElement e, int number, TimeSpan start, string source)
    {
        var where = $"segment {number}";
        if (e.ValueKind != JsonValueKind.Object) throw Fail(source, $"{where} must be an object");
        if (e.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String) where += $" (\"{l.GetString()}\")";
        CheckFields(e, SegmentFields, source, where);

        var activityText = RequiredString(e, "activity", source, where);
        var activity = activityText switch
        {
            "sit" => Activity.Sit,
            "stand" => Activity.Stand,
            "walk" => Activity.Walk,
            _ => throw Fail(source, $"{where}: unknown activity \"{activityText}\" (expected sit, stand or walk)"),
        };

        var hasSeconds = e.TryGetProperty("seconds", out var sec);
        var hasMinutes = e.TryGetProperty("minutes", out var min);
        if (hasSeconds == hasMinutes) throw Fail(source, $"{where}: give its length as exactly one of \"seconds\" or \"minutes\"");
        var duration = hasSeconds ? TimeSpan.FromSeconds(Number(sec, "seconds", source, where)) : TimeSpan.FromMinutes(Number(min, "minutes", source, where));
        if (duration <= TimeSpan.Zero) throw Fail(source, $"{where}: duration must be positive, not {duration.TotalSeconds} s");

        var pitch = Optional(e, "pitch", 0, source, where);
        var roll = Optional(e, "roll", 0, source, where);
        if (pitch is < -90 or > 90) throw Fail(source, $"{where}: pitch {pitch} is outside -90..90 degrees");
        if (roll is < -90 or > 90) throw Fail(source, $"{where}: roll {roll} is outside -90..90 degrees");

        var ramp = e.TryGetProperty("rampSeconds", out var r) ? TimeSpan.FromSeconds(Number(r, "rampSeconds", source, where)) : TimeSpan.Zero;
        if (ramp < TimeSpan.Zero || ramp > duration) throw Fail(source, $"{where}: rampSeconds must be 0 to the segment's length");
        if (ramp == TimeSpan.Zero) ramp = duration < DefaultRamp ? duration : DefaultRamp;

        double cadence = 0;
        if (activity == Activity.Walk)
        {
            if (!e.TryGetProperty("cadence", out var c)) throw Fail(source, $"{where}: a walk needs \"cadence\" (steps per minute)");
            cadence = Number(c, "cadence", source, where);
            if (cadence is < 40 or > 200) throw Fail(source, $"{where}: cadence {cadence} is outside 40..200 steps per minute");
        }
        else if (e.TryGetProperty("cadence", out _))
        {
            throw Fail(source, $"{where}: \"cadence\" only applies to a walk");
        }

        var label = e.TryGetProperty("label", out var lab) ? String(lab, "label", source, where)
            : activity == Activity.Walk ? "walking" : pitch >= 20 ? "hunch" : "upright";
        return new ScenarioSegment(activity, start, duration, pitch, roll, ramp, cadence, label);
    }

    static ExpectedEpisode ParseExpected(JsonElement e, int number, TimeSpan duration, string source)
    {
        var where = $"expected episode {number}";
        if (e.ValueKind != JsonValueKind.Object) throw Fail(source, $"{where} must be an object");
        CheckFields(e, ExpectedFields, source, where);
        var kindText = RequiredString(e, "kind", source, where);
        var kind = kindText switch
        {
            "hunch" => PromptReason.Hunch,
            "sitting" => PromptReason.Sitting,
            _ => throw Fail(source, $"{where}: unknown kind \"{kindText}\" (expected hunch or sitting)"),
        };
        var start = Offset(e, "start", source, where);
        var met = Offset(e, "criterionMet", source, where);
        if (met < start) throw Fail(source, $"{where}: criterionMet {met} is before start {start}");
        if (met > duration) throw Fail(source, $"{where}: criterionMet {met} is after the scenario's end {duration}");
        return new ExpectedEpisode(kind, start, met);
    }

    /// <summary>An offset from the scenario start: seconds as a number, or "m:ss" / "h:mm:ss".</summary>
    static TimeSpan Offset(JsonElement parent, string field, string source, string where)
    {
        if (!parent.TryGetProperty(field, out var e)) throw Fail(source, $"{where}: \"{field}\" is missing");
        if (e.ValueKind == JsonValueKind.Number) return TimeSpan.FromSeconds(Number(e, field, source, where) is var n && n >= 0 ? n : throw Fail(source, $"{where}: \"{field}\" must not be negative"));
        var text = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var parts = text?.Split(':');
        if (parts is { Length: 2 or 3 } && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return n.Length == 2 ? new TimeSpan(0, n[0], n[1]) : new TimeSpan(n[0], n[1], n[2]);
        }
        throw Fail(source, $"{where}: \"{field}\" must be seconds or \"m:ss\" / \"h:mm:ss\", not {e.GetRawText()}");
    }

    static void CheckFields(JsonElement e, string[] known, string source, string where)
    {
        foreach (var p in e.EnumerateObject())
            if (!known.Contains(p.Name))
                throw Fail(source, $"{Prefix(where)}unknown field \"{p.Name}\" (known: {string.Join(", ", known)})");
    }

    static string RequiredString(JsonElement e, string field, string source, string where) =>
        e.TryGetProperty(field, out var v) ? String(v, field, source, where) : throw Fail(source, $"{Prefix(where)}\"{field}\" is missing");

    static string String(JsonElement v, string field, string source, string where) =>
        v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be a non-empty string");

    static double Optional(JsonElement e, string field, double fallback, string source, string where) =>
        e.TryGetProperty(field, out var v) ? Number(v, field, source, where) : fallback;

    static double Number(JsonElement v, string field, string source, string where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be a number, not {v.GetRawText()}");

    static int Int(JsonElement v, string field, string source, string where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? i
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be a whole number, not {v.GetRawText()}");

    static string Prefix(string where) => where.Length == 0 ? "" : where + ": ";

    static string FirstLine(string message) => message.Split('\n')[0].Trim();

    static ScenarioException Fail(string source, string message) => new($"{source}: {message}");
}
