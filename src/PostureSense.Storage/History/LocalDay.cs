namespace PostureSense.Storage.History;

/// <summary>
/// A calendar day in the server clock's time zone, as a range of Unix milliseconds. Days are not
/// always 24 h long: on a daylight-saving change they are 23 or 25.
/// </summary>
public readonly record struct LocalDay(DateOnly Date, long FromTs, long ToTs)
{
    public const string Format = "yyyy-MM-dd";

    public static LocalDay Of(DateOnly date, TimeZoneInfo zone) =>
        new(date, StartOf(date, zone), StartOf(date.AddDays(1), zone));

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone).DateTime);

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
