using System.Globalization;
using System.Text.Json;
using PostureSense.Core.Exercises;
using PostureSense.FirmwareSim.Strap;
using static PostureSense.FirmwareSim.Scenarios.ScenarioJson;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// Reads the scenario format by hand rather than by binding, so every problem is reported as one
/// line that names the file, the segment and the field.
/// </summary>
internal static class ScenarioParser
{
    static readonly string[] TopFields = ["name", "description", "seed", "start", "sensor", "strap", "segments", "expected"];
    static readonly string[] ExpectedFields = ["kind", "start", "criterionMet", "note"];

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
            var sensor = SensorParser.Parse(root, seed, source);

            if (!root.TryGetProperty("segments", out var segs) || segs.ValueKind != JsonValueKind.Array || segs.GetArrayLength() == 0)
                throw Fail(source, "\"segments\" is missing or not a non-empty array");
            var segments = new List<ScenarioSegment>();
            var offset = TimeSpan.Zero;
            var i = 0;
            foreach (var e in segs.EnumerateArray())
            {
                var segment = SegmentParser.Parse(e, ++i, offset, source);
                segments.Add(segment);
                offset = segment.End;
            }

            sensor = sensor with { Strap = StrapParser.Parse(root, segments, seed, source) };

            if (!root.TryGetProperty("expected", out var exp) || exp.ValueKind != JsonValueKind.Array)
                throw Fail(source, "\"expected\" is missing (list every prolonged episode the rules should find; [] for none)");
            var expected = new List<ExpectedEpisode>();
            i = 0;
            foreach (var e in exp.EnumerateArray()) expected.Add(ParseExpected(e, ++i, offset, source));

            return new Scenario(name, description, seed, start, segments, expected, sensor);
        }
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
}
