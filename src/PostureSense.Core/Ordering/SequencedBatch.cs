using PostureSense.Core.Contract;

namespace PostureSense.Core.Ordering;

/// <summary>A batch the sequencer lets through to the detectors.</summary>
/// <param name="Late">
/// The batch came after the sequencer had already moved past its seq (it gave up waiting for it, or
/// never knew of it). It belongs in history; whether it may still prompt is coaching's decision.
/// </param>
public readonly record struct SequencedBatch(TelemetryBatch Batch, bool Late)
{
    /// <summary>
    /// The sequencer gave up on the seqs just before this batch: between it and what went before lie
    /// batches the detectors have not seen, which may yet come late, or may already be in the store
    /// (stored by a node that could not hand them on).
    /// </summary>
    public bool AfterGap { get; init; }
}

/// <summary>What a device's sequencer has had to make of its stream so far.</summary>
/// <param name="Duplicates">Batches dropped because the same batch was already released or held (a redelivery).</param>
/// <param name="GivenUp">Seqs skipped because they had not arrived in time or the hold was full.</param>
/// <param name="Late">Batches released after their seq had been passed.</param>
/// <param name="Restarts">Times the device was seen to start a new session, counting seq from the start again.</param>
public readonly record struct SequencerCounts(long Duplicates, long GivenUp, long Late, long Restarts);
