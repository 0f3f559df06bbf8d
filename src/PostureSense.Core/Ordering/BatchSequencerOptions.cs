namespace PostureSense.Core.Ordering;

/// <summary>How long and how much a <see cref="BatchSequencer"/> holds back while it waits for a missing seq.</summary>
public sealed record BatchSequencerOptions
{
    /// <summary>
    /// Longest a batch is held back waiting for a lower seq that has not arrived. Short, because every
    /// second held is a second of delay before a prompt; long enough for a batch that another node
    /// read a moment later to catch up.
    /// </summary>
    public TimeSpan MaxGapWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Most batches held per device. Past it the lowest go out as if their wait had passed, so a
    /// seq that never comes cannot make a device's memory grow.
    /// </summary>
    public int MaxHeld { get; init; } = 64;

    /// <summary>
    /// How many released batches are remembered to recognise a redelivery. A redelivery of a batch
    /// older than that comes out again, marked late; storing is idempotent and coaching never
    /// prompts twice, so that only costs work.
    /// </summary>
    public int Remembered { get; init; } = 1024;

    public static BatchSequencerOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxGapWait, TimeSpan.Zero, nameof(MaxGapWait));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeld, 1, nameof(MaxHeld));
        ArgumentOutOfRangeException.ThrowIfLessThan(Remembered, 1, nameof(Remembered));
    }
}
