using PostureSense.Core.Ordering;

namespace PostureSense.Core.Tests.Ordering;

public class BatchSequencerOptionsTests
{
    [Fact]
    public void The_gap_wait_is_an_option()
    {
        var batches = Batches.Session(3);
        var t0 = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        var sequencer = new BatchSequencer(new BatchSequencerOptions { MaxGapWait = TimeSpan.FromSeconds(10) });
        sequencer.Accept(batches[0], t0);
        sequencer.Accept(batches[2], t0);

        Assert.Empty(sequencer.ReleaseDue(t0.AddSeconds(9)));
        Assert.Equal([3], sequencer.ReleaseDue(t0.AddSeconds(10)).Seqs());
    }

    [Theory]
    [InlineData(-1, 64, 1024)]
    [InlineData(3, 0, 1024)]
    [InlineData(3, 64, 0)]
    public void Settings_that_cannot_work_are_refused_up_front(int waitSeconds, int maxHeld, int remembered) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSequencer(new BatchSequencerOptions
        {
            MaxGapWait = TimeSpan.FromSeconds(waitSeconds), MaxHeld = maxHeld, Remembered = remembered,
        }));
}
