using PostureSense.Core.Contract;
using Microsoft.Extensions.Logging;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// Ingestion's log lines, generated: they are written per message, where a formatted call would
/// box its arguments and allocate even when the level is off.
/// </summary>
static partial class IngestionLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Endpoint} not reachable yet; retrying in the background")]
    public static partial void BrokerNotReachableYet(this ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Disconnect from {Endpoint} failed")]
    public static partial void DisconnectFailed(this ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed on {Endpoint} to {Topics}")]
    public static partial void Subscribed(this ILogger logger, string endpoint, string topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Endpoint} to publish commands and configs; devices' messages are taken inside the embedded broker")]
    public static partial void ConnectedToPublish(this ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed to take a message on {Topic}")]
    public static partial void TakeFailed(this ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing after storing a message on {Topic} failed")]
    public static partial void ProcessingAfterStoreFailed(this ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} is {State}")]
    public static partial void DeviceState(this ILogger logger, DeviceId deviceId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} acked {CommandId}: {Status}")]
    public static partial void DeviceAcked(this ILogger logger, DeviceId deviceId, string commandId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped frame {Index} (ts {Ts}) of batch {Seq} from {DeviceId}: {Reason}")]
    public static partial void DroppedFrame(this ILogger logger, int index, long ts, long seq, DeviceId deviceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a message on {Topic} ({Reason}): {Detail}")]
    public static partial void Rejected(this ILogger logger, string topic, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "A FramesStored handler failed")]
    public static partial void FramesStoredHandlerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "An AckReceived handler failed")]
    public static partial void AckReceivedHandlerFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A write still in flight at shutdown failed")]
    public static partial void InFlightWriteFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not acknowledge a message on {Topic}")]
    public static partial void AcknowledgeFailed(this ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Endpoint} no longer had the server's session: the server was away about {Outage} (since {Since:u}), " +
                                                       "longer than the session expiry {Expiry} or the broker lost its state; what devices sent meanwhile is lost")]
    public static partial void SessionLost(this ILogger logger, string endpoint, string outage, DateTimeOffset since, string expiry);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cannot read {Path}")]
    public static partial void SessionNoteUnreadable(this ILogger logger, Exception exception, string? path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cannot note the MQTT session in {Path}")]
    public static partial void SessionNoteUnwritable(this ILogger logger, Exception exception, string? path);
}
