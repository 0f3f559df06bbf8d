using PostureSense.Core.Posture;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// A node of the cluster killed mid-run (SIGKILL: a power cut, an OOM kill) and started again
/// under its MQTT client id, so the broker hands it what it queued meanwhile: nothing the devices
/// sent is lost, and every episode still gets one prompt, also those of devices whose grain lived
/// on the killed node.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class KilledNodeTests
{
    const int Devices = 12;
    const int FramesPerBatch = 30;

    /// <summary>Even devices hunch for 6 minutes (a prompt at 5), odd ones sit still for 31 (a prompt at 30).</summary>
    static (string Reason, List<PostureFrame> Frames) EpisodeEndingNow(int i, long now) =>
        i % 2 == 0
            ? ("hunch", TestFrames.Run(now - 6 * 60_000, 6 * 60, pitch: 30))
            : ("sitting", TestFrames.Run(now - 31 * 60_000, 31 * 60, pitch: 5));

    /// <summary>Frames before this point of an episode are not yet enough for its prompt.</summary>
    static int Before(string reason) => reason == "hunch" ? 3 * 60 : 20 * 60;

    [Fact]
    public async Task A_node_killed_mid_run_loses_no_frame_and_no_episode_is_prompted_twice_or_missed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await ClusterFleet.StartAsync(Devices, ct);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        var episodes = Enumerable.Range(0, Devices).Select(i => EpisodeEndingNow(i, now)).ToList();
        var early = episodes.Select(e => e.Frames.Take(Before(e.Reason)).ToList().Batches(FramesPerBatch).ToList()).ToList();
        var late = episodes.Select(e => e.Frames.Skip(Before(e.Reason)).ToList().Batches(FramesPerBatch).ToList()).ToList();

        // Every episode under way, no prompt due yet. Placement decides which nodes hold the grains;
        // the node killed is one that holds some.
        await Task.WhenAll(early.Select((batches, i) => fleet.PublishAsync(i, batches, firstSeq: 1)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (fleet.Nodes.Sum(n => GrainsOn(n, fleet).Count) < Devices && DateTime.UtcNow < deadline) await Task.Delay(200, ct);
        var victim = fleet.Nodes.MaxBy(n => GrainsOn(n, fleet).Count)!;
        var grainsOnVictim = GrainsOn(victim, fleet);
        Assert.True(grainsOnVictim.Count > 0, $"the node to kill holds a grain{fleet.Logs}");
        Assert.All(fleet.Received.Values, Assert.Empty);

        // The rest of every episode, the prompts falling due, while the node dies a third of the way in.
        var total = late.Sum(b => b.Count);
        var sent = 0;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishing = Task.WhenAll(late.Select((batches, i) => fleet.PublishAsync(i, batches, firstSeq: early[i].Count + 1,
            () => { if (Interlocked.Increment(ref sent) == total / 3) third.TrySetResult(); })));
        await third.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        await victim.KillAsync();
        await publishing;

        // The wearers go on as they were, a batch every few seconds, while the node comes back.
        using var stop = new CancellationTokenSource();
        var published = episodes.Select(e => e.Frames.Count).ToArray();
        var live = Task.WhenAll(episodes.Select((e, i) => GoOnAsync(fleet, i, e.Frames[^1], early[i].Count + late[i].Count + 1,
            n => published[i] += n, stop.Token)));
        try
        {
            await victim.RestartAsync(ct);
            await fleet.WaitForPromptsAsync(TimeSpan.FromSeconds(90), ct);
        }
        finally
        {
            await stop.CancelAsync();
            await live;
        }

        var stored = await fleet.StoredFramesAsync(ct);
        var missing = fleet.DeviceIds.Select((id, i) => (id, Missing: published[i] - stored.GetValueOrDefault(id)))
            .Where(d => d.Missing != 0).ToList();
        Assert.True(missing.Count == 0, $"frames not stored: {string.Join(", ", missing)}{fleet.Logs}");
        await fleet.AssertOnePromptEachAsync(fleet.DeviceIds.Select((id, i) => (id, episodes[i].Reason)).ToDictionary(), ct);
    }

    /// <summary>Frames like <paramref name="last"/> up to now, a batch every 3 s, until <paramref name="stop"/>.</summary>
    static async Task GoOnAsync(ClusterFleet fleet, int device, PostureFrame last, long seq, Action<int> published, CancellationToken stop)
    {
        var ts = last.Ts;
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(3), stop); }
            catch (OperationCanceledException) { return; }
            var seconds = (int)((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000 - ts) / 1000);
            if (seconds <= 0) continue;
            var frames = TestFrames.Run(ts + 1000, seconds, last.Pitch, last.Motion, last.Steps);
            await fleet.PublishAsync(device, [frames], seq++);
            ts = frames[^1].Ts;
            published(frames.Count);
        }
    }

    /// <summary>The devices whose grain <paramref name="node"/> activated, as its log says.</summary>
    static List<string> GrainsOn(Ingestion.PostureServerProcess node, ClusterFleet fleet) =>
        [.. fleet.DeviceIds.Where(id => node.Output.Contains($"Coaching device {id} in the cluster", StringComparison.Ordinal))];
}
