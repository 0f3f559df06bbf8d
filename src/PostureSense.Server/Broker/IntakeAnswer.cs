using MQTTnet.Protocol;
using MQTTnet.Server;
using PostureSense.Core.Contract;

namespace PostureSense.Server.Broker;

/// <summary>
/// Which publishes the embedded broker hands to the <see cref="IPublishIntake"/>, and how it then
/// answers them. MQTT 5 PUBACK reason codes have no "server busy": a refusal the device should
/// retry is <c>Quota exceeded</c> (no room) or <c>Unspecified error</c> (not stored in time).
/// </summary>
static class IntakeAnswer
{
    /// <summary>
    /// A device's telemetry, status and acks (the publish policy has checked the publisher).
    /// Only a status goes on to subscribers as well: it is retained, and the device reads its own
    /// back to answer a late will. Nobody else reads telemetry or acks, so the broker keeps no copy.
    /// </summary>
    public static bool Ingested(string topic, out bool keepForSubscribers)
    {
        keepForSubscribers = false;
        if (!Topics.TryParse(topic, out _, out var suffix)) return false;
        keepForSubscribers = suffix == Topics.Status;
        return suffix is Topics.Telemetry or Topics.Status or Topics.Ack;
    }

    public static void Apply(InterceptingPublishEventArgs e, IntakeVerdict verdict, bool keepForSubscribers)
    {
        switch (verdict)
        {
            case IntakeVerdict.Stored:
                e.ProcessPublish = keepForSubscribers;
                break;
            case IntakeVerdict.Full:
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
                e.Response.ReasonString = "the server has too many messages waiting to be stored; send it again later";
                break;
            case IntakeVerdict.NotStoredInTime:
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
                e.Response.ReasonString = "the server could not store it in time; send it again later";
                break;
            default:
                // No PUBACK at all: the connection is gone or closes, and any device keeps what was not acknowledged.
                e.ProcessPublish = false;
                e.CloseConnection = true;
                break;
        }
    }
}
