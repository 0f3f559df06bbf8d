namespace PostureSense.Server.Configuration;

/// <summary>
/// The server's settings as written, bound from the <c>PostureSense</c> section; each property is an
/// option (<c>MqttShare</c> is <c>--mqtt-share</c>). <see cref="ServerOptionsLoader"/> checks them
/// and turns them into <see cref="ServerOptions"/>.
/// </summary>
internal sealed class ServerSettings
{
    public string? Mqtt { get; set; }
    public string? MqttCa { get; set; }
    public string? MqttShare { get; set; }
    public string? MqttClientId { get; set; }
    public string? Cluster { get; set; }
    public string? ClusterListen { get; set; }
    public string? ClusterProbeTimeout { get; set; }
    public int? ClusterMissedProbes { get; set; }
    public string? ClusterCert { get; set; }
    public string? ClusterKey { get; set; }
    public string? ClusterCa { get; set; }
    public string? Store { get; set; }
    public string? Http { get; set; }
    public string? Management { get; set; }
    public string? AppDb { get; set; }
    public string? Signup { get; set; }
    public string? PublicUrl { get; set; }
    public string? AlertAllow { get; set; }
    public string? SessionExpiry { get; set; }
    public string? DeviceIdle { get; set; }
    public string? MqttPassword { get; set; }
    public string? MqttPasswordFile { get; set; }
    public string? StorePassword { get; set; }
    public string? StorePasswordFile { get; set; }
    public bool? AllowUnprovisionedDevices { get; set; }
    public int? MqttMaxPacket { get; set; }
    public string? BrokerListen { get; set; }
    public string? BrokerCert { get; set; }
    public string? BrokerKey { get; set; }
    public string? Operators { get; set; }
    public string? TrustProxy { get; set; }
}
