using PostureSense.Core.Contract;
using Microsoft.Extensions.Logging;

namespace PostureSense.Storage;

/// <summary>The store's log lines, generated: they sit on the write path of every batch.</summary>
static partial class StoreLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {What} (attempt {Attempt}); retrying in {Delay}")]
    public static partial void StoreRetrying(this ILogger logger, Exception exception, string what, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {What} after {Attempts} attempts")]
    public static partial void StoredAfterRetries(this ILogger logger, string what, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB refused {Points} points as too large; sending them in two halves")]
    public static partial void InfluxSplitting(this ILogger logger, int points);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write of {Points} points failed (attempt {Attempt} of {MaxAttempts}): {Failure}; retrying in {Delay}")]
    public static partial void InfluxWriteRetrying(this ILogger logger, int points, int attempt, int maxAttempts, string failure, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB refused {Dropped} of {Sent} points for good ({Status}): {Error}")]
    public static partial void InfluxDropped(this ILogger logger, string dropped, int sent, int status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ack from {DeviceId} has a command id that cannot be a tag value (newline or trailing backslash); " +
                                                       "stored without the command tag, so another such ack in the same millisecond would replace it")]
    public static partial void InfluxUntaggedAck(this ILogger logger, DeviceId deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused the {Kind} of {DeviceId} for good ({Reason}); {Outcome} {Where}. " +
                                                     "Later refusals for the same reason are logged at debug level")]
    public static partial void StoreDeadLettered(this ILogger logger, Exception exception, string kind, DeviceId deviceId, string reason, string outcome, string where);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The store refused the {Kind} of {DeviceId} for good ({Reason}): {Error}")]
    public static partial void StoreDeadLetteredAgain(this ILogger logger, string kind, DeviceId deviceId, string reason, string error);
}
