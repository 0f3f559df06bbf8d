using System.Net;
using PostureSense.Core.Configuration;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Tests.Configuration;

/// <summary><c>--cluster</c> and <c>--cluster-listen</c>: a node joins a cluster only when told, and a bad value says why in one line.</summary>
public sealed class ClusterOptionsTests
{
    static ServerOptions Load(params string[] args) => ServerOptionsLoader.Load(args, Path.GetTempPath());

    const string Broker = "mqtt://broker.local";

    [Fact]
    public void A_single_node_joins_no_cluster()
    {
        var options = Load();
        Assert.Null(options.Cluster);
        Assert.Equal(ClusterEndpoint.Default, options.ClusterListen);
    }

    [Fact]
    public void A_node_joins_through_redis_and_listens_on_loopback_on_a_free_port_by_default()
    {
        var options = Load("--mqtt", Broker, "--cluster", "redis://redis.local:6380");

        Assert.Equal(new ClusterAddress("redis.local", 6380), options.Cluster);
        Assert.Equal(new ClusterEndpoint(IPAddress.Loopback, 0), options.ClusterListen);
        Assert.Equal(ClusterAddress.DefaultPort, Load("--mqtt", Broker, "--cluster", "redis://redis.local").Cluster!.Port);
    }

    [Fact]
    public void The_listen_address_is_one_the_other_nodes_reach()
    {
        var options = Load("--mqtt", Broker, "--cluster", "redis://redis.local", "--cluster-listen", "10.0.0.5:11111");
        Assert.Equal(new ClusterEndpoint(IPAddress.Parse("10.0.0.5"), 11111), options.ClusterListen);

        var error = Assert.Throws<OptionsException>(() => Load("--mqtt", Broker, "--cluster", "redis://redis.local", "--cluster-listen", "0.0.0.0:11111"));
        Assert.Contains("--cluster-listen '0.0.0.0:11111' is an any-address", error.Message);
        Assert.Contains("--cluster-listen applies only with --cluster",
            Assert.Throws<OptionsException>(() => Load("--cluster-listen", "127.0.0.1")).Message);
    }

    [Fact]
    public void A_password_in_the_redis_url_is_used_but_never_printed()
    {
        var options = Load("--mqtt", Broker, "--cluster", "redis://node:s3cret@redis.local:6379");
        Assert.Equal(("node", "s3cret"), (options.Cluster!.User, options.Cluster.Password));
        Assert.DoesNotContain("s3cret", options.Cluster.ToString());

        var error = Assert.Throws<OptionsException>(() => Load("--mqtt", Broker, "--cluster", "http://node:s3cret@redis.local:6379"));
        Assert.Contains("is not a redis:// URL", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void A_cluster_needs_the_broker_every_node_shares()
    {
        var error = Assert.Throws<OptionsException>(() => Load("--cluster", "redis://redis.local"));
        Assert.Contains("--cluster needs an external broker (--mqtt)", error.Message);
    }
}
