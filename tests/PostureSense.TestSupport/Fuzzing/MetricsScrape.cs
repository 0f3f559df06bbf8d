using System.Globalization;
using System.Text.RegularExpressions;

namespace PostureSense.TestSupport.Fuzzing;

/// <summary>Counters by one label from a Prometheus text scrape (<c>/metrics</c>).</summary>
public static partial class MetricsScrape
{
    /// <summary>The values of <paramref name="metric"/> summed by <paramref name="label"/>.</summary>
    public static Dictionary<string, long> ByLabel(string scrape, string metric, string label)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal)) continue;
            var close = line.LastIndexOf('}');
            var value = Match(line[(close + 1)..].Trim().Split(' ')[0]);
            var key = Regex.Match(line[..close], label + "=\"([^\"]*)\"").Groups[1].Value;
            counts[key] = counts.GetValueOrDefault(key) + value;
        }
        return counts;
    }

    static long Match(string number) => (long)double.Parse(number, CultureInfo.InvariantCulture);
}
