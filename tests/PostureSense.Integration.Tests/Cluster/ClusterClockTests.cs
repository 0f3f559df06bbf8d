using System.Net.Http.Json;
using System.Text.Json;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// A device whose clock runs 10 min slow, streaming to two nodes in one share group: its coach's
/// offset lives in its grain on one node, yet the wearer's Now page shows what they are doing on
/// whichever node serves it, because each node learns the offset from its own share of the batches.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterClockTests
{
    const string Device = "slow-desk";
    static readonly TimeSpan Behind = TimeSpan.FromMinutes(10);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Both_nodes_show_a_worn_device_ten_minutes_slow_as_hunching_now()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(Device, path => ClusterAlertTests.CreateAccountsAsync(path, Device), Ct);
        using var onA = await ClusterAlertTests.SignInAsync(cluster.A, ClusterAlertTests.Wearer);
        using var onB = await ClusterAlertTests.SignInAsync(cluster.B, ClusterAlertTests.Wearer);
        var nodes = new Dictionary<string, HttpClient> { ["a"] = onA, ["b"] = onB };

        // A slow clock is believed once a node has had 3 of its batches over 30 s: with 5 s batches
        // dealt round robin, about 35 s of streaming for each node.
        var live = new Dictionary<string, JsonElement>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (live.Count < nodes.Count)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"after 2 min of streaming, only {string.Join(", ", live.Keys)} show the device as worn{cluster.Logs}");
            await cluster.PublishLiveBatchAsync(Behind, seconds: 5, pitch: 30);
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            foreach (var (name, http) in nodes)
            {
                var now = await http.GetFromJsonAsync<JsonElement>($"/api/devices/{Device}/now", Ct);
                if (now.GetProperty("live").GetProperty("state").GetString() != "no-data") live[name] = now;
            }
        }

        foreach (var (name, now) in live)
        {
            var state = now.GetProperty("live");
            Assert.True(state.GetProperty("state").GetString() == "hunching", $"node {name}: {now}");
            var offset = TimeSpan.FromMilliseconds(state.GetProperty("clockOffsetMs").GetInt64());
            Assert.InRange(offset, Behind, Behind + TimeSpan.FromSeconds(10));
            var lastSync = DateTimeOffset.FromUnixTimeMilliseconds(now.GetProperty("device").GetProperty("lastFrameTs").GetInt64());
            Assert.InRange(DateTimeOffset.UtcNow - lastSync, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        }
    }
}
