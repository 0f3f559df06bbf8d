using System.Diagnostics;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Cluster;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>
/// A device's batches reach the nodes of a cluster in any order, twice, late, or while its grain
/// moves: the wearer still gets one prompt per episode, for the episode as it happened.
/// </summary>
public sealed class DeviceGrainTests : IDisposable
{
    const string Device = "desk-1";
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Six minutes hunched in 10 s batches, seq 1 to 36: a 10 s hole is shorter than the hunch's reset.</summary>
    static List<(long Seq, List<PostureFrame> Frames)> Hunch(int seconds = 6 * 60, long startTs = 0, long firstSeq = 1) =>
        [.. TestFrames.Run(startTs == 0 ? T0 : startTs, seconds, pitch: 30).Batches(10).Select((frames, i) => (firstSeq + i, frames))];

    static async Task<PromptRecord> SinglePromptAsync(GrainCluster fleet)
    {
        var prompt = Assert.Single(await fleet.PromptsAsync(Device));
        var command = Assert.Single(fleet.SentTo(Device));
        Assert.Equal((DeviceCommand.Types.Stretch, "hunch", prompt.CommandId), (command.Type, command.Reason, command.Id));
        return prompt;
    }

    [Fact]
    public async Task A_hunch_delivered_in_order_is_prompted_once_on_the_wearers_clock()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));

        foreach (var (seq, frames) in Hunch())
            await fleet.DeliverAsync(fleet.Cluster.Client, Device, seq, frames);

        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);
        // Sent at the wearer's time (the fake clock, within the episode), not the cluster's real one.
        Assert.InRange(prompt.Ts, T0 + 5 * 60_000, fleet.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        Assert.Equal(prompt.Ts, Assert.Single(fleet.SentTo(Device)).Ts);
    }

    [Fact]
    public async Task A_hunch_turned_to_a_side_monitor_crosses_the_cluster_with_its_flexion_and_is_prompted()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));

        // 18° of pitch alone is no hunch; the agent's 23° of flexion is, if the grain call keeps it.
        var twisted = Hunch().Select(b => (b.Seq, b.Frames.Select(f => f with { Pitch = 18, Roll = 14.5, Flexion = 23 }).ToList()));
        foreach (var (seq, frames) in twisted)
            await fleet.DeliverAsync(fleet.Cluster.Client, Device, seq, frames);

        Assert.Equal(T0, (await SinglePromptAsync(fleet)).EpisodeStartTs);
    }

    [Fact]
    public async Task The_same_batches_shuffled_across_nodes_give_the_same_single_prompt()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var shuffled = Hunch().ToArray();
        new Random(14).Shuffle(shuffled);

        for (var i = 0; i < shuffled.Length; i++)
            await fleet.DeliverAsync(fleet.Node(i), Device, shuffled[i].Seq, shuffled[i].Frames);

        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);
    }

    [Fact]
    public async Task Batches_behind_a_missing_one_wait_then_go_on_and_the_late_one_prompts_nobody_again()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var hunch = Hunch();
        const int missing = 20;

        var delivering = Stopwatch.StartNew();
        foreach (var (seq, frames) in hunch.Where(b => b.Seq != missing))
            await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, frames);
        // Everything after the hole is held (the hunch completes only after it), until the wait is over.
        if (delivering.Elapsed < GrainCluster.MaxGapWait) Assert.Empty(fleet.SentTo(Device));

        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);

        var (lateSeq, lateFrames) = hunch.Single(b => b.Seq == missing);
        await fleet.DeliverAsync(fleet.Node(1), Device, lateSeq, lateFrames);
        Assert.Single(fleet.SentTo(Device));
        Assert.Single(await fleet.Store.ReadPromptsAsync(DeviceId.Parse(Device), T0, T0 + 3_600_000, Ct));
    }

    [Fact]
    public async Task Batches_that_come_after_the_wait_complete_the_episode_their_hole_had_cut()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var hunch = Hunch();
        // 80 s missing (a node that lagged): longer than the 30 s a correction needs to end a hunch.
        var lagging = hunch.Where(b => b.Seq is >= 5 and <= 12).ToList();

        foreach (var (seq, frames) in hunch.Except(lagging))
            await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, frames);
        // The wait runs out and the grain goes on without them: it saw 40 s, a hole, then 4 min.
        await Task.Delay(GrainCluster.MaxGapWait * 2, Ct);
        Assert.Empty(fleet.SentTo(Device));

        foreach (var (seq, frames) in lagging)
            await fleet.DeliverAsync(fleet.Node(2), Device, seq, frames);
        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);

        // More of the same hunch, and the late batches again: still the one prompt.
        foreach (var (seq, frames) in Hunch(60, T0 + 360_000, firstSeq: 37).Concat(lagging))
            await fleet.DeliverAsync(fleet.Node(0), Device, seq, frames);
        Assert.Single(fleet.SentTo(Device));
    }

    [Fact]
    public async Task Batches_stored_but_never_handed_to_the_grain_are_read_from_the_store_when_it_stops_waiting()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var hunch = Hunch();
        // 80 s that nodes stored while the grain's node was dead and their handoffs failed: without
        // them the grain sees 40 s, a hole longer than a hunch's reset, then 4 min: no prompt.
        var stranded = hunch.Where(b => b.Seq is >= 5 and <= 12).ToList();

        foreach (var (seq, frames) in hunch)
        {
            if (stranded.Any(b => b.Seq == seq)) await fleet.StoreOnlyAsync(Device, frames);
            else await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, frames);
        }

        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);
        // The devices' next batches bring nothing new to prompt for.
        foreach (var (seq, frames) in Hunch(30, T0 + 360_000, firstSeq: 37))
            await fleet.DeliverAsync(fleet.Node(0), Device, seq, frames);
        Assert.Single(fleet.SentTo(Device));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_prompt_stored_by_a_node_that_died_before_publishing_it_goes_out_once_as_the_same_command(bool deviceAnswered)
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var hunch = Hunch();
        // The node that held the grain stored the prompt at 5 min and died before it published it.
        foreach (var (_, frames) in hunch.Take(30)) await fleet.StoreOnlyAsync(Device, frames);
        var stored = new PromptRecord(DeviceId.Parse(Device), "c-0123456789", T0 + 300_000, PromptReason.Hunch, "cat-cow", "double", T0);
        await fleet.Store.WritePromptAsync(stored, Ct);
        if (deviceAnswered)
            await fleet.Store.WriteAckAsync(new AckRecord(stored.DeviceId, stored.CommandId, CommandAck.Statuses.Received, stored.Ts + 500), Ct);

        foreach (var (seq, frames) in hunch.Skip(30))
            await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, frames);

        // Unanswered, it goes again as the same command, which the device plays once; answered, it arrived.
        if (deviceAnswered)
        {
            await Task.Delay(GrainCluster.MaxGapWait * 2, Ct);
            Assert.Empty(fleet.SentTo(Device));
        }
        else
        {
            await Eventually.TrueAsync(() => fleet.SentTo(Device).Count > 0, "the stored prompt sent");
            await Task.Delay(GrainCluster.MaxGapWait * 2, Ct);
            Assert.Equal(["c-0123456789"], fleet.SentTo(Device).Select(c => c.Id).Distinct());
        }
        Assert.Single(await fleet.Store.ReadPromptsAsync(stored.DeviceId, 0, long.MaxValue, Ct));
    }

    [Fact]
    public async Task Redelivered_batches_do_not_prompt_twice()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var hunch = Hunch();

        // Each batch twice, from different nodes (a broker's at-least-once), then the whole lot again.
        foreach (var (seq, frames) in hunch)
        {
            await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, frames);
            await fleet.DeliverAsync(fleet.Node((int)seq + 1), Device, seq, frames);
        }
        var prompt = await SinglePromptAsync(fleet);
        foreach (var (seq, frames) in hunch)
            await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, frames);

        Assert.Equal(T0, prompt.EpisodeStartTs);
        Assert.Single(fleet.SentTo(Device));
    }

    [Fact]
    public async Task A_grain_deactivated_mid_episode_comes_back_from_the_store_and_prompts_once()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var hunch = Hunch();
        foreach (var (seq, frames) in hunch.Take(24))
            await fleet.DeliverAsync(fleet.Node(0), Device, seq, frames);
        Assert.Empty(fleet.SentTo(Device));

        await fleet.Cluster.DeactivateAsync(fleet.Cluster.Client.GetGrain<IDeviceGrain>(Device));

        // The new activation has not seen seq 1 to 24: it waits for them, then goes on from the store.
        foreach (var (seq, frames) in hunch.Skip(24))
            await fleet.DeliverAsync(fleet.Node(1), Device, seq, frames);
        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);
    }

    [Fact]
    public async Task A_grain_that_goes_while_it_holds_batches_coaches_them_first()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        foreach (var (seq, frames) in Hunch().Where(b => b.Seq != 3))
            await fleet.DeliverAsync(fleet.Node(0), Device, seq, frames);

        await fleet.Cluster.DeactivateAsync(fleet.Cluster.Client.GetGrain<IDeviceGrain>(Device));

        var prompt = await SinglePromptAsync(fleet);
        Assert.Equal(T0, prompt.EpisodeStartTs);
    }

    [Fact]
    public async Task A_device_whose_node_stops_after_a_prompt_goes_on_elsewhere_without_a_repeat()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        // Hunched for 16 minutes (prompted once, at 6), a 3 minute walk ends it, then 6 minutes
        // hunched again, after the cooldown: a second prompt, for the new episode only.
        var day = TestFrames.Run(T0, 16 * 60, pitch: 30).Then(3 * 60, pitch: 2, motion: 0.2, steps: 2).Then(6 * 60, pitch: 30);
        var batches = day.Batches(10).Select((frames, i) => (Seq: i + 1L, Frames: frames)).ToList();
        foreach (var (seq, frames) in batches.Take(48))
            await fleet.DeliverAsync(fleet.Node(0), Device, seq, frames);
        var first = await SinglePromptAsync(fleet);

        var grain = fleet.Cluster.Client.GetGrain<IDeviceGrain>(Device);
        Assert.True(fleet.Cluster.TryGetGrainContext(grain.GetGrainId(), out var context));
        await fleet.Cluster.StopSiloAsync(fleet.Cluster.Silos.Single(s => s.SiloAddress.Equals(context.Address.SiloAddress)));

        foreach (var (seq, frames) in batches.Skip(48))
            await fleet.DeliverAsync(fleet.Cluster.Client, Device, seq, frames);

        var prompts = await fleet.PromptsAsync(Device, count: 2);
        Assert.Equal([(first.CommandId, T0), (fleet.SentTo(Device)[1].Id, T0 + 19 * 60_000)],
            prompts.Select(p => (p.CommandId, p.EpisodeStartTs)));
        Assert.Equal(2, fleet.SentTo(Device).Count);
    }

    [Fact]
    public async Task A_grain_key_that_is_not_a_device_id_is_refused()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"), silos: 2);
        var batch = new TelemetryBatch(ContractLimits.Version, 1, TestFrames.Run(T0, 5, pitch: 0));

        await Assert.ThrowsAnyAsync<Exception>(() => fleet.Cluster.Client.GetGrain<IDeviceGrain>("Not An Id").OnBatchStoredAsync(batch, Ct));
    }
}
