using System.Globalization;
using System.Text;

namespace PostureSense.Storage.Influx;

/// <summary>
/// Writes InfluxDB line protocol, one point per line:
/// <c>measurement[,tag=value...] field=value[,field=value...] timestamp</c>.
/// Follows the spec: measurement names escape commas and spaces; tag keys, tag values and field
/// keys also escape equals signs; string fields are quoted with quotes and backslashes escaped;
/// tags are sorted ordinally (Go's bytes.Compare, which the server's index expects); integers
/// carry an <c>i</c>; NaN and infinities are never written (a point left with no field is
/// dropped whole). A quoted string field may hold newlines (InfluxDB reads them back exactly); a
/// name or tag value cannot hold one, nor end in a backslash (it would escape the separator after
/// it), in any escaping, so such a value is refused rather than stored altered. Only validated
/// values (device ids, enums) belong in tags; free text goes in string fields.
/// </summary>
public sealed class LineProtocolWriter(StringBuilder output)
{
    readonly List<KeyValuePair<string, string>> _tags = [];
    int _lineStart = -1;
    int _fields;

    public StringBuilder Output { get; } = output;

    /// <summary>Points completed so far.</summary>
    public int Points { get; private set; }

    public LineProtocolWriter() : this(new StringBuilder()) { }

    public LineProtocolWriter Measurement(string name)
    {
        if (_lineStart >= 0) throw new InvalidOperationException("the previous point was not finished with End");
        RequireRepresentable(name, nameof(name));
        _lineStart = Output.Length;
        _fields = 0;
        _tags.Clear();
        Escape(name, Output, EscapeSet.Measurement);
        return this;
    }

    /// <summary>Adds a tag; an empty value is left out (InfluxDB does not store empty tags).</summary>
    public LineProtocolWriter Tag(string key, string? value)
    {
        RequireOpen();
        if (_fields > 0) throw new InvalidOperationException("tags come before fields");
        RequireRepresentable(key, nameof(key));
        if (string.IsNullOrEmpty(value)) return this;
        RequireRepresentable(value, nameof(value));
        _tags.Add(new(key, value));
        return this;
    }

    public LineProtocolWriter Field(string key, double value)
    {
        if (!double.IsFinite(value)) return Skip();
        FieldKey(key);
        // "R" round-trips; InfluxDB reads exponents, so 1E-05 is fine.
        Output.Append(value.ToString("R", CultureInfo.InvariantCulture));
        return this;
    }

    public LineProtocolWriter Field(string key, long value)
    {
        FieldKey(key);
        Output.Append(value.ToString(CultureInfo.InvariantCulture)).Append('i');
        return this;
    }

    public LineProtocolWriter Field(string key, bool value)
    {
        FieldKey(key);
        Output.Append(value ? "true" : "false");
        return this;
    }

    public LineProtocolWriter Field(string key, string? value)
    {
        if (value is null) return Skip();
        FieldKey(key);
        Output.Append('"');
        Escape(value, Output, EscapeSet.StringField);
        Output.Append('"');
        return this;
    }

    /// <summary>Ends the point with a millisecond timestamp; returns false if it had no field and was dropped.</summary>
    public bool End(long timestampMs)
    {
        RequireOpen();
        var start = _lineStart;
        _lineStart = -1;
        if (_fields == 0)
        {
            Output.Length = start;
            return false;
        }
        Output.Append(' ').Append(timestampMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Points++;
        return true;
    }

    void FieldKey(string key)
    {
        RequireOpen();
        RequireRepresentable(key, nameof(key));
        if (_fields == 0) WriteTags();
        Output.Append(_fields == 0 ? ' ' : ',');
        Escape(key, Output, EscapeSet.Key);
        Output.Append('=');
        _fields++;
    }

    void WriteTags()
    {
        _tags.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (key, value) in _tags)
        {
            Output.Append(',');
            Escape(key, Output, EscapeSet.Key);
            Output.Append('=');
            Escape(value, Output, EscapeSet.Key);
        }
    }

    LineProtocolWriter Skip()
    {
        RequireOpen();
        return this;
    }

    void RequireOpen()
    {
        if (_lineStart < 0) throw new InvalidOperationException("start a point with Measurement first");
    }

    /// <summary>Whether a name or tag value can be written so that InfluxDB reads back exactly it.</summary>
    public static bool IsRepresentable(string? text) =>
        !string.IsNullOrEmpty(text) && text.AsSpan().IndexOfAny('\n', '\r') < 0 && text[^1] != '\\';

    static void RequireRepresentable(string? text, string what)
    {
        if (!IsRepresentable(text))
            throw new ArgumentException($"'{text}' cannot be a line-protocol name or tag value: empty, a newline, or a trailing backslash", what);
    }

    enum EscapeSet { Measurement, Key, StringField }

    static void Escape(string text, StringBuilder output, EscapeSet set)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case ',' or ' ' when set != EscapeSet.StringField:
                case '=' when set == EscapeSet.Key:
                case '"' or '\\' when set == EscapeSet.StringField:
                    output.Append('\\');
                    break;
            }
            output.Append(c);
        }
    }
}
