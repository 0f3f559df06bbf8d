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

    // Any arrival order, any delays (past the gap wait too), redeliveries, timer ticks and a small
    // hold bound: what comes out is still each batch once, the in-order ones in rising seq.
    static readonly Gen<(int MaxHeld, (int Seq, int DelayMs, bool Tick)[] Steps)> Chaos =
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 30]).SelectMany((maxHeld, count) =>
            Gen.Int[1, count].Array[0, count].SelectMany(again =>
                Gen.Shuffle(Enumerable.Range(1, count).Concat(again).ToArray())
                    .SelectMany(order => Gen.Select(Gen.Int[0, 2 * (int)Wait.TotalMilliseconds], Gen.Bool).Array[order.Length]
                        .Select(timing => (maxHeld, order.Select((seq, i) => (seq, timing[i].Item1, timing[i].Item2)).ToArray())))));

    [Fact]
    public void Whatever_the_delays_each_batch_comes_out_once_and_in_order_unless_marked_late()
    {
        Chaos.Sample((maxHeld, steps) =>
        {
            var count = steps.Max(s => s.Seq);
            var batches = Batches.Session(count);
            var sequencer = new BatchSequencer(new BatchSequencerOptions { MaxHeld = maxHeld });
            var now = T0;
            var released = new List<SequencedBatch>();
            foreach (var (seq, delayMs, tick) in steps)
            {
                now += TimeSpan.FromMilliseconds(delayMs);
                if (tick) released.AddRange(sequencer.ReleaseDue(now));
                released.AddRange(sequencer.Accept(batches[seq - 1], now));
                Assert.InRange(sequencer.Held, 0, maxHeld);
                if (sequencer.NextDeadline is { } deadline) Assert.True(deadline > now && deadline <= now + Wait, $"deadline {deadline:O} at {now:O}");
            }
            released.AddRange(sequencer.ReleaseDue(now + Wait));

            Assert.Null(sequencer.NextDeadline);
            Assert.Equal(Enumerable.Range(1, count), released.Select(b => (int)b.Batch.Seq).Order());
            var inOrder = released.Where(b => !b.Late).Select(b => b.Batch.Seq).ToList();
            Assert.Equal(inOrder.Order(), inOrder);
            Assert.Equal(released.Count(b => b.Late), sequencer.Counts.Late);
            Assert.Equal(steps.Length - count, sequencer.Counts.Duplicates);
            Assert.Equal(0, sequencer.Counts.Restarts);
        });
    }

    // A device that lost its outbox: a second session numbered from 1 again, no longer than the
    // first (so its first arrival is below what the first session reached), each in any order.
    static readonly Gen<(int[] First, int[] Second)> TwoSessions =
        Gen.Int[1, 20].SelectMany(a => Gen.Int[1, a].SelectMany(b =>
            Gen.Select(Gen.Shuffle(Enumerable.Range(1, a).ToArray()), Gen.Shuffle(Enumerable.Range(1, b).ToArray()))));

    [Fact]
    public void A_session_restarted_from_seq_one_comes_out_after_the_first_in_order_and_none_late()
    {
        TwoSessions.Sample((first, second) =>
        {
            var a = Batches.Session(first.Length);
            var b = Batches.SessionAfter(a, second.Length);
            var sequencer = new BatchSequencer();
            var released = new List<SequencedBatch>();
            var now = T0;
            foreach (var seq in first) released.AddRange(sequencer.Accept(a[seq - 1], now += TimeSpan.FromMilliseconds(100)));
            foreach (var seq in second) released.AddRange(sequencer.Accept(b[seq - 1], now += TimeSpan.FromMilliseconds(100)));

            Assert.Equal(a.Concat(b), released.Select(r => r.Batch));
            Assert.All(released, r => Assert.False(r.Late));
            Assert.Equal(new SequencerCounts(0, 0, 0, Restarts: 1), sequencer.Counts);
        });
    }
}
