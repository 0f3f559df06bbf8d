using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Server.Cluster;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>
/// How a node hands stored batches to device grains while another node is dying: a grain call
/// that hangs holds up only its own device, a failed one is tried again in order, and one that
/// never gets through is given up on after a while instead of holding the device's batches for good.
/// </summary>
public sealed class GrainHandoffTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DeviceId Stuck = DeviceId.Parse("desk-stuck");
    static readonly DeviceId Healthy = DeviceId.Parse("desk-ok");

    static TelemetryBatch Batch(long seq) => new(ContractLimits.Version, seq, []);

    [Fact]
    public async Task A_grain_call_that_hangs_holds_up_only_its_own_device()
    {
        var grains = new Grains { Hangs = { Stuck } };
        var retries = new FakeTimeProvider();
        await using var handoff = new GrainHandoff(grains.DeliverAsync, NullLogger<GrainHandoff>.Instance, retries);

        // Each returns at once: the node's coaching loop waits for no grain.
        await handoff.HandOverAsync(Stuck, Batch(1), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await handoff.HandOverAsync(Stuck, Batch(2), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
        foreach (var seq in Enumerable.Range(1, 5))
            await handoff.HandOverAsync(Healthy, Batch(seq), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await Eventually.TrueAsync(() => grains.Taken(Healthy).Count == 5, "the healthy device's batches");
        Assert.Equal([1L, 2, 3, 4, 5], grains.Taken(Healthy));
        // The stuck device's second batch waits behind its first: order is kept.
        Assert.Equal([1L], grains.Attempted(Stuck));
        Assert.Equal(2, handoff.Pending);
    }

    [Fact]
    public async Task A_failed_call_is_tried_again_and_the_device_keeps_its_order()
    {
        var grains = new Grains { FailuresLeft = { [Stuck] = 2 } };
        var retries = new FakeTimeProvider();
        await using var handoff = new GrainHandoff(grains.DeliverAsync, NullLogger<GrainHandoff>.Instance, retries);

        await handoff.HandOverAsync(Stuck, Batch(1), Ct);
        await handoff.HandOverAsync(Stuck, Batch(2), Ct);
        await handoff.HandOverAsync(Stuck, Batch(3), Ct);

        await AdvanceUntilAsync(retries, () => grains.Taken(Stuck).Count == 3);
        Assert.Equal([1L, 2, 3], grains.Taken(Stuck));
        Assert.Equal([1L, 1, 1, 2, 3], grains.Attempted(Stuck));
        await Eventually.TrueAsync(() => handoff.Pending == 0, "every slot back");
    }

    [Fact]
    public async Task A_call_that_never_gets_through_is_given_up_on_and_the_device_goes_on()
    {
        var grains = new Grains { NeverTaken = { (Stuck, 1) } };
        var retries = new FakeTimeProvider();
        await using var handoff = new GrainHandoff(grains.DeliverAsync, NullLogger<GrainHandoff>.Instance, retries);

        await handoff.HandOverAsync(Stuck, Batch(1), Ct);
        await handoff.HandOverAsync(Stuck, Batch(2), Ct);

        // Still trying within the window.
        await AdvanceUntilAsync(retries, () => grains.Attempted(Stuck).Count >= 3);
        Assert.Empty(grains.Taken(Stuck));

        // Past it, batch 1 is let go (it is stored; the grain catches up from the store), and batch 2 gets its turn.
        await AdvanceUntilAsync(retries, () => grains.Taken(Stuck).Count == 1, step: TimeSpan.FromSeconds(10));
        Assert.Equal([2L], grains.Taken(Stuck));
        await Eventually.TrueAsync(() => handoff.Pending == 0, "every slot back");
    }

    /// <summary>Moves the retry clock on in steps until <paramref name="done"/>, letting the retries run between steps.</summary>
    static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> done, TimeSpan? step = null)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            clock.Advance(step ?? TimeSpan.FromSeconds(1));
            await Task.Delay(10, Ct);
        }
        Assert.True(done(), "the handoff did not get there");
    }

    /// <summary>Grains that take batches, hang, or fail a number of times first.</summary>
    sealed class Grains
    {
        readonly List<(DeviceId Device, long Seq, bool Taken)> _calls = [];
        public HashSet<DeviceId> Hangs { get; } = [];
        public Dictionary<DeviceId, int> FailuresLeft { get; } = [];
        public HashSet<(DeviceId, long)> NeverTaken { get; } = [];

        public IReadOnlyList<long> Taken(DeviceId device)
        {
            lock (_calls) return [.. _calls.Where(c => c.Device == device && c.Taken).Select(c => c.Seq)];
        }

        public IReadOnlyList<long> Attempted(DeviceId device)
        {
            lock (_calls) return [.. _calls.Where(c => c.Device == device).Select(c => c.Seq)];
        }

        public async Task DeliverAsync(DeviceId device, TelemetryBatch batch, CancellationToken cancellationToken)
        {
            bool fail;
            lock (_calls)
            {
                fail = NeverTaken.Contains((device, batch.Seq)) || (FailuresLeft.TryGetValue(device, out var left) && left > 0);
                if (FailuresLeft.TryGetValue(device, out left) && left > 0) FailuresLeft[device] = left - 1;
                _calls.Add((device, batch.Seq, !fail && !Hangs.Contains(device)));
            }
            if (Hangs.Contains(device)) await Task.Delay(Timeout.Infinite, cancellationToken);
            if (fail) throw new TimeoutException("silo unavailable");
        }
    }
}
