namespace PostureSense.Core.Contract;

/// <summary>
/// The one window every timestamp of every message must fall in: not before 2020 and not more
/// than <see cref="ContractLimits.MaxFutureSkew"/> ahead of the receiver's clock. Every parser
/// checks its timestamps here, so a message no store can keep (InfluxDB ends in 2262) or that
/// would outrank every honest one ("the newest ack wins", "the newest config wins") never gets in.
/// </summary>
public static class TimestampWindow
{
    /// <summary>The latest timestamp accepted when the receiver's clock reads <paramref name="now"/>.</summary>
    public static long Latest(DateTimeOffset now) => now.ToUnixTimeMilliseconds() + (long)ContractLimits.MaxFutureSkew.TotalMilliseconds;

    /// <summary>What is wrong with <paramref name="ts"/>, worded with the field's name; null when it is in the window.</summary>
    public static string? Problem(string field, long ts, DateTimeOffset now) => Problem(field, ts, Latest(now));

    /// <summary>As <see cref="Problem(string, long, DateTimeOffset)"/>, with the upper bound worked out once for many.</summary>
    public static string? Problem(string field, long ts, long latest)
    {
        if (ts < ContractLimits.MinPlausibleTs) return $"{field} {ts} is before 2020: the device clock is not set";
        if (ts > latest) return $"{field} {ts} is more than {ContractLimits.MaxFutureSkew.TotalMinutes:0} min in the future";
        return null;
    }

    /// <summary>The same for an optional timestamp: absent is fine.</summary>
    public static string? Problem(string field, long? ts, DateTimeOffset now) => ts is { } value ? Problem(field, value, now) : null;
}
