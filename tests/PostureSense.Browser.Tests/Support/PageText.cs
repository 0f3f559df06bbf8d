using System.Globalization;
using System.Text.RegularExpressions;

namespace PostureSense.Browser.Tests.Support;

/// <summary>Numbers as a wearer reads them off the page: "72 %", "5.5 min", "3".</summary>
public static partial class PageText
{
    [GeneratedRegex(@"-?\d+(?:[.,]\d+)?")]
    private static partial Regex NumberPattern();

    public static double FirstNumber(string text)
    {
        var match = NumberPattern().Match(text);
        Assert.True(match.Success, $"no number in \"{text}\"");
        return double.Parse(match.Value.Replace(',', '.'), CultureInfo.InvariantCulture);
    }
}
