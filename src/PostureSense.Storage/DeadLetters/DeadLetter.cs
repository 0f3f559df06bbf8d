using PostureSense.Core.Contract;

namespace PostureSense.Storage.DeadLetters;

/// <summary>
/// A message the store refused in a way no retry can change, kept instead of stored so that
/// nothing else waits on it and an operator can see (and replay, once fixed) what it was.
/// </summary>
/// <param name="Ts">When it was set aside, Unix ms on the server's clock.</param>
/// <param name="Kind">What the message was: <c>frames</c>, <c>status</c>, <c>ack</c> or <c>prompt</c>.</param>
/// <param name="Reason">A short stable key (<see cref="DeadLetterReasons"/>), for counting.</param>
/// <param name="Error">The store's own words.</param>
/// <param name="Write">The write as JSON, so nothing of it is lost.</param>
public sealed record DeadLetter(long Ts, DeviceId DeviceId, string Kind, string Reason, string Error, string Write);

/// <summary>Why a write can never succeed, as stable keys for counters.</summary>
public static class DeadLetterReasons
{
    /// <summary>A value the store cannot represent: a time outside InfluxDB's range, an integer too big for SQLite.</summary>
    public const string OutOfRange = "out-of-range";
    /// <summary>A row the database's constraints refuse (SQLite constraint, type mismatch, too big).</summary>
    public const string Constraint = "constraint";
    /// <summary>A request the time series database refused for good (InfluxDB 4xx: unparsable, type conflict, beyond retention).</summary>
    public const string Refused = "refused";
}
