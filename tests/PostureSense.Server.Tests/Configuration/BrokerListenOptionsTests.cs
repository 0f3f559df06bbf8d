using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Core.Configuration;
using PostureSense.Server.Broker;
using PostureSense.Server.Configuration;
using PostureSense.Server.Metrics;
using PostureSense.TestSupport.Tls;

namespace PostureSense.Server.Tests.Configuration;

/// <summary>
/// <c>--broker-listen</c>, <c>--broker-cert</c> and <c>--broker-key</c>: a TLS listener with a
/// certificate that is checked when the options are read, and no plain listener beyond loopback.
/// </summary>
public sealed class BrokerListenOptionsTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public BrokerListenOptionsTests()
    {
        using var ca = TestCertificates.CreateCa("PostureSense test CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = TestCertificates.IssueServerCertificate(ca, key);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var expired = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddYears(-1));
        var client = new CertificateRequest("CN=desk-1", key, HashAlgorithmName.SHA256);
        client.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var clientCertificate = client.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_dir.File("server.pem"), server.ExportCertificatePem());
        File.WriteAllText(_dir.File("server.key"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(_dir.File("other.key"), otherKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(_dir.File("encrypted.key"),
            key.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));
        File.WriteAllText(_dir.File("expired.pem"), expired.ExportCertificatePem());
        File.WriteAllText(_dir.File("client.pem"), clientCertificate.ExportCertificatePem());
        File.WriteAllText(_dir.File("garbage.pem"), "not a certificate\n");
    }

    public void Dispose() => _dir.Dispose();

    ServerOptions Load(params string[] args) => ServerOptionsLoader.Load(args, _dir.Path);

    string[] Tls(string cert = "server.pem", string key = "server.key") =>
        ["--broker-listen", "mqtts://0.0.0.0:8883", "--broker-cert", _dir.File(cert), "--broker-key", _dir.File(key)];

    [Fact]
    public void A_tls_listener_takes_its_address_port_and_certificate_and_leaves_the_plain_one_on_loopback()
    {
        var options = Load(Tls());

        Assert.Equal(IPAddress.Any, options.EmbeddedBrokerTls!.Address);
        Assert.Equal(8883, options.EmbeddedBrokerTls.Port);
        Assert.True(options.EmbeddedBrokerTls.Certificate.HasPrivateKey);
        Assert.Equal("CN=127.0.0.1", options.EmbeddedBrokerTls.Certificate.Subject);
        Assert.Equal(IPAddress.Loopback, options.EmbeddedBrokerAddress);
        Assert.Equal(1883, options.EmbeddedBrokerPort);
        Assert.Null(Load().EmbeddedBrokerTls);
        var moved = Load("--broker-listen", "mqtt://127.0.0.1:1884");
        Assert.Equal((IPAddress.Loopback, 1884), (moved.EmbeddedBrokerAddress, moved.EmbeddedBrokerPort));
    }

    [Theory]
    [InlineData("mqtt://0.0.0.0:1883")]
    [InlineData("mqtt://192.168.1.10")]
    [InlineData("mqtt://[::]:1883")]
    public void A_plain_listener_beyond_loopback_is_refused_because_passwords_would_cross_the_network_in_clear(string listen)
    {
        var error = Assert.Throws<OptionsException>(() => Load("--broker-listen", listen)).Message;

        Assert.Contains($"--broker-listen '{listen}' would let devices' passwords cross the network in clear", error);
        Assert.Contains("use --broker-listen mqtts://0.0.0.0:8883 with --broker-cert and --broker-key", error);
    }

    [Fact]
    public void The_broker_refuses_a_plain_listener_beyond_loopback_given_in_code_too()
    {
        var error = Assert.Throws<OptionsException>(() => new EmbeddedBroker(IPAddress.Any, 0, new IngestionStats(), TimeProvider.System,
            NullLogger<EmbeddedBroker>.Instance, new BrokerAccess(null!, new ServerCredential(), false)));
        Assert.Contains("in clear", error.Message);
    }

    [Theory]
    [InlineData("missing.pem", "server.key", "--broker-cert '{dir}/missing.pem' cannot be read")]
    [InlineData("garbage.pem", "server.key", "--broker-cert '{dir}/garbage.pem' is not a PEM certificate")]
    [InlineData("server.pem", "garbage.pem", "--broker-key '{dir}/garbage.pem' is not a PEM private key")]
    [InlineData("server.pem", "other.key", "--broker-key '{dir}/other.key' is not the key of the certificate in --broker-cert")]
    [InlineData("server.pem", "encrypted.key", "--broker-key '{dir}/encrypted.key' is encrypted")]
    [InlineData("expired.pem", "server.key", "--broker-cert '{dir}/expired.pem' expired on")]
    [InlineData("client.pem", "server.key", "--broker-cert '{dir}/client.pem' is not a server certificate")]
    public void A_bad_certificate_or_key_is_named_with_what_is_wrong(string cert, string key, string expected)
    {
        var error = Assert.Throws<OptionsException>(() => Load(Tls(cert, key))).Message;

        Assert.Contains(expected.Replace("{dir}", _dir.Path, StringComparison.Ordinal), error);
    }

    [Theory]
    [InlineData(new[] { "--broker-listen", "mqtts://0.0.0.0" }, "needs the broker's certificate and key: --broker-cert FILE and --broker-key FILE")]
    [InlineData(new[] { "--broker-cert", "/etc/server.pem" }, "--broker-cert only applies to a TLS listener")]
    [InlineData(new[] { "--mqtt", "mqtt://broker.local", "--broker-listen", "mqtts://0.0.0.0" }, "--broker-listen applies to the embedded broker only")]
    [InlineData(new[] { "--broker-listen", "mqtts://broker.example.org" }, "names host 'broker.example.org'; use an IP address")]
    [InlineData(new[] { "--broker-listen", "http://0.0.0.0:8883" }, "is not an mqtts:// or mqtt:// URL")]
    public void Listener_options_are_refused_when_incomplete_or_with_an_external_broker(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<OptionsException>(() => Load(args)).Message);
    }
}
