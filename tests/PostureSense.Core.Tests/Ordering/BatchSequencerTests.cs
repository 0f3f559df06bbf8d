using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Ordering;

namespace PostureSense.Core.Tests.Ordering;

public class BatchSequencerTests
{
    static readonly TimeSpan Wait = BatchSequencerOptions.Default.MaxGapWait;
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    readonly BatchSequencer _sequencer = new();
    readonly TelemetryBatch[] _batches = Batches.Session(12);

    IReadOnlyList<SequencedBatch> Arrive(int seq) => _sequencer.Accept(_batches[seq - 1], _clock.GetUtcNow());
    IReadOnlyList<SequencedBatch> Arrive(TelemetryBatch batch) => _sequencer.Accept(batch, _clock.GetUtcNow());
    IReadOnlyList<SequencedBatch> Tick() => _sequencer.ReleaseDue(_clock.GetUtcNow());

    [Fact]
    public void Batches_in_order_pass_straight_through()
    {
        for (var seq = 1; seq <= 5; seq++)
        {
            var released = Assert.Single(Arrive(seq));
            Assert.Same(_batches[seq - 1], released.Batch);
            Assert.False(released.Late);
            Assert.Null(_sequencer.NextDeadline);
            _clock.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(default, _sequencer.Counts);
    }

    [Fact]
    public void Two_swapped_batches_come_out_in_order()
    {
        Arrive(1);
        Assert.Empty(Arrive(3));
        var released = Arrive(2);
        Assert.Equal([2, 3], released.Seqs());
        Assert.All(released, b => Assert.False(b.AfterGap));
        Assert.Null(_sequencer.NextDeadline);
        Assert.Equal(0, _sequencer.Counts.GivenUp);
    }

    [Fact]
    public void A_gap_holds_later_batches_at_most_the_gap_wait_then_gives_up_on_the_missing_seq()
    {
        Arrive(1);
        Arrive(2);
        var heldAt = _clock.GetUtcNow();
        Assert.Empty(Arrive(4));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(Arrive(5));
        Assert.Equal(heldAt + Wait, _sequencer.NextDeadline);

        _clock.Advance(Wait - TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(Tick());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var released = Tick();

        Assert.Equal([4, 5], released.Seqs());
        Assert.All(released, b => Assert.False(b.Late));
        // Only the batch right after the hole says the detectors missed something before it.
        Assert.Equal([true, false], released.Select(b => b.AfterGap));
        Assert.Equal(1, _sequencer.Counts.GivenUp);
        Assert.Null(_sequencer.NextDeadline);
    }

    [Fact]
    public void Each_held_batch_waits_from_its_own_arrival()
    {
        Arrive(1);
        Arrive(3);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var secondHeldAt = _clock.GetUtcNow();
        Arrive(5);
        _clock.Advance(Wait - TimeSpan.FromSeconds(2));

        var first = Assert.Single(Tick());
        Assert.Equal((3L, true), (first.Batch.Seq, first.AfterGap));
        Assert.Equal(secondHeldAt + Wait, _sequencer.NextDeadline);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var second = Assert.Single(Tick());
        Assert.Equal((5L, true), (second.Batch.Seq, second.AfterGap));
        Assert.Equal(2, _sequencer.Counts.GivenUp);
    }

    [Fact]
    public void A_batch_for_a_seq_given_up_on_comes_out_marked_late_exactly_once()
    {
        Arrive(1);
        Arrive(3);
        _clock.Advance(Wait);
        Tick();
        Arrive(4);

        var late = Assert.Single(Arrive(2));
        Assert.Same(_batches[1], late.Batch);
        Assert.True(late.Late);
        Assert.Empty(Arrive(2));
        Assert.Equal(new SequencerCounts(Duplicates: 1, GivenUp: 1, Late: 1, Restarts: 0), _sequencer.Counts);
    }

    [Fact]
    public void A_redelivered_batch_never_comes_out_twice_whether_released_or_held()
    {
        Assert.Single(Arrive(1));
        Assert.Empty(Arrive(1));
        Assert.Empty(Arrive(3));
        Assert.Empty(Arrive(3));
        Assert.Equal([2, 3], Arrive(2).Seqs());
        Assert.Empty(Arrive(3));
        _clock.Advance(Wait);
        Assert.Empty(Tick());
        Assert.Equal(3, _sequencer.Counts.Duplicates);
    }

    [Fact]
    public void A_device_that_counts_seq_from_one_again_starts_over_instead_of_being_late()
    {
        for (var seq = 1; seq <= 5; seq++) Arrive(seq);
        var next = Batches.SessionAfter(_batches[..5], 3);

        Assert.Empty(Arrive(next[1]));
        var released = Arrive(next[0]).Concat(Arrive(next[2])).ToList();

        Assert.Equal(next, released.Select(b => b.Batch));
        Assert.All(released, b => Assert.False(b.Late));
        Assert.Equal(new SequencerCounts(0, 0, 0, Restarts: 1), _sequencer.Counts);
    }

    [Fact]
    public void On_a_restart_what_the_old_session_still_held_goes_out_first()
    {
        Arrive(1);
        Arrive(3);
        var next = Batches.SessionAfter(_batches[..3], 1);

        var released = Arrive(next[0]);

        Assert.Equal([_batches[2], next[0]], released.Select(b => b.Batch));
        Assert.Equal(1, _sequencer.Counts.GivenUp);
        Assert.Equal(1, _sequencer.Counts.Restarts);
    }

    [Fact]
    public void A_restart_is_seen_while_the_old_session_is_still_held_at_its_start()
    {
        Assert.Empty(Arrive(7));
        var next = Batches.SessionAfter(_batches[..7], 1);

        Assert.Equal([_batches[6], next[0]], Arrive(next[0]).Select(b => b.Batch));
        Assert.Equal(1, _sequencer.Counts.Restarts);
    }

    [Fact]
    public void A_new_session_batch_taken_for_the_old_sessions_next_stays_held_for_the_new_session()
    {
        for (var seq = 1; seq <= 3; seq++) Arrive(seq);
        var next = Batches.SessionAfter(_batches[..3], 5);

        Assert.Empty(Arrive(next[4]));
        Assert.Empty(Arrive(next[1]));
        Assert.Equal(1, _sequencer.Counts.Restarts);
        var released = Arrive(next[0]).Concat(Arrive(next[3])).Concat(Arrive(next[2]));

        Assert.Equal(next, released.Select(b => b.Batch));
    }

    [Fact]
    public void No_more_than_the_bound_is_held_the_lowest_go_out_as_if_their_wait_had_passed()
    {
        var sequencer = new BatchSequencer(new BatchSequencerOptions { MaxHeld = 3 });
        var now = _clock.GetUtcNow();
        sequencer.Accept(_batches[0], now);
        foreach (var seq in new[] { 3, 5, 7 }) Assert.Empty(sequencer.Accept(_batches[seq - 1], now));

        Assert.Equal([3], sequencer.Accept(_batches[8], now).Seqs());
        Assert.Equal(3, sequencer.Held);
        Assert.Equal(1, sequencer.Counts.GivenUp);
    }

    [Fact]
    public void A_stream_first_seen_mid_session_starts_at_the_lowest_seq_that_arrives_within_the_wait()
    {
        Assert.Empty(Arrive(7));
        _clock.Advance(Wait / 2);
        Assert.Empty(Arrive(6));
        _clock.Advance(Wait / 2);

        Assert.Equal([6, 7], Tick().Seqs());
        Assert.True(Assert.Single(Arrive(5)).Late);
        Assert.Equal([8], Arrive(8).Seqs());
        Assert.Equal(0, _sequencer.Counts.GivenUp);
    }
}
