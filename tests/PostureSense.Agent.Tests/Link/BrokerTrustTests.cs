using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Agent.Tests.Link;

/// <summary>Reading the --mqtt-ca file; the handshake itself is tested against mosquitto (PostureSense.Integration.Tests).</summary>
public class BrokerTrustTests
{
    [Fact]
    public void A_pem_file_with_a_ca_certificate_is_read()
    {
        using var dir = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=PostureSense test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(dir.Path, "ca.pem");
        File.WriteAllText(path, ca.ExportCertificatePem());

        var loaded = BrokerTrust.LoadCa(path);

        Assert.Equal(ca.Thumbprint, Assert.Single(loaded).Thumbprint);
    }

    [Fact]
    public void A_missing_file_or_one_without_a_certificate_is_one_clear_line()
    {
        using var dir = new TempDirectory();
        var notACertificate = Path.Combine(dir.Path, "notes.txt");
        File.WriteAllText(notACertificate, "not a certificate");

        var missing = Assert.Throws<OptionsException>(() => BrokerTrust.LoadCa(Path.Combine(dir.Path, "absent.pem")));
        var wrong = Assert.Throws<OptionsException>(() => BrokerTrust.LoadCa(notACertificate));

        Assert.Contains("--mqtt-ca", missing.Message);
        Assert.Contains("cannot be read", missing.Message);
        Assert.Contains("is not a PEM or DER certificate", wrong.Message);
        Assert.DoesNotContain('\n', wrong.Message);
    }
}
