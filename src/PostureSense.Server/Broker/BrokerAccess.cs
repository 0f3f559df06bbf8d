using MQTTnet.Protocol;
using PostureSense.Accounts.Devices;
using PostureSense.Core.Contract;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Broker;

/// <summary>
/// Who may connect to the embedded broker and subscribe to what, by the rules of the shipped
/// mosquitto ACL: a device connects with its id as client id and username and the password
/// provisioning gave it, and subscribes only to its own <c>cmd</c>, <c>config</c> and <c>status</c>; only the
/// server's own client (<see cref="ServerCredential"/>) uses the server's ids and reads every device.
/// Once a connection is accepted its client id is proven, which is why <see cref="PublishPolicy"/>
/// may go by client id.
/// </summary>
public sealed class BrokerAccess(DeviceRegistry devices, ServerCredential server, bool allowUnprovisioned)
{
    public ServerCredential Server => server;

    /// <summary>Success, or why not (logged, and sent as the CONNACK's reason code).</summary>
    public async Task<ConnectVerdict> CheckConnectAsync(string clientId, string? userName, string? password, CancellationToken cancellationToken)
    {
        if (ServerClient.IsServer(clientId) || ServerClient.IsServer(userName))
            return ServerClient.IsServer(clientId) && server.Matches(userName, password)
                ? ConnectVerdict.Accept
                : new(MqttConnectReasonCode.NotAuthorized,
                    $"client '{clientId}' is refused: ids starting with {ServerClient.IdPrefix} belong to the server's own client");
        if (string.IsNullOrEmpty(userName))
        {
            if (!allowUnprovisioned)
                return new(MqttConnectReasonCode.BadUserNameOrPassword,
                    $"client '{clientId}' gave no username; a device connects with its id as username and the password from " +
                    $"'posturesense device add {(DeviceId.TryParse(clientId, out _) ? clientId : "<id>")}'");
            // A provisioned device keeps its password even in a trial: nobody may speak for it without.
            return await CheckPasswordAsync(clientId, null, cancellationToken) == BrokerLogin.NotProvisioned
                ? ConnectVerdict.Accept
                : new(MqttConnectReasonCode.BadUserNameOrPassword, $"device '{clientId}' is provisioned and must give its password");
        }
        if (userName != clientId)
            return new(MqttConnectReasonCode.ClientIdentifierNotValid,
                $"client '{clientId}' is refused: a device connects with its id as both client id and username (username '{userName}')");
        return await CheckPasswordAsync(userName, password, cancellationToken) switch
        {
            BrokerLogin.Accepted => ConnectVerdict.Accept,
            BrokerLogin.NotProvisioned when allowUnprovisioned => ConnectVerdict.Accept,
            BrokerLogin.NotProvisioned => new(MqttConnectReasonCode.BadUserNameOrPassword,
                $"device '{clientId}' is not provisioned; run 'posturesense device add {clientId}' (it prints the device's broker password " +
                "and pairing code), or start the server with --allow-unprovisioned-devices for a trial on one machine"),
            _ => new(MqttConnectReasonCode.BadUserNameOrPassword, $"device '{clientId}' gave a wrong password"),
        };
    }

    // An id no device can have was never provisioned.
    Task<BrokerLogin> CheckPasswordAsync(string id, string? password, CancellationToken cancellationToken) =>
        DeviceId.TryParse(id, out var device) ? devices.CheckPasswordAsync(device, password, cancellationToken) : Task.FromResult(BrokerLogin.NotProvisioned);

    /// <summary>Null when allowed, else why not. Topic filters that cannot reach <c>posturesense/v1/</c> are anyone's.</summary>
    public static string? CheckSubscribe(string clientId, string topicFilter)
    {
        // A shared subscription reaches what its filter after $share/GROUP/ reaches.
        var filter = topicFilter.StartsWith("$share/", StringComparison.Ordinal) && topicFilter.Split('/', 3) is [_, _, var rest] ? rest : topicFilter;
        if (ServerClient.IsServer(clientId) || !Reaches(filter, Topics.Root)) return null;
        // Its own status too: the agent reads it back, to answer a late will from its previous connection.
        if (DeviceId.TryParse(clientId, out var device)
            && (topicFilter == Topics.For(device, Topics.Command) || topicFilter == Topics.For(device, Topics.Config)
                || topicFilter == Topics.For(device, Topics.Status))) return null;
        return $"client '{clientId}' may not subscribe to '{topicFilter}': a device reads only its own cmd, config and status";
    }

    /// <summary>Whether some topic under <paramref name="root"/> (<c>a/b/</c>) matches the filter.</summary>
    static bool Reaches(string filter, string root)
    {
        var rootLevels = root.TrimEnd('/').Split('/');
        var levels = filter.Split('/');
        for (var i = 0; i < rootLevels.Length; i++)
        {
            if (i >= levels.Length) return false;
            if (levels[i] == "#") return true;
            if (levels[i] != "+" && levels[i] != rootLevels[i]) return false;
        }
        return levels.Length > rootLevels.Length;
    }
}

public sealed record ConnectVerdict(MqttConnectReasonCode ReasonCode, string? Refusal)
{
    public static ConnectVerdict Accept { get; } = new(MqttConnectReasonCode.Success, null);
}
