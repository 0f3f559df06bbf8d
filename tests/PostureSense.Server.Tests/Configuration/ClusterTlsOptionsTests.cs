using System.Net;
using System.Security.Cryptography;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.Server.Configuration;
using PostureSense.TestSupport.Tls;

namespace PostureSense.Server.Tests.Configuration;

/// <summary>
/// <c>--cluster-cert</c>, <c>--cluster-key</c> and <c>--cluster-ca</c>: a node's certificate is checked
/// at start as the other nodes would check it, and a silo reachable from other machines needs them.
/// </summary>
public sealed class ClusterTlsOptionsTests : IDisposable
{
    const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    static readonly string[] Cluster = ["--mqtt", "mqtt://broker.local", "--cluster", "redis://redis.local"];

    readonly TempDirectory _dir = new();
    readonly ClusterCertificateFiles _certs;

    public ClusterTlsOptionsTests()
    {
        _certs = new ClusterCertificateFiles(_dir.Path);
        _certs.AddNode("node-1");
        _certs.AddNode("server-only", usages: [ServerAuth]);
        _certs.AddNode("client-only", usages: [ClientAuth]);
        _certs.AddNode("expired", notBefore: DateTimeOffset.UtcNow.AddYears(-2), notAfter: DateTimeOffset.UtcNow.AddYears(-1));
        _certs.AddNode("future", notBefore: DateTimeOffset.UtcNow.AddDays(2), notAfter: DateTimeOffset.UtcNow.AddDays(9));
        using (var stranger = new ClusterCertificateFiles(Directory.CreateDirectory(_dir.File("other")).FullName, "Another CA"))
        {
            File.Move(stranger.AddNode("stranger"), _dir.File("stranger.pem"));
            File.Move(stranger.KeyFile("stranger"), _dir.File("stranger.key"));
        }
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_dir.File("other.key"), otherKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(_dir.File("garbage.pem"), "not a certificate\n");
    }

    public void Dispose()
    {
        _certs.Dispose();
        _dir.Dispose();
    }

    ServerOptions Load(params string[] args) => ServerOptionsLoader.Load([.. Cluster, .. args], _dir.Path);

    string Problem(params string[] args) => Assert.Throws<OptionsException>(() => Load(args)).Message;

    string[] Tls(string cert = "node-1.pem", string key = "node-1.key", string ca = "ca.pem") =>
        ["--cluster-cert", _dir.File(cert), "--cluster-key", _dir.File(key), "--cluster-ca", _dir.File(ca)];

    [Fact]
    public void With_its_certificate_a_node_listens_where_the_other_nodes_reach_it()
    {
        var options = Load([.. Tls(), "--cluster-listen", "10.0.0.5:11111"]);

        Assert.Equal(new ClusterEndpoint(IPAddress.Parse("10.0.0.5"), 11111), options.ClusterListen);
        Assert.Equal("CN=node-1", options.ClusterTls!.Certificate.Subject);
        Assert.True(options.ClusterTls.Certificate.HasPrivateKey);
        Assert.Equal("CN=PostureSense cluster CA", Assert.Single(options.ClusterTls.Ca).Subject);
    }

    [Theory]
    [InlineData("10.0.0.5:11111")]
    [InlineData("192.168.1.20")]
    [InlineData("[fd00::5]:11111")]
    public void A_silo_reachable_from_other_machines_without_tls_stops_the_start_and_says_what_to_give(string listen)
    {
        var problem = Problem("--cluster-listen", listen);

        Assert.Contains("--cluster-listen '", problem);
        Assert.Contains("is reachable from other machines, and without TLS anyone who reaches it could hand device grains made-up frames", problem);
        Assert.Contains("give the node's certificate with --cluster-cert, --cluster-key and --cluster-ca (deploy/cluster/make-certs.sh makes them), " +
                        "or listen on 127.0.0.1 for nodes on one machine", problem);
    }

    [Fact]
    public void Nodes_on_one_machine_may_talk_without_tls_on_loopback()
    {
        Assert.Null(Load().ClusterTls);
        Assert.Null(Load("--cluster-listen", "127.0.0.1:11111").ClusterTls);
        Assert.Null(Load("--cluster-listen", "[::1]:11111").ClusterTls);
        Assert.NotNull(Load([.. Tls(), "--cluster-listen", "127.0.0.1:11111"]).ClusterTls);
    }

