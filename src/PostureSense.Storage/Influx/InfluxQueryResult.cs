using System.Text.Json;

namespace PostureSense.Storage.Influx;

/// <summary>
/// The JSON answer of <c>/query</c>: <c>{"results":[{"statement_id":0,"series":[{"name","tags",
/// "columns","values":[[...]], "partial"}]}]}</c>. Held as one <see cref="JsonDocument"/>, so a
/// day of frames is parsed once and numbers are read in place, without an object per value.
/// </summary>
public sealed class InfluxQueryResult(JsonDocument document) : IDisposable
{
    /// <summary>The series of statement <paramref name="index"/> (0-based, in the order sent).</summary>
    public IEnumerable<InfluxSeries> Series(int index = 0)
    {
        var results = document.RootElement.GetProperty("results");
        if (index >= results.GetArrayLength()) yield break;
        if (!results[index].TryGetProperty("series", out var series)) yield break;
        foreach (var s in series.EnumerateArray()) yield return new InfluxSeries(s);
    }

    /// <summary>The first error InfluxDB put in the answer, top level or per statement.</summary>
    public static string? Error(JsonElement root)
    {
        if (root.TryGetProperty("error", out var top)) return top.GetString();
        if (!root.TryGetProperty("results", out var results)) return "the answer has no results";
        foreach (var result in results.EnumerateArray())
            if (result.TryGetProperty("error", out var error)) return error.GetString();
        return null;
    }

    public void Dispose() => document.Dispose();
}

/// <summary>One series of a query answer: rows of values in the order of <see cref="Column"/>.</summary>
public readonly struct InfluxSeries(JsonElement series)
{
    public string? Tag(string key) =>
        series.TryGetProperty("tags", out var tags) && tags.TryGetProperty(key, out var value) ? value.GetString() : null;

    /// <summary>The index of a column, or -1.</summary>
    public int Column(string name)
    {
        var i = 0;
        foreach (var column in series.GetProperty("columns").EnumerateArray())
        {
            if (column.ValueEquals(name)) return i;
            i++;
        }
        return -1;
    }

    /// <summary>True when the server cut the answer short (its max-row-limit); the rest needs another query.</summary>
    public bool Partial => series.TryGetProperty("partial", out var p) && p.ValueKind == JsonValueKind.True;

    public int Count => series.TryGetProperty("values", out var values) ? values.GetArrayLength() : 0;

    public JsonElement.ArrayEnumerator Rows =>
        series.TryGetProperty("values", out var values) ? values.EnumerateArray() : default;

    public static long Long(JsonElement row, int column) => row[column].GetInt64();

    public static long? LongOrNull(JsonElement row, int column) =>
        column >= 0 && row[column].ValueKind == JsonValueKind.Number ? row[column].GetInt64() : null;

    /// <summary>A float field; a field left out of the point (a NaN never written) reads as NaN.</summary>
    public static double Double(JsonElement row, int column) =>
        row[column].ValueKind == JsonValueKind.Number ? row[column].GetDouble() : double.NaN;

    public static string? String(JsonElement row, int column) =>
        column >= 0 && row[column].ValueKind == JsonValueKind.String ? row[column].GetString() : null;

    public static bool? Bool(JsonElement row, int column) =>
        column >= 0 ? row[column].ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;
}
