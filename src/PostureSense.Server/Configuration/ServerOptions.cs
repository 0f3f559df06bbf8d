using System.Net;
using PostureSense.Core.Configuration;
using PostureSense.Storage;

namespace PostureSense.Server.Configuration;

/// <summary>Everything the server needs to start; <see cref="ServerOptionsLoader"/> builds it from the command line, environment and appsettings.json.</summary>
public sealed record ServerOptions
{
    /// <summary>The external broker; null runs the embedded one.</summary>
    public MqttBrokerAddress? Mqtt { get; init; }

    /// <summary>With an mqtts:// broker: CA certificates to trust besides the system's, for a broker with a private CA (<c>--mqtt-ca</c>).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? MqttCa { get; init; }

    /// <summary>
    /// With an external broker that supports shared subscriptions: subscribe through
    /// <c>$share/GROUP/</c>, so several servers in the group split the devices' messages.
    /// </summary>
    public string? MqttShareGroup { get; init; }

    /// <summary>
    /// The Redis through which this node joins a cluster of server nodes (<c>--cluster</c>): each
    /// device's coach is then a grain that one node of the cluster holds. Null: one node alone, no silo.
    /// </summary>
    public ClusterAddress? Cluster { get; init; }

    /// <summary>Where this node's silo listens and is reached by the others (<c>--cluster-listen</c>).</summary>
    public ClusterEndpoint ClusterListen { get; init; } = ClusterEndpoint.Default;

    /// <summary>How patient the nodes are with a silent one (<c>--cluster-probe-timeout</c>, <c>--cluster-missed-probes</c>).</summary>
    public ClusterMembership ClusterMembership { get; init; } = ClusterMembership.Default;

    /// <summary>
    /// Mutual TLS between the silos (<c>--cluster-cert</c>, <c>--cluster-key</c>, <c>--cluster-ca</c>); null: plain,
    /// which the options allow only on loopback.
    /// </summary>
    public ClusterTls? ClusterTls { get; init; }

    /// <summary>
    /// How long the external broker keeps the server's session (its subscriptions and the messages
    /// queued for it) after the server goes away (<c>--session-expiry</c>). Devices drop a batch once
    /// the broker has it, so an outage longer than this loses what they sent meanwhile.
    /// </summary>
    public TimeSpan SessionExpiry { get; init; } = DefaultSessionExpiry;

    public static readonly TimeSpan DefaultSessionExpiry = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a device may send nothing before the server lets go of what it holds for it (its
    /// coach, its cached days) (<c>--device-idle</c>). A device that comes back gets its coach
    /// restored from the store, as after a restart.
    /// </summary>
    public TimeSpan DeviceIdle { get; init; } = DefaultDeviceIdle;

    public static readonly TimeSpan DefaultDeviceIdle = TimeSpan.FromHours(1);

    /// <summary>The embedded broker's address. Loopback by default, the fewer who can try a password the better.</summary>
    public IPAddress EmbeddedBrokerAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The embedded broker's port; 0 picks a free one (<see cref="PostureServer.MqttPort"/> tells which).</summary>
    public int EmbeddedBrokerPort { get; init; } = MqttBrokerAddress.DefaultPort;

    /// <summary>
    /// Whether the embedded broker also lets in devices nobody provisioned, with no password, as
    /// its client id says (<c>--allow-unprovisioned-devices</c>): for a trial on one machine only.
    /// Off, a device connects only with the password <c>posturesense device add</c> gave it.
    /// </summary>
    public bool AllowUnprovisionedDevices { get; init; }

    /// <summary>
    /// The largest MQTT packet the embedded broker takes (<c>--mqtt-max-packet</c>): a client that
    /// sends more is disconnected. The default leaves room for the contract's largest message, a
    /// 16 KiB telemetry batch, with its topic and headers twice over.
    /// </summary>
    public int EmbeddedBrokerMaxPacketSize { get; init; } = DefaultMaxPacketSize;

    public const int DefaultMaxPacketSize = 32 * 1024;

    /// <summary>
    /// The embedded broker's TLS listener, for devices on other machines (<c>--broker-listen mqtts://</c>
    /// with <c>--broker-cert</c> and <c>--broker-key</c>); null: none. The plain listener stays on loopback.
    /// </summary>
    public BrokerTlsListener? EmbeddedBrokerTls { get; init; }

    public StoreLocation Store { get; init; } = StoreLocation.Default;

    public HttpEndpoint Http { get; init; } = HttpEndpoint.Default;

    /// <summary>
    /// Where <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> listen: apart from the wearers'
    /// address, since they tell about the whole fleet. Loopback by default; port 0 picks a free one.
    /// </summary>
    public HttpEndpoint Management { get; init; } = HttpEndpoint.DefaultManagement;

    /// <summary>
    /// The app database (wearers, their devices and settings), a SQLite file. Null: beside a
    /// SQLite store (<c>posturesense.db</c> gives <c>posturesense-app.db</c>), else
    /// <c>posturesense-app.db</c> in the working directory.
    /// </summary>
    public string? AppDatabase { get; init; }

    /// <summary>Whether anyone who reaches the server may make an account (<c>POST /api/account/signup</c>).</summary>
    public bool SignUpOpen { get; init; } = true;

    /// <summary>
    /// How wearers and phones reach the server: the links in push notifications, the origin a
    /// browser's changing request must come from, and, when https, Secure cookies. Null: no links,
    /// and only the address a request was sent to counts as this server's origin.
    /// </summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Accounts that may see the fleet-wide <c>/api/stats</c>, besides those made operators in the app database.</summary>
    public IReadOnlyList<string> Operators { get; init; } = [];

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Empty
    /// (the default): those headers are ignored, whoever sends them.
    /// </summary>
    public IReadOnlyList<IPAddress> TrustedProxies { get; init; } = [];

    /// <summary>How hard push notifications are retried.</summary>
    public AlertDeliveryOptions AlertDelivery { get; init; } = new();

    /// <summary>The app database's path, resolved.</summary>
    public string AppDatabasePath => AppDatabase ?? Store.DefaultAppDatabase;

    /// <summary>The keys that sign session cookies and notification links, beside the app database so sessions survive a restart.</summary>
    public string KeysDirectory => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(AppDatabasePath)) ?? ".",
        Path.GetFileNameWithoutExtension(AppDatabasePath) + "-keys");

    /// <summary>
    /// Where the server notes when it last held its broker session, beside the app database: after a
    /// restart it can then tell that the broker dropped the session during the outage.
    /// </summary>
    public string SessionStatePath => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(AppDatabasePath)) ?? ".",
        Path.GetFileNameWithoutExtension(AppDatabasePath) + "-mqtt-session");

    /// <summary>The MQTT client id of the server's ingestion client; the embedded broker lets ids with this prefix publish commands.</summary>
    public string ClientId { get; init; } = ServerClient.IdPrefix;
}

/// <summary>How the server is known on the broker.</summary>
public static class ServerClient
{
    /// <summary>The embedded broker lets only the server's own credential connect with an id like this, and no device takes it.</summary>
    public const string IdPrefix = PostureSense.Accounts.Devices.DeviceRegistry.ReservedPrefix;

    public static bool IsServer(string? clientId) => clientId is not null && clientId.StartsWith(IdPrefix, StringComparison.Ordinal);
}
