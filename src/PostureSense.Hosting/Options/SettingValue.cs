using System.Globalization;

namespace PostureSense.Hosting.Options;

/// <summary>
/// Whether a value from any layer converts to its option's type, checked before binding so that a
/// bad value is reported with where it came from, together with every other problem.
/// </summary>
static class SettingValue
{
    /// <summary>What a value of <paramref name="type"/> must look like; null when any text will do.</summary>
    public static string? Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        _ => null,
    };

    public static bool Converts(string value, Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        var t when t == typeof(bool) => bool.TryParse(value, out _),
        _ => true,
    };

    /// <summary>Options that take several values (<c>--scenario a --scenario b</c>) bind to a list.</summary>
    public static bool IsList(System.CommandLine.Option option) => option.Arity.MaximumNumberOfValues > 1;
}
