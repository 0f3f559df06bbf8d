using System.Globalization;
using System.Text;

namespace PostureSense.Storage.Influx;

/// <summary>
/// Quoting for InfluxQL text. Device ids and enums are validated before they get here, but every
/// value is quoted anyway: a query must never be shaped by data.
/// </summary>
public static class InfluxQl
{
    // InfluxDB keeps nanoseconds in an int64: about 1677 to 2262. Millisecond bounds outside it are clamped.
    const long MinMs = 0;
    const long MaxMs = long.MaxValue / 1_000_000 - 1;

    /// <summary>A string literal: <c>'...'</c> with backslash, quote and newline escaped as the InfluxQL scanner reads them.</summary>
    public static string Literal(string value) => Quote(value, '\'');

    /// <summary>A quoted identifier: <c>"..."</c>.</summary>
    public static string Identifier(string name) => Quote(name, '"');

    /// <summary><c>time &gt;= fromms AND time &lt; toms</c>, clamped to what InfluxDB can store.</summary>
    public static string TimeRange(long fromTs, long toTs) =>
        string.Create(CultureInfo.InvariantCulture, $"time >= {Math.Clamp(fromTs, MinMs, MaxMs)}ms AND time < {Math.Clamp(toTs, MinMs, MaxMs)}ms");

    /// <summary>Whether [fromTs, toTs) holds any time InfluxDB can store.</summary>
    public static bool IsEmptyRange(long fromTs, long toTs) => toTs <= fromTs || toTs <= MinMs || fromTs > MaxMs;

    static string Quote(string value, char quote)
    {
        var text = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\n': text.Append(@"\n"); break;
                case '\'' or '"' when c == quote: text.Append('\\').Append(c); break;
                default: text.Append(c); break;
            }
        }
        return text.Append(quote).ToString();
    }
}
