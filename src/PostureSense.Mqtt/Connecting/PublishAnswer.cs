using MQTTnet;

namespace PostureSense.Mqtt.Connecting;

/// <summary>How a broker answered a QoS 1 publish.</summary>
public enum PublishAnswer
{
    /// <summary>Taken (also with no subscriber: a session or the retained copy gets it).</summary>
    Accepted,

    /// <summary>Refused for now (busy, over a quota, could not store it yet): the same message may be taken later.</summary>
    RefusedForNow,

    /// <summary>Refused for what the message is (not authorized, bad topic or payload): sending it again changes nothing.</summary>
    Refused,
}

static class PublishAnswers
{
    /// <summary>
    /// MQTT 5 has no "server busy" for PUBACK: a broker that cannot take a message now says quota
    /// exceeded or unspecified error (the embedded broker does, when its store is behind).
    /// </summary>
    public static PublishAnswer Of(MqttClientPublishReasonCode code) => code switch
    {
        MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers => PublishAnswer.Accepted,
        MqttClientPublishReasonCode.QuotaExceeded or MqttClientPublishReasonCode.UnspecifiedError
            or MqttClientPublishReasonCode.PacketIdentifierInUse => PublishAnswer.RefusedForNow,
        _ => PublishAnswer.Refused,
    };
}
