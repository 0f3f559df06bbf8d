namespace PostureSense.Storage.History;

/// <summary>
/// A calendar day in a time zone (the wearer's), as a range of Unix milliseconds. Days are not
/// always 24 h long: on a daylight-saving change they are 23 or 25.
/// </summary>
public readonly record struct LocalDay(DateOnly Date, long FromTs, long ToTs)
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>No device can have data before this day: older dates are a mistake, not an empty day.</summary>
    public static readonly DateOnly First = new(2000, 1, 1);

    public static LocalDay Of(DateOnly date, TimeZoneInfo zone) =>
        new(date, StartOf(date, zone), StartOf(date.AddDays(1), zone));

    public static DateOnly Today(TimeProvider clock) => Today(clock, clock.LocalTimeZone);

    public static DateOnly Today(TimeProvider clock, TimeZoneInfo zone) => DayOf(clock.GetUtcNow(), zone);

    /// <summary>The day an instant falls on in <paramref name="zone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// A day that can be asked for: a date from <see cref="First"/> to the day after
    /// <paramref name="today"/> (the wearer's tomorrow may already have begun somewhere they travel).
    /// Anything else gets <paramref name="error"/>, worded for the wearer; dates at the ends of the
    /// calendar would otherwise overflow when the day's end is worked out.
    /// </summary>
    public static bool TryParseInRange(string? text, DateOnly today, out DateOnly date, out string? error)
    {
        error = null;
        if (!TryParse(text, out date))
        {
            error = $"'{text}' is not a date; use yyyy-MM-dd";
            return false;
        }
        var last = today.AddDays(1);
        if (date >= First && date <= last) return true;
        error = $"{date.ToString(Format, System.Globalization.CultureInfo.InvariantCulture)} is out of range: days from "
                + $"{First.ToString(Format, System.Globalization.CultureInfo.InvariantCulture)} to {last.ToString(Format, System.Globalization.CultureInfo.InvariantCulture)}";
        return false;
    }

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, Format, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out date);

    /// <summary>The first instant of the day; where midnight falls in a DST gap, the first valid minute after it.</summary>
    static long StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }
}
