using System.Security.Cryptography;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;
using PostureSense.TestSupport.Tls;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Two nodes whose silos talk over mutual TLS, each with a certificate from the cluster's own CA:
/// they form one cluster, an alert still crosses from the node that decided it to the other, and
/// whoever knocks on a silo's port without such a certificate is shut out while the nodes go on.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterTlsTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nodes_with_certificates_from_the_cluster_ca_form_a_cluster_and_shut_out_everyone_else()
    {
        using var dir = new TempDirectory();
        using var certs = new ClusterCertificateFiles(dir.Path);
        certs.AddNode("a");
        certs.AddNode("b");
        var siloPortOfA = ServerProcess.FreePort();
        await using var cluster = await TwoNodeCluster.StartAsync(ClusterAlertTests.Device,
            path => ClusterAlertTests.CreateAccountsAsync(path, ClusterAlertTests.Device), Ct,
            node => [.. certs.Options(node), .. node == "a" ? new[] { "--cluster-listen", $"127.0.0.1:{siloPortOfA}" } : []]);

        // A node of the cluster gets through, and sees node a's certificate: the port speaks TLS.
        using (var ourKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var ours = TestCertificates.IssueNodeCertificate(certs.Ca, ourKey, "c"))
        {
            var (stream, silo) = await SiloPortProbe.TlsAsync(siloPortOfA, ours);
            Assert.True(stream is not null, $"a certificate from the cluster's CA was refused{cluster.Logs}");
            Assert.Equal("CN=a", silo!.Subject);
            await stream.DisposeAsync();
        }

        // Over TLS without a certificate, with one from another CA, and in plain TCP: each is closed.
        using var strangerDir = new TempDirectory();
        using var strangers = new ClusterCertificateFiles(strangerDir.Path, "Another CA");
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = TestCertificates.IssueNodeCertificate(strangers.Ca, strangerKey, "stranger");
        foreach (var (what, certificate) in new[] { ("no certificate", null), ("a certificate from another CA", stranger) })
        {
            var (stream, _) = await SiloPortProbe.TlsAsync(siloPortOfA, certificate);
            if (stream is null) continue; // refused in the handshake itself
            await using (stream)
                Assert.True(await SiloPortProbe.ClosedAsync(stream), $"a TLS client with {what} was let in{cluster.Logs}");
        }
        await using (var plain = await SiloPortProbe.PlainAsync(siloPortOfA))
            Assert.True(await SiloPortProbe.ClosedAsync(plain), $"a plain TCP client was let in{cluster.Logs}");
        Assert.Contains("Refused a silo connection: the certificate CN=stranger", cluster.A.Output);

        // And the nodes go on as a cluster: a prompt decided on one node shows on the wearer's page on the other.
        await ClusterAlertTests.AlertCrossesNodesAsync(cluster);
    }
}
