namespace PostureSense.Storage.Influx;

/// <summary>
/// Line protocol for one write call, with where each point ends. A quoted string field may hold
/// a newline, so points cannot be found again by splitting on '\n': chunking and the 413 split
/// cut at these recorded ends instead.
/// </summary>
public sealed class InfluxPoints
{
    readonly LineProtocolWriter _writer = new();
    readonly List<int> _ends = [];
    string? _text;

    public int Count => _ends.Count;

    /// <summary>Starts a point; finish it with <see cref="End"/>.</summary>
    public LineProtocolWriter Point(string measurement)
    {
        _text = null;
        return _writer.Measurement(measurement);
    }

    /// <summary>Ends the point begun with <see cref="Point"/>; a point left with no field is dropped.</summary>
    public void End(long timestampMs)
    {
        if (_writer.End(timestampMs)) _ends.Add(_writer.Output.Length);
    }

    /// <summary>Points [from, to) as text.</summary>
    public ReadOnlySpan<char> Text(int from, int to)
    {
        _text ??= _writer.Output.ToString();
        var start = from == 0 ? 0 : _ends[from - 1];
        return _text.AsSpan(start, _ends[to - 1] - start);
    }

    /// <summary>Characters in points [from, to).</summary>
    public int Length(int from, int to) => to <= from ? 0 : _ends[to - 1] - (from == 0 ? 0 : _ends[from - 1]);

    public override string ToString() => _writer.Output.ToString();
}
