using System.Text.Json;
using PostureSense.FirmwareSim.Scenarios;
using static PostureSense.FirmwareSim.Scenarios.ScenarioJson;

namespace PostureSense.FirmwareSim.Strap;

/// <summary>
/// Reads a scenario's <c>"strap"</c>: the creep of the board on the back, the shifts at given
/// moments, and the chance of a shift each time the wearer stands up or bends, drawn from the seed.
/// </summary>
internal static class StrapParser
{
    static readonly string[] Fields = ["driftPerHour", "shifts", "shiftChance", "seed"];
    static readonly string[] ShiftFields = ["at", "pitch", "roll", "seconds"];

    /// <summary>How far a strap shifts when it does on its own (the seeded shifts), degrees.</summary>
    public const double MinRandomShiftDeg = 3, MaxRandomShiftDeg = 8;
    /// <summary>A seeded shift happens this far into the movement that causes it, and takes this long.</summary>
    static readonly TimeSpan RandomShiftDelay = TimeSpan.FromSeconds(0.5), RandomShiftLength = TimeSpan.FromSeconds(1);

    public static StrapSlip Parse(JsonElement root, IReadOnlyList<ScenarioSegment> segments, int scenarioSeed, string source)
    {
        if (!root.TryGetProperty("strap", out var e)) return StrapSlip.None;
        const string where = "strap";
        if (e.ValueKind != JsonValueKind.Object) throw Fail(source, "\"strap\" must be an object");
        CheckFields(e, Fields, source, where);
        var duration = segments[^1].End;

        var shifts = new List<StrapShift>();
        if (e.TryGetProperty("shifts", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array) throw Fail(source, "strap: \"shifts\" must be an array");
            var i = 0;
            foreach (var s in list.EnumerateArray()) shifts.Add(ParseShift(s, ++i, duration, source));
        }

        var chance = InRange(e, "shiftChance", 0, 0, 1, "", source, where);
        if (chance > 0)
        {
            var seed = e.TryGetProperty("seed", out var sd) ? Int(sd, "seed", source, where) : scenarioSeed;
            shifts.AddRange(SeededShifts(segments, chance, new Random(unchecked(seed * 3571 + 17))));
        }
        else if (e.TryGetProperty("seed", out _))
        {
            throw Fail(source, "strap: \"seed\" only applies with \"shiftChance\"");
        }

        return new StrapSlip
        {
            DriftPitchDegPerHour = InRange(e, "driftPerHour", 0, -StrapSlip.MaxDriftDegPerHour, StrapSlip.MaxDriftDegPerHour, " degrees an hour", source, where),
            Shifts = [.. shifts.OrderBy(s => s.At)],
        };
    }

    static StrapShift ParseShift(JsonElement s, int number, TimeSpan duration, string source)
    {
        var where = $"strap shift {number}";
        if (s.ValueKind != JsonValueKind.Object) throw Fail(source, $"{where} must be an object");
        CheckFields(s, ShiftFields, source, where);
        var at = Offset(s, "at", source, where);
        if (at >= duration) throw Fail(source, $"{where}: at {at} is not before the scenario's end {duration}");
        var pitch = InRange(s, "pitch", 0, -StrapSlip.MaxShiftDeg, StrapSlip.MaxShiftDeg, " degrees", source, where);
        var roll = InRange(s, "roll", 0, -StrapSlip.MaxShiftDeg, StrapSlip.MaxShiftDeg, " degrees", source, where);
        if (pitch == 0 && roll == 0) throw Fail(source, $"{where}: give the shift's \"pitch\" or \"roll\" (degrees)");
        var seconds = InRange(s, "seconds", 1, 0.2, 10, " s", source, where);
        return new StrapShift(at, pitch, roll, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>
    /// A shift, with the given chance, as the wearer gets up from sitting (to stand or walk) and
    /// as they bend to reach: 3-8° forward or back, a degree or two turned, from the seed.
    /// </summary>
    static IEnumerable<StrapShift> SeededShifts(IReadOnlyList<ScenarioSegment> segments, double chance, Random random)
    {
        for (var i = 1; i < segments.Count; i++)
        {
            var before = segments[i - 1].Activity;
            var now = segments[i].Activity;
            var standsUp = before == Activity.Sit && (now == Activity.Stand || now.IsWalking());
            // Draw for every boundary, so one segment more or less does not reshuffle the rest.
            var draw = random.NextDouble();
            var size = MinRandomShiftDeg + random.NextDouble() * (MaxRandomShiftDeg - MinRandomShiftDeg);
            var forward = random.NextDouble() < 0.5;
            var roll = (random.NextDouble() * 2 - 1) * 2;
            if ((standsUp || now == Activity.Bend) && draw < chance)
                yield return new StrapShift(segments[i].Start + RandomShiftDelay, forward ? size : -size, roll, RandomShiftLength);
        }
    }
}
