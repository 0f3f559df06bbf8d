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
        // Beyond loopback it takes the node's TLS options too (ClusterTlsOptionsTests).
        var options = Load("--mqtt", Broker, "--cluster", "redis://redis.local", "--cluster-listen", "127.0.0.5:11111");
        Assert.Equal(new ClusterEndpoint(IPAddress.Parse("127.0.0.5"), 11111), options.ClusterListen);

        var error = Assert.Throws<OptionsException>(() => Load("--mqtt", Broker, "--cluster", "redis://redis.local", "--cluster-listen", "0.0.0.0:11111"));
        Assert.Contains("--cluster-listen '0.0.0.0:11111' is an any-address", error.Message);
        Assert.Contains("--cluster-listen applies only with --cluster",
            Assert.Throws<OptionsException>(() => Load("--cluster-listen", "127.0.0.1")).Message);
    }

    [Fact]
    public void A_node_is_declared_dead_after_about_40_seconds_of_silence_unless_told_otherwise()
    {
        var patience = Load("--mqtt", Broker, "--cluster", "redis://redis.local").ClusterMembership;
        Assert.Equal(TimeSpan.FromSeconds(40), patience.DeathAfter);
        Assert.Equal(TimeSpan.FromSeconds(80), patience.VoteExpiration);

        var tuned = Load("--mqtt", Broker, "--cluster", "redis://redis.local", "--cluster-probe-timeout", "20s", "--cluster-missed-probes", "3").ClusterMembership;
        Assert.Equal(new ClusterMembership(TimeSpan.FromSeconds(20), 3), tuned);
        Assert.Equal(TimeSpan.FromSeconds(60), tuned.DeathAfter);
    }

    [Theory]
    [InlineData("--cluster-probe-timeout", "500ms", "must be a whole number with a unit")]
    [InlineData("--cluster-probe-timeout", "0s", "must be between 1s and")]
    [InlineData("--cluster-probe-timeout", "10m", "must be from 1s to 5m")]
    [InlineData("--cluster-missed-probes", "0", "must be from 1 to 20")]
    [InlineData("--cluster-missed-probes", "21", "must be from 1 to 20")]
    public void Membership_timings_out_of_range_stop_the_node_with_the_reason(string option, string value, string reason)
    {
        var error = Assert.Throws<OptionsException>(() => Load("--mqtt", Broker, "--cluster", "redis://redis.local", option, value));
        Assert.Contains(option, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Membership_timings_apply_only_to_a_cluster()
    {
        Assert.Contains("--cluster-probe-timeout applies only with --cluster",
            Assert.Throws<OptionsException>(() => Load("--mqtt", Broker, "--cluster-probe-timeout", "20s")).Message);
        Assert.Contains("--cluster-missed-probes applies only with --cluster",
            Assert.Throws<OptionsException>(() => Load("--mqtt", Broker, "--cluster-missed-probes", "3")).Message);
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
