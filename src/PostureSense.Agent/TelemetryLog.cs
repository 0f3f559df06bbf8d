using Microsoft.Extensions.Logging;

namespace PostureSense.Agent;

/// <summary>
/// The telemetry path's log lines, generated: they sit in the loops that handle every batch, where
/// a formatted call would box its arguments even with the level off.
/// </summary>
static partial class TelemetryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending telemetry to {Endpoint} failed: {Error}")]
    public static partial void SendFailed(this ILogger logger, string endpoint, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending telemetry to {Endpoint} stopped, the connection is gone: {Error}")]
    public static partial void SendStopped(this ILogger logger, string endpoint, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Broker refused telemetry batch {Seq}; dropping it")]
    public static partial void BatchRefused(this ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker cannot take telemetry batch {Seq} yet; keeping it, trying again in {Delay:0.0} s")]
    public static partial void BatchRefusedForNow(this ILogger logger, long seq, double delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox full ({Max} frames): dropped the oldest telemetry batch {Seq} ({Count} frames); {Dropped} dropped since start")]
    public static partial void OutboxFull(this ILogger logger, int max, long seq, int count, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox write failed, {Count} frames lost: {Error}")]
    public static partial void OutboxWriteFailed(this ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The system clock is not synchronized: frames are held ({Held} so far) and sent once network time has set it")]
    public static partial void ClockNotSynchronized(this ILogger logger, int held);

    [LoggerMessage(Level = LogLevel.Information, Message = "The system clock is synchronized: {Count} frames go out on its time")]
    public static partial void ClockSynchronized(this ILogger logger, int count);
}
