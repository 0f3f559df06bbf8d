using System.Net;
using Microsoft.Extensions.Logging;

namespace PostureSense.Server.Broker;

/// <summary>The embedded broker's log lines, generated: a refusal is checked on every publish.</summary>
static partial class BrokerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    public static partial void Listening(this ILogger logger, IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening with TLS on {Address}:{Port}, certificate {Subject} valid until {NotAfter:yyyy-MM-dd}")]
    public static partial void ListeningTls(this ILogger logger, IPAddress address, int port, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a publish to {Topic}: {Reason}")]
    public static partial void RefusedPublish(this ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an MQTT connection from {Endpoint}: {Reason}")]
    public static partial void RefusedConnection(this ILogger logger, string? endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a subscription: {Reason}")]
    public static partial void RefusedSubscription(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnecting client {ClientId}: it published {Size} bytes, over the broker's {Max}")]
    public static partial void DisconnectingOversized(this ILogger logger, string clientId, long size, int max);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientId} was gone before its disconnect")]
    public static partial void GoneBeforeDisconnect(this ILogger logger, Exception exception, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a publish from {ClientId} to {Topic} unstored, for the device to send again: {Reason}")]
    public static partial void RefusedUnstored(this ILogger logger, string clientId, string topic, string? reason);
}