    [Theory]
    [InlineData("missing.pem", "node-1.key", "ca.pem", "--cluster-cert '{dir}/missing.pem' cannot be read")]
    [InlineData("garbage.pem", "node-1.key", "ca.pem", "--cluster-cert '{dir}/garbage.pem' is not a PEM certificate")]
    [InlineData("node-1.pem", "garbage.pem", "ca.pem", "--cluster-key '{dir}/garbage.pem' is not a PEM private key")]
    [InlineData("node-1.pem", "other.key", "ca.pem", "--cluster-key '{dir}/other.key' is not the key of the certificate in --cluster-cert")]
    [InlineData("expired.pem", "expired.key", "ca.pem", "--cluster-cert '{dir}/expired.pem' expired on")]
    [InlineData("future.pem", "future.key", "ca.pem", "--cluster-cert '{dir}/future.pem' is not valid before")]
    [InlineData("server-only.pem", "server-only.key", "ca.pem", "--cluster-cert '{dir}/server-only.pem' is not a cluster node's certificate (its extended key usage lacks clientAuth)")]
    [InlineData("client-only.pem", "client-only.key", "ca.pem", "--cluster-cert '{dir}/client-only.pem' is not a cluster node's certificate (its extended key usage lacks serverAuth)")]
    [InlineData("stranger.pem", "stranger.key", "ca.pem", "--cluster-cert '{dir}/stranger.pem' is not signed by the CA in --cluster-ca '{dir}/ca.pem', so the other nodes would refuse it")]
    [InlineData("node-1.pem", "node-1.key", "missing.pem", "--cluster-ca '{dir}/missing.pem' cannot be read")]
    [InlineData("node-1.pem", "node-1.key", "garbage.pem", "--cluster-ca '{dir}/garbage.pem' is not a PEM or DER certificate")]
    public void A_bad_certificate_key_or_ca_is_named_with_what_is_wrong(string cert, string key, string ca, string expected)
    {
        var problem = Problem(Tls(cert, key, ca));

        Assert.Contains(expected.Replace("{dir}", _dir.Path, StringComparison.Ordinal), problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void The_three_go_together_and_only_with_a_cluster()
    {
        Assert.Contains("--cluster-cert needs the other TLS options of a cluster node too: --cluster-cert, --cluster-key and --cluster-ca go together " +
                        "(missing --cluster-ca)", Problem("--cluster-cert", _dir.File("node-1.pem"), "--cluster-key", _dir.File("node-1.key")));
        Assert.Contains("(missing --cluster-cert and --cluster-key)", Problem("--cluster-ca", _dir.File("ca.pem")));

        var alone = Assert.Throws<OptionsException>(() => ServerOptionsLoader.Load(["--mqtt", "mqtt://broker.local", .. Tls()], _dir.Path)).Message;
        Assert.Contains("--cluster-cert applies only with --cluster", alone);
        Assert.Contains("--cluster-key applies only with --cluster", alone);
        Assert.Contains("--cluster-ca applies only with --cluster", alone);
    }

    [Fact]
    public void The_files_come_from_the_environment_too_and_its_variables_are_named_in_errors()
    {
        var environment = new Dictionary<string, string>
        {
            ["POSTURESENSE_MQTT"] = "mqtt://broker.local",
            ["POSTURESENSE_CLUSTER"] = "redis://redis.local",
            ["POSTURESENSE_CLUSTER_LISTEN"] = "10.0.0.5:11111",
            ["POSTURESENSE_CLUSTER_CERT"] = _dir.File("node-1.pem"),
            ["POSTURESENSE_CLUSTER_KEY"] = _dir.File("node-1.key"),
            ["POSTURESENSE_CLUSTER_CA"] = _dir.File("ca.pem"),
        };
        ServerOptions FromEnvironment() => ServerOptionsLoader.FromConfiguration(ServerOptionsLoader.Build([], new SettingsSources
        {
            AppSettingsDirectories = [],
            Environment = name => environment.GetValueOrDefault(name),
        }));

        Assert.Equal("CN=node-1", FromEnvironment().ClusterTls!.Certificate.Subject);

        environment["POSTURESENSE_CLUSTER_CERT"] = _dir.File("stranger.pem");
        environment["POSTURESENSE_CLUSTER_KEY"] = _dir.File("stranger.key");
        Assert.Contains("POSTURESENSE_CLUSTER_CERT '", Assert.Throws<OptionsException>(FromEnvironment).Message);
    }
}
