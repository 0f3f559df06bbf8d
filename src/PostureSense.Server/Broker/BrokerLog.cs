using System.Net;
using Microsoft.Extensions.Logging;

namespace PostureSense.Server.Broker;

/// <summary>The embedded broker's log lines, generated: a refusal is checked on every publish.</summary>
static partial class BrokerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    public static partial void Listening(this ILogger logger, IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a publish to {Topic}: {Reason}")]
    public static partial void RefusedPublish(this ILogger logger, string topic, string reason);
}
