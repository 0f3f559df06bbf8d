using System.Net.Http.Json;
using System.Text.Json;
using PostureSense.Core.Posture;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Three server nodes in one share group on mosquitto, clustered through Redis, storing to one
/// InfluxDB: each device's batches are spread over the nodes, yet its coach is one (a grain), so
/// every episode gets one prompt, neither missed nor repeated.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterPromptTests
{
    const int Devices = 24;
    const int FramesPerBatch = 30;

    /// <summary>
    /// A wearer's day ending now: two walks earlier in the day (no episode there), then one ongoing
    /// episode. Even devices hunch for 6 minutes (a hunch prompt at 5); odd ones sit upright and
    /// still for 31 (a sitting prompt at 30).
    /// </summary>
    internal static (string Reason, List<PostureFrame> Frames) DayEndingNow(int i, long now)
    {
        var (reason, minutes, pitch) = i % 2 == 0 ? ("hunch", 6, 30.0) : ("sitting", 31, 5.0);
        var frames = Walk(now - (20 * 60 + i) * 60_000L);
        frames.AddRange(Walk(now - (8 * 60 + i) * 60_000L));
        frames.AddRange(TestFrames.Run(now - minutes * 60_000L, minutes * 60, pitch));
        return (reason, frames);
    }

    /// <summary>Three minutes upright on the move: neither a hunch nor sitting.</summary>
    static List<PostureFrame> Walk(long startTs) => TestFrames.Run(startTs, 3 * 60, pitch: 5, motion: 0.25, steps: 2);

    [Fact]
    public async Task Each_device_is_prompted_exactly_once_whichever_nodes_its_batches_reach()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await ClusterFleet.StartAsync(Devices, ct);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        var days = Enumerable.Range(0, Devices).Select(i => DayEndingNow(i, now)).ToList();
        // Every device at once, each its batches in order: the broker hands them round robin to the nodes.
        await Task.WhenAll(days.Select((day, i) => fleet.PublishAsync(i, day.Frames.Batches(FramesPerBatch), firstSeq: 1)));

        await fleet.WaitForPromptsAsync(TimeSpan.FromSeconds(45), ct);
        await fleet.AssertOnePromptEachAsync(fleet.DeviceIds.Select((id, i) => (id, days[i].Reason)).ToDictionary(), ct);

        var byNode = new List<long>();
        foreach (var node in fleet.Nodes) byNode.Add(await FramesStoredAsync(node, ct));
        Assert.True(byNode.All(n => n > 0), $"every node takes part: {string.Join(", ", byNode)} frames");
        Assert.Equal(days.Sum(d => (long)d.Frames.Count), byNode.Sum());
    }

    static async Task<long> FramesStoredAsync(PostureServerProcess server, CancellationToken ct)
    {
        using var http = await server.OperatorClientAsync(ct);
        var stats = await http.GetFromJsonAsync<JsonElement>("/api/stats", ct);
        return stats.GetProperty("framesStored").GetInt64();
    }
}
