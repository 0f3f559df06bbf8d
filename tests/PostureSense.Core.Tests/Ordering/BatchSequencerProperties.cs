using CsCheck;
using PostureSense.Core.Ordering;

namespace PostureSense.Core.Tests.Ordering;

public class BatchSequencerProperties
{
    static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Wait = BatchSequencerOptions.Default.MaxGapWait;

    // Arrival orders of a session's batches, some delivered more than once (at-least-once delivery),
    // all arriving within the gap wait of the first.
    static readonly Gen<(int Count, int[] Arrivals)> Deliveries =
        Gen.Int[1, 40].SelectMany(count =>
            Gen.Int[1, count].Array[0, count].SelectMany(again =>
                Gen.Shuffle(Enumerable.Range(1, count).Concat(again).ToArray()).Select(order => (count, order))));

    [Fact]
    public void Any_arrival_order_within_the_gap_wait_yields_each_batch_once_in_seq_order()
    {
        Deliveries.Sample((count, arrivals) =>
        {
            var batches = Batches.Session(count);
            var sequencer = new BatchSequencer();
            var step = (Wait - TimeSpan.FromMilliseconds(1)) / arrivals.Length;
            var released = new List<SequencedBatch>();
            for (var i = 0; i < arrivals.Length; i++)
                released.AddRange(sequencer.Accept(batches[arrivals[i] - 1], T0 + step * i));

            Assert.Equal(batches, released.Select(b => b.Batch));
            Assert.All(released, b => Assert.False(b.Late));
            Assert.Equal(0, sequencer.Held);
            Assert.Equal(new SequencerCounts(Duplicates: arrivals.Length - count, 0, 0, 0), sequencer.Counts);
        });
    }
}
