using PostureSense.Core.Ordering;

namespace PostureSense.Server.Cluster;

/// <summary>
/// How a device grain waits for a missing batch (section <c>PostureSense:Ordering</c>); the
/// defaults are <see cref="BatchSequencerOptions"/>'s.
/// </summary>
public sealed class DeviceGrainOptions
{
    public const string Section = "PostureSense:Ordering";

    /// <summary>Longest a batch is held back for a lower seq that has not arrived (real time).</summary>
    public TimeSpan MaxGapWait { get; set; } = BatchSequencerOptions.Default.MaxGapWait;

    /// <summary>Most batches held per device while waiting.</summary>
    public int MaxHeld { get; set; } = BatchSequencerOptions.Default.MaxHeld;

    /// <summary>Released batches remembered to recognise a redelivery.</summary>
    public int Remembered { get; set; } = BatchSequencerOptions.Default.Remembered;

    public BatchSequencerOptions ToSequencerOptions() => new() { MaxGapWait = MaxGapWait, MaxHeld = MaxHeld, Remembered = Remembered };
}
