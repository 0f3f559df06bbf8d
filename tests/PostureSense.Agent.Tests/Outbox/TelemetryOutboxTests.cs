using PostureSense.Agent.Outbox;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Tests.Outbox;

/// <summary>The outbox on a real SQLite file in a temp directory.</summary>
public sealed class TelemetryOutboxTests : IDisposable
{
    static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    readonly TempDirectory _dir = new();

    string File => TelemetryOutbox.FilePath(_dir.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1"));

    TelemetryOutbox Open(int maxFrames = 86_400) => TelemetryOutbox.Open(File, maxFrames);

    /// <summary><paramref name="count"/> frames, one a second from <paramref name="first"/> seconds after 09:00.</summary>
    static PostureFrame[] Frames(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(i => new PostureFrame(Now.AddSeconds(i).ToUnixTimeMilliseconds(), 20.5 + i, -3.25, 0.0125, i % 3))];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Batches_survive_reopening_the_outbox()
    {
        using (var outbox = Open())
        {
            outbox.Append(Frames(0, 5), Now);
            outbox.Append(Frames(5, 60), Now);
        }

        using var reopened = Open();
        var batches = reopened.ReadAll();
        Assert.Equal([1L, 2L], batches.Select(b => b.Seq));
        Assert.Equal(Frames(0, 5), batches[0].Frames);
        Assert.Equal(Frames(5, 60), batches[1].Frames);
        Assert.Equal((2, 65L), (reopened.Count, reopened.Frames));
    }

    [Fact]
    public void Seq_continues_after_reopening_even_when_the_outbox_was_emptied()
    {
        using (var outbox = Open())
        {
            foreach (var i in Enumerable.Range(0, 3)) outbox.Append(Frames(i * 5, 5), Now);
            foreach (var seq in new[] { 1L, 2L, 3L }) outbox.Remove(seq);
            Assert.Equal(0, outbox.Count);
        }

        using var reopened = Open();
        Assert.Equal(4, reopened.NextSeq);
        Assert.Equal(4, reopened.Append(Frames(15, 5), Now).Batch.Seq);
    }

    [Fact]
    public void Unsent_batches_come_out_oldest_first_and_a_removed_one_never_comes_back()
    {
        using (var outbox = Open())
        {
            foreach (var i in Enumerable.Range(0, 5)) outbox.Append(Frames(i * 5, 5), Now);
            Assert.True(outbox.TryPeek(out var first));
            Assert.Equal(1, first.Seq);
            outbox.Remove(first.Seq);
        }

        using var reopened = Open();
        var order = new List<long>();
        while (reopened.TryPeek(out var batch))
        {
            order.Add(batch.Seq);
            reopened.Remove(batch.Seq);
        }
        Assert.Equal([2L, 3L, 4L, 5L], order);
        Assert.Equal((0, 0L), (reopened.Count, reopened.Frames));
    }

    [Fact]
    public void Past_the_bound_the_oldest_batches_are_dropped_and_counted()
    {
        using var outbox = Open(maxFrames: 60);
        var dropped = new List<long>();
        foreach (var i in Enumerable.Range(0, 15)) dropped.AddRange(outbox.Append(Frames(i * 5, 5), Now).Dropped.Select(d => d.Seq));

        Assert.Equal([1L, 2L, 3L], dropped);
        Assert.Equal((12, 60L, 3L), (outbox.Count, outbox.Frames, outbox.Dropped));
        Assert.Equal(Enumerable.Range(4, 12).Select(i => (long)i), outbox.ReadAll().Select(b => b.Seq));
    }

    [Fact]
    public void Removing_a_batch_the_bound_already_dropped_changes_nothing()
    {
        using var outbox = Open(maxFrames: 60);
        outbox.Append(Frames(0, 60), Now);
        outbox.Append(Frames(60, 5), Now); // drops seq 1

        outbox.Remove(1);

        Assert.Equal((1, 5L), (outbox.Count, outbox.Frames));
    }

    [Fact]
    public void Without_a_file_the_outbox_is_in_memory_and_starts_at_seq_1()
    {
        using (var outbox = TelemetryOutbox.Open(null, 86_400)) outbox.Append(Frames(0, 5), Now);

        using var again = TelemetryOutbox.Open(null, 86_400);
        Assert.Equal((0, 1L), (again.Count, again.NextSeq));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }
}
