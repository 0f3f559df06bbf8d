using System.Net;
using System.Security.Cryptography.X509Certificates;
using PostureSense.Hosting.Options;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Server.Configuration;

/// <summary>
/// Mutual TLS between the nodes' silos (<c>--cluster-cert</c>, <c>--cluster-key</c>, <c>--cluster-ca</c>):
/// this node's certificate, shown both when it answers and when it dials, and the cluster's private
/// CA, the only one whose certificates it accepts from the other nodes.
/// </summary>
public sealed record ClusterTls(X509Certificate2 Certificate, X509Certificate2Collection Ca)
{
    /// <summary>A node answers the others' connections and dials theirs: its certificate must be good for both.</summary>
    public static readonly CertificateRole NodeRole = new("a cluster node's certificate",
        [(CertificateRole.ServerAuth, "serverAuth"), (CertificateRole.ClientAuth, "clientAuth")], MakeCerts,
        "; a node both answers and dials the others, so it needs serverAuth and clientAuth, as " + MakeCerts + " makes it");

    const string MakeCerts = "deploy/cluster/make-certs.sh";
}

/// <summary>
/// Reads and checks the three TLS options of a cluster node: all three or none, only with
/// <c>--cluster</c>, and none is refused when the silo listens beyond loopback, where whoever
/// reaches the port could hand device grains made-up frames and read wearers' data.
/// </summary>
static class ClusterTlsOptions
{
    public static ServerOptions Apply(ServerOptions options, ServerSettings settings, Func<string, string> source, OptionProblems problems)
    {
        (string? Value, string Key, string Option)[] files =
        [
            (settings.ClusterCert, "ClusterCert", "--cluster-cert"),
            (settings.ClusterKey, "ClusterKey", "--cluster-key"),
            (settings.ClusterCa, "ClusterCa", "--cluster-ca"),
        ];
        var given = files.Where(f => f.Value is not null).ToList();
        if (given.Count == 0)
        {
            if (options.Cluster is not null && !IPAddress.IsLoopback(options.ClusterListen.Address))
                problems.Add($"{source("ClusterListen")} '{options.ClusterListen}' is reachable from other machines, and without TLS anyone who " +
                             "reaches it could hand device grains made-up frames and read wearers' data: give the node's certificate with " +
                             "--cluster-cert, --cluster-key and --cluster-ca (deploy/cluster/make-certs.sh makes them), " +
                             "or listen on 127.0.0.1 for nodes on one machine");
            return options;
        }
        if (settings.Cluster is null)
        {
            foreach (var (_, key, _) in given) problems.Add($"{source(key)} applies only with --cluster");
            return options;
        }
        if (given.Count < files.Length)
        {
            var missing = files.Where(f => f.Value is null).Select(f => f.Option);
            problems.Add($"{source(given[0].Key)} needs the other TLS options of a cluster node too: --cluster-cert, --cluster-key and " +
                         $"--cluster-ca go together (missing {string.Join(" and ", missing)})");
            return options;
        }
        // A --cluster that did not parse is a problem of its own already.
        if (options.Cluster is null) return options;

        string certFile = settings.ClusterCert!, keyFile = settings.ClusterKey!, caFile = settings.ClusterCa!;
        var certificate = problems.Check(() => PemCertificate.Load(certFile, keyFile, TimeProvider.System.GetUtcNow(),
            source("ClusterCert"), source("ClusterKey"), ClusterTls.NodeRole), null);
        var ca = problems.Check(() => BrokerTrust.LoadCa(caFile, source("ClusterCa")), null);
        if (certificate is null || ca is null) return options;
        // Checked here as the other nodes will check it, so that a certificate from the wrong CA stops this node, not every connection.
        if (PrivateCa.Refusal(certificate, ca, usages: [CertificateRole.ServerAuth, CertificateRole.ClientAuth]) is { } why)
        {
            problems.Add($"{source("ClusterCert")} '{certFile}' is not signed by the CA in {source("ClusterCa")} '{caFile}', " +
                         $"so the other nodes would refuse it: {why}");
            return options;
        }
        return options with { ClusterTls = new ClusterTls(certificate, ca) };
    }
}
