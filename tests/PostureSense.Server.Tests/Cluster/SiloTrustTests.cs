using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using PostureSense.Server.Cluster;
using PostureSense.TestSupport.Server;
using PostureSense.TestSupport.Tls;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>
/// Which certificates a silo takes from another node: only those the cluster's CA signed, valid now
/// and good for both ends of a connection, whatever the platform's own view of them; a refusal is logged.
/// </summary>
public sealed class SiloTrustTests : IDisposable
{
    const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    static readonly SslPolicyErrors PlatformDoubts = SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch;

    readonly X509Certificate2 _ca = TestCertificates.CreateCa("PostureSense cluster CA");
    readonly X509Certificate2 _otherCa = TestCertificates.CreateCa("Another CA");
    readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    readonly TestLoggerProvider _logs = new();
    readonly SiloTrust _trust;

    public SiloTrustTests() => _trust = new SiloTrust([_ca], new Logger<SiloTrust>(new LoggerFactory([_logs])));

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _key.Dispose();
    }

    [Fact]
    public void A_node_certificate_from_the_cluster_ca_is_taken_though_the_platform_neither_trusts_the_ca_nor_finds_the_address_in_it()
    {
        using var node = TestCertificates.IssueNodeCertificate(_ca, _key, "node-2");

        Assert.True(_trust.Accepts(node, null, PlatformDoubts));
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public void A_certificate_from_another_ca_is_refused_even_when_the_platform_trusts_it()
    {
        using var stranger = TestCertificates.IssueNodeCertificate(_otherCa, _key, "stranger");

        Assert.False(_trust.Accepts(stranger, null, SslPolicyErrors.None));
        var (level, _, message) = Assert.Single(_logs.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("Refused a silo connection: the certificate CN=stranger (issued by CN=Another CA)", message);
    }

    [Fact]
    public void An_expired_or_not_yet_valid_certificate_from_the_cluster_ca_is_refused()
    {
        using var expired = TestCertificates.IssueNodeCertificate(_ca, _key, "old", notBefore: DateTimeOffset.UtcNow.AddDays(-9), notAfter: DateTimeOffset.UtcNow.AddDays(-2));
        using var future = TestCertificates.IssueNodeCertificate(_ca, _key, "new", notBefore: DateTimeOffset.UtcNow.AddDays(2), notAfter: DateTimeOffset.UtcNow.AddDays(9));

        Assert.False(_trust.Accepts(expired, null, PlatformDoubts));
        Assert.False(_trust.Accepts(future, null, PlatformDoubts));
    }

    [Fact]
    public void A_certificate_from_the_cluster_ca_made_for_one_end_only_is_refused()
    {
        using var serverOnly = TestCertificates.IssueNodeCertificate(_ca, _key, "broker-like", usages: [ServerAuth]);

        Assert.False(_trust.Accepts(serverOnly, null, PlatformDoubts));
    }
}
