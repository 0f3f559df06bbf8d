using System.Net;
using Microsoft.Data.Sqlite;
using PostureSense.Storage.Influx;

namespace PostureSense.Storage.DeadLetters;

/// <summary>
/// Tells a write that can never succeed from one that may succeed later. Only the first kind is
/// dead-lettered; everything else (a server down, a timeout, a full disk, 5xx, 408, 429) is
/// retried, because giving up on it would lose what a minute's wait would have stored.
/// </summary>
public static class StoreRefusals
{
    // SQLite result codes (sqlite3.h): the row itself is what the database refuses.
    const int SqliteTooBig = 18, SqliteConstraint = 19, SqliteMismatch = 20, SqliteRange = 25;

    /// <summary>The <see cref="DeadLetterReasons"/> key when <paramref name="error"/> can never succeed; null when it may.</summary>
    public static string? PermanentReason(Exception error) => error switch
    {
        StoreWriteRefusedException refused => refused.Reason,
        InfluxWriteException { Status: { } status } influx when IsPermanent(status) =>
            influx.Message.Contains("outside range", StringComparison.OrdinalIgnoreCase) ? DeadLetterReasons.OutOfRange : DeadLetterReasons.Refused,
        SqliteException { SqliteErrorCode: SqliteRange } => DeadLetterReasons.OutOfRange,
        SqliteException { SqliteErrorCode: SqliteConstraint or SqliteMismatch or SqliteTooBig } => DeadLetterReasons.Constraint,
        ArgumentOutOfRangeException or OverflowException => DeadLetterReasons.OutOfRange,
        // Microsoft.Data.Sqlite refuses to bind NaN ("Cannot store 'NaN' values") before SQLite sees it.
        InvalidOperationException { Source: "Microsoft.Data.Sqlite" } nan when nan.Message.Contains("NaN", StringComparison.Ordinal) =>
            DeadLetterReasons.OutOfRange,
        _ => null,
    };

    /// <summary>
    /// A 4xx but 408 (timeout) and 429 (slow down), which ask for another try, and but 401, 403
    /// and 404, which say the store is set up wrong (credentials, database): every write would
    /// fail alike until an operator fixes it, so they wait for the fix instead of dead-lettering
    /// the whole fleet's data.
    /// </summary>
    static bool IsPermanent(HttpStatusCode status) =>
        (int)status is >= 400 and < 500
        && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound);
}

/// <summary>A store's own verdict that a write can never succeed (a partial write naming the points it dropped).</summary>
public sealed class StoreWriteRefusedException(string reason, string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>A <see cref="DeadLetterReasons"/> key.</summary>
    public string Reason { get; } = reason;
}
