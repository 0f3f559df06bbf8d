using System.Security.Cryptography;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Mqtt.Tls;
using PostureSense.Server.Broker;
using PostureSense.Server.Configuration;
using PostureSense.TestSupport.Tls;

namespace PostureSense.Server.Tests.Broker;

/// <summary>
/// The embedded broker opened to the network as an operator would: <c>--broker-listen mqtts://</c>
/// with a certificate from a private CA. Devices that trust the CA get in over TLS with their
/// password; nobody gets in with a wrong one, and a client that does not trust the CA never gets to
/// send a password at all.
/// </summary>
public sealed class BrokerTlsTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync()
    {
        using var ca = TestCertificates.CreateCa("PostureSense test CA");
        using var other = TestCertificates.CreateCa("Somebody else's CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = TestCertificates.IssueServerCertificate(ca, key);
        File.WriteAllText(_dir.File("ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(_dir.File("other-ca.pem"), other.ExportCertificatePem());
        File.WriteAllText(_dir.File("server.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(_dir.File("server.key"), key.ExportPkcs8PrivateKeyPem());
        // Read as the command line gives it, so the test covers the files as well as the listener.
        var tls = ServerOptionsLoader.Load(["--broker-listen", "mqtts://127.0.0.1:0", "--broker-cert", _dir.File("server.pem"),
            "--broker-key", _dir.File("server.key")], _dir.Path).EmbeddedBrokerTls;
        _harness = await ServerHarness.StartAsync(_dir.File("broker.db"), configure: o => o with { EmbeddedBrokerTls = tls });
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    int TlsPort => _harness.Server.MqttTlsPort ?? throw new InvalidOperationException("no TLS listener");

    MqttClientOptions TlsOptions(string deviceId, string password, BrokerTrust trust) =>
        new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", TlsPort).WithClientId(deviceId).WithCredentials(deviceId, password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(trust.Validate)).Build();

    [Fact]
    public async Task A_provisioned_device_that_trusts_the_ca_sends_telemetry_over_tls_and_it_is_stored()
    {
        var secrets = await _harness.ProvisionAsync("desk-1");
        using var client = new MqttClientFactory().CreateMqttClient();
        var connected = await client.ConnectAsync(TlsOptions("desk-1", secrets.Password, new BrokerTrust(BrokerTrust.LoadCa(_dir.File("ca.pem")))), Ct);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);

        var frames = TestFrames.Run(T0, 10, pitch: 5);
        _harness.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(frames[^1].Ts + 1000));
        var published = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(DeviceId.Parse("desk-1"), Topics.Telemetry))
            .WithPayload(WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, 1, frames)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
        await Eventually.TrueAsync(() => _harness.Server.Stats.FramesStored == frames.Count, "the frames sent over TLS to be stored");
        Assert.Contains(_harness.Logs.Entries, e => e.Message.Contains($"listening with TLS on 127.0.0.1:{TlsPort}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_ca_is_refused_in_the_handshake()
    {
        var secrets = await _harness.ProvisionAsync("desk-1");
        var trust = new BrokerTrust(BrokerTrust.LoadCa(_dir.File("other-ca.pem")));
        using var client = new MqttClientFactory().CreateMqttClient();

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(TlsOptions("desk-1", secrets.Password, trust), Ct));
        Assert.Contains("is not signed by the CA", trust.TakeRefusal());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_wrong_password_over_tls_is_refused()
    {
        await _harness.ProvisionAsync("desk-1");
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(TlsOptions("desk-1", "a guess", new BrokerTrust(BrokerTrust.LoadCa(_dir.File("ca.pem")))), Ct);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
    }

    [Fact]
    public async Task The_plain_listener_stays_on_loopback_for_the_servers_own_client()
    {
        var broker = _harness.Server.Services.GetService(typeof(EmbeddedBroker)) as EmbeddedBroker;
        Assert.Equal(System.Net.IPAddress.Loopback, broker!.Address);
        // The server's own client came in over it: a device's telemetry over plain loopback is stored as before.
        var device = await _harness.ConnectDeviceAsync("desk-1");
        await _harness.SendLiveAsync(device, TestFrames.Run(T0, 5, pitch: 5));
        Assert.Equal(5, _harness.Server.Stats.FramesStored);
    }
}
