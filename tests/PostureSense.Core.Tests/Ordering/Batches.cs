using PostureSense.Core.Contract;
using PostureSense.Core.Ordering;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests.Ordering;

/// <summary>A device session's batches as the agent makes them: seq from 1, ten one-second frames each, in time order.</summary>
static class Batches
{
    public const int FramesPerBatch = 10;

    public static TelemetryBatch[] Session(int count, long startTs = 0)
    {
        var start = startTs == 0 ? Frames.Start : startTs;
        return [.. Enumerable.Range(1, count).Select(seq => new TelemetryBatch(ContractLimits.Version, seq,
            [.. Enumerable.Range(0, FramesPerBatch).Select(i =>
                new PostureFrame(start + ((seq - 1) * FramesPerBatch + i) * 1000L, 10, 0, 0.01, 0))]))];
    }

    /// <summary>A session the device starts after the given one ends (its outbox lost), seq from 1 again.</summary>
    public static TelemetryBatch[] SessionAfter(TelemetryBatch[] earlier, int count) =>
        Session(count, earlier[^1].Frames[^1].Ts + 60_000);

    public static long[] Seqs(this IEnumerable<SequencedBatch> released) => [.. released.Select(b => b.Batch.Seq)];
}
