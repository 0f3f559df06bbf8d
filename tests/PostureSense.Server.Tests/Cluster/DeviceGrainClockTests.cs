using PostureSense.Core.Posture;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>In a cluster, a device whose clock is wrong is coached by its grain like one on time.</summary>
public sealed class DeviceGrainClockTests : IDisposable
{
    const string Device = "desk-1";
    const long TenMinutes = 600_000;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Each batch arrives as it is made, on a cluster whose clock is <paramref name="behindMs"/> ahead of the device's.</summary>
    static async Task DeliverLiveAsync(GrainCluster fleet, IReadOnlyList<PostureFrame> frames, long behindMs, long firstSeq = 1)
    {
        var seq = firstSeq;
        foreach (var batch in frames.Batches(10))
        {
            var arrival = DateTimeOffset.FromUnixTimeMilliseconds(batch[^1].Ts + behindMs + 1000);
            if (arrival > fleet.Clock.GetUtcNow()) fleet.Clock.SetUtcNow(arrival);
            await fleet.DeliverAsync(fleet.Node((int)seq), Device, seq, batch);
            seq++;
        }
    }

    [Theory]
    [InlineData(TenMinutes)]
    [InlineData(-TenMinutes)]
    public async Task A_hunch_on_a_clock_ten_minutes_off_is_prompted_once_across_nodes(long behindMs)
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));

        await DeliverLiveAsync(fleet, TestFrames.Run(T0, 8 * 60, pitch: 30), behindMs);

        var prompt = Assert.Single(await fleet.PromptsAsync(Device));
        Assert.Equal(T0, prompt.EpisodeStartTs);
        Assert.Equal("hunch", Assert.Single(fleet.SentTo(Device)).Reason);
    }
}
