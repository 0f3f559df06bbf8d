using System.Globalization;
using System.Text.Json;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// Field readers for the scenario format: each problem becomes one line naming the file, the place
/// (<c>where</c>: "segment 3 (\"hunch\")", "sensor"...) and the field.
/// </summary>
internal static class ScenarioJson
{
    public static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static void CheckFields(JsonElement e, string[] known, string source, string where)
    {
        foreach (var p in e.EnumerateObject())
            if (!known.Contains(p.Name))
                throw Fail(source, $"{Prefix(where)}unknown field \"{p.Name}\" (known: {string.Join(", ", known)})");
    }

    public static string RequiredString(JsonElement e, string field, string source, string where) =>
        e.TryGetProperty(field, out var v) ? String(v, field, source, where) : throw Fail(source, $"{Prefix(where)}\"{field}\" is missing");

    public static string String(JsonElement v, string field, string source, string where) =>
        v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be a non-empty string");

    public static double Optional(JsonElement e, string field, double fallback, string source, string where) =>
        e.TryGetProperty(field, out var v) ? Number(v, field, source, where) : fallback;

    /// <summary>An optional number that must lie in [min, max].</summary>
    public static double InRange(JsonElement e, string field, double fallback, double min, double max, string unit, string source, string where)
    {
        var value = Optional(e, field, fallback, source, where);
        if (value < min || value > max)
            throw Fail(source, $"{Prefix(where)}{field} {value.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}{unit}");
        return value;
    }

    public static double Number(JsonElement v, string field, string source, string where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be a number, not {v.GetRawText()}");

    public static bool Bool(JsonElement v, string field, string source, string where) =>
        v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be true or false, not {v.GetRawText()}");

    public static int Int(JsonElement v, string field, string source, string where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? i
            : throw Fail(source, $"{Prefix(where)}\"{field}\" must be a whole number, not {v.GetRawText()}");

    /// <summary>An array of numbers, each in [min, max].</summary>
    public static double[] Numbers(JsonElement v, string field, double min, double max, string source, string where)
    {
        if (v.ValueKind != JsonValueKind.Array) throw Fail(source, $"{Prefix(where)}\"{field}\" must be an array of numbers, not {v.GetRawText()}");
        var values = v.EnumerateArray().Select(n => Number(n, field, source, where)).ToArray();
        foreach (var n in values)
            if (n < min || n > max)
                throw Fail(source, $"{Prefix(where)}{field}: {n.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
        return values;
    }

    /// <summary>An offset from the scenario start: seconds as a number, or "m:ss" / "h:mm:ss".</summary>
    public static TimeSpan Offset(JsonElement parent, string field, string source, string where)
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

    public static string Prefix(string where) => where.Length == 0 ? "" : where + ": ";

    public static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public static ScenarioException Fail(string source, string message) => new($"{source}: {message}");
}
