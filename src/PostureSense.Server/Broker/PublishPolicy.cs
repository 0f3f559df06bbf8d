using PostureSense.Core.Contract;
using PostureSense.Server.Configuration;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Broker;

/// <summary>
/// Who may publish what under <c>posturesense/v1/</c>: a device only its own telemetry, status and
/// acks (its client id is its device id), the server only commands and config. Topics outside the
/// root are left alone: the embedded broker is an ordinary broker for everything else.
/// </summary>
public static class PublishPolicy
{
    /// <summary>Null when allowed, else why not.</summary>
    public static PublishRefusal? Check(string clientId, string topic)
    {
        if (!topic.StartsWith(Topics.Root, StringComparison.Ordinal)) return null;
        if (!Topics.TryParse(topic, out var deviceId, out var suffix))
            return new(RejectionReasons.UnknownTopic, $"'{topic}' is not posturesense/v1/{{device id}}/{{suffix}} with a valid device id");
        return suffix switch
        {
            Topics.Telemetry or Topics.Status or Topics.Ack when clientId != deviceId.Value => new(RejectionReasons.WrongPublisher,
                $"client '{clientId}' may not publish under device '{deviceId}': a device publishes only under its own id"),
            Topics.Telemetry or Topics.Status or Topics.Ack => null,
            Topics.Command or Topics.Config when !ServerClient.IsServer(clientId) => new(RejectionReasons.WrongPublisher,
                $"client '{clientId}' may not publish {suffix}: only the server sends commands and config"),
            Topics.Command or Topics.Config => null,
            _ => new(RejectionReasons.UnknownTopic, $"'{suffix}' is not a v1 topic"),
        };
    }
}

/// <param name="Reason">A <see cref="RejectionReasons"/> key.</param>
public sealed record PublishRefusal(string Reason, string Detail);
