using System.Security.Cryptography.X509Certificates;
using PostureSense.Core.Configuration;

namespace PostureSense.Mqtt.Connecting;

/// <summary>Where an <see cref="MqttLink"/> connects, as whom, and what its session keeps.</summary>
public sealed record MqttLinkOptions
{
    /// <summary><c>mqtt://</c> or <c>mqtts://[user:pass@]host:port</c>; the password is sent, never logged.</summary>
    public required MqttBrokerAddress Broker { get; init; }

    public required string ClientId { get; init; }

    /// <summary>CA certificates to trust besides the system's, for a broker with a private CA (mqtts:// only).</summary>
    public X509Certificate2Collection? BrokerCa { get; init; }

    public MqttSession Session { get; init; } = MqttSession.Clean;

    /// <summary>What the broker publishes for this client when the connection is lost without a DISCONNECT.</summary>
    public MqttWill? Will { get; init; }

    /// <summary>Topic filters (<c>$share/group/...</c> too) subscribed at QoS 1 on every connect.</summary>
    public IReadOnlyList<string> Subscriptions { get; init; } = [];

    /// <summary>
    /// When set, a message is acknowledged (PUBACK) only when the receiver calls
    /// <see cref="Receiving.ReceivedMessage.AcknowledgeAsync"/>, in the order messages arrived:
    /// what is not acknowledged is delivered again to a persistent session.
    /// </summary>
    public bool ManualAcknowledge { get; init; }

    /// <summary>
    /// How many QoS 1 messages the broker may send before this client acknowledges any (MQTT 5
    /// Receive Maximum); null leaves it to the broker (mosquitto then allows 20). A receiver that
    /// acknowledges only once a batch is stored needs room for a whole batch in flight, or the broker
    /// hands it 20 messages per store round trip and keeps the rest queued.
    /// </summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>
    /// The socket's receive and send buffer, bytes. The MQTT client sets both on its socket (8 KiB by
    /// default), which turns off the kernel's own sizing. With 10,000 devices behind a broker on the
    /// same machine, a server on 8 KiB was seen taking 80 messages a second of the 2,000 sent: the
    /// broker's socket was held to a 6.7 KB window 95% of the time with 3.7 MB waiting, and its ping
    /// answers queued behind. The kernel caps the value at <c>net.core.rmem_max</c>/<c>wmem_max</c>.
    /// </summary>
    public int SocketBufferBytes { get; init; } = DefaultSocketBufferBytes;

    public const int DefaultSocketBufferBytes = 1024 * 1024;

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a connect, subscribe or publish may wait for the broker's answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a connected link checks that the broker still answers.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(5);

    public ReconnectBackoff Backoff { get; init; } = ReconnectBackoff.Default;

    /// <summary>Where the operator sets the user and password, named when the broker refuses them.</summary>
    public string CredentialsSource { get; init; } = "--mqtt";

    /// <summary>Where the operator gives the CA certificate, named when the broker's certificate is not trusted.</summary>
    public string CaSource { get; init; } = "--mqtt-ca";
}

/// <summary>Whether the broker keeps the subscriptions and undelivered messages between connections.</summary>
/// <param name="CleanStart">True: every connection starts afresh and nothing waits while away.</param>
/// <param name="Expiry">How long the broker keeps a persistent session after the connection ends.</param>
public sealed record MqttSession(bool CleanStart, TimeSpan Expiry)
{
    public static MqttSession Clean { get; } = new(true, TimeSpan.Zero);

    /// <summary>Clean start off: QoS 1 messages published while away wait for the next connection.</summary>
    public static MqttSession Persistent(TimeSpan expiry) => new(false, expiry);
}

/// <summary>A will message: sent by the broker, QoS 1, when this client vanishes.</summary>
public sealed record MqttWill(string Topic, byte[] Payload, bool Retain = true);
