using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Server.Alerts;
using PostureSense.Server.Cluster.Alerts;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>
/// A prompt is decided on one node; the wearer's page may be open on any other: every other node
/// hears the alert once, and the deciding node, which shows it to its own pages itself, not again.
/// </summary>
public sealed class AlertFanoutTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    /// <summary>When the nodes renew their subscriptions; the cluster itself keeps real time.</summary>
    readonly FakeTimeProvider _renewals = new(TestFrames.Morning);
    InProcessTestCluster _cluster = null!;
    readonly Dictionary<int, List<PromptAlert>> _heard = [];

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(sp => new AlertFanout(sp.GetRequiredService<IGrainFactory>(), _renewals,
                sp.GetRequiredService<ILogger<AlertFanout>>()));
            host.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AlertFanout>());
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync(Ct);
        // Until the silos agree on who is in the cluster, a shard could be activated twice for a
        // moment (a renewal heals that in production; here the renewal clock stands still).
        await _cluster.WaitForLivenessToStabilizeAsync();
        for (var i = 0; i < _cluster.Silos.Count; i++)
        {
            var heard = _heard[i] = [];
            var fanout = Node(i);
            fanout.Received += alert => { lock (heard) heard.Add(alert); };
        }
        // A node that missed a shard while the cluster was forming tries again on the renewal clock.
        var nodes = Enumerable.Range(0, _cluster.Silos.Count).Select(Node).ToList();
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30); !nodes.All(n => n.Subscribed.IsCompleted);)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the nodes did not subscribe to the fan-out");
            _renewals.Advance(AlertFanout.RetryAfter);
            await Task.Delay(50, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    AlertFanout Node(int index) => _cluster.Silos[index].ServiceProvider.GetRequiredService<AlertFanout>();

    IReadOnlyList<string> HeardBy(int node)
    {
        var heard = _heard[node];
        lock (heard) return [.. heard.Select(a => a.CommandId)];
    }

    static PromptAlert Alert(string commandId, string device = "desk-1", bool reminder = false) =>
        PromptAlert.Create(DeviceId.Parse(device), commandId, T0, PromptReason.Hunch, "chin-tuck", reminder);

    [Fact]
    public async Task An_alert_decided_on_one_node_reaches_every_other_node_once_and_not_its_own()
    {
        Node(0).Publish(Alert("from-0"));
        await Eventually.TrueAsync(() => HeardBy(1).Count > 0 && HeardBy(2).Count > 0, "the alert on nodes 1 and 2");

        // Same device, same shard, behind the first: once node 0 hears this one it has had its chance at the first.
        Node(1).Publish(Alert("from-1", reminder: true));
        await Eventually.TrueAsync(() => HeardBy(0).Count > 0 && HeardBy(2).Count > 1, "the second alert on nodes 0 and 2");

        Assert.Equal(["from-1"], HeardBy(0));
        Assert.Equal(["from-0"], HeardBy(1));
        Assert.Equal(["from-0", "from-1"], HeardBy(2));
        // It arrives as the wearer's page shows it: same words, still a reminder.
        PromptAlert reminder;
        lock (_heard[0]) reminder = _heard[0][0];
        var sent = Alert("from-1", reminder: true);
        Assert.Equal((sent.DeviceId, sent.Ts, sent.Reason, sent.Exercise, sent.Title, sent.Message, true),
            (reminder.DeviceId, reminder.Ts, reminder.Reason, reminder.Exercise, reminder.Title, reminder.Message, reminder.Reminder));
        Assert.Equal(sent.Steps, reminder.Steps);
    }

    [Fact]
    public async Task Alerts_of_devices_on_every_shard_reach_the_other_nodes()
    {
        var devices = Enumerable.Range(0, 64).Select(i => $"desk-{i}").ToList();
        Assert.Equal(AlertFanout.Shards, devices.Select(AlertFanout.ShardOf).Distinct().Count());

        foreach (var device in devices) Node(2).Publish(Alert($"{device}-prompt", device));

        await Eventually.TrueAsync(() => HeardBy(0).Count == devices.Count && HeardBy(1).Count == devices.Count, "every alert on nodes 0 and 1");
        Assert.Equal(devices.Select(d => $"{d}-prompt").Order(), HeardBy(1).Order());
        Assert.Empty(HeardBy(2));
    }

    [Fact]
    public async Task When_the_node_holding_a_shard_stops_the_others_subscribe_again_and_hear_its_alerts()
    {
        const string device = "desk-7";
        var shard = _cluster.Client.GetGrain<IAlertFanoutGrain>(AlertFanout.ShardOf(device));
        Node(0).Publish(Alert("before", device));
        await Eventually.TrueAsync(() => HeardBy(1).Count + HeardBy(2).Count + HeardBy(0).Count >= 2, "the first alert");
        Assert.True(_cluster.TryGetGrainContext(shard.GetGrainId(), out var context));
        var holder = _cluster.Silos.Select((s, i) => (s, i)).Single(x => x.s.SiloAddress.Equals(context.Address.SiloAddress)).i;
        var (publisher, listener) = holder switch { 0 => (1, 2), 1 => (2, 0), _ => (0, 1) };
        var publisherNode = Node(publisher);
        var heardBefore = HeardBy(listener).Count;

        await _cluster.StopSiloAsync(_cluster.Silos[holder]);

        // The shard comes back empty on another node; the nodes' next renewal fills it again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var i = 0; HeardBy(listener).Count == heardBefore; i++)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("no alert reached the listening node after the shard moved");
            _renewals.Advance(AlertFanout.RenewEvery);
            publisherNode.Publish(Alert($"after-{i}", device));
            await Task.Delay(200, Ct);
        }
        Assert.StartsWith("after-", HeardBy(listener)[^1]);
    }
}
