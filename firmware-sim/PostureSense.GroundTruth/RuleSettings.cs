namespace PostureSense.GroundTruth;

/// <summary>
/// The coaching rules' thresholds, each defaulting to DESIGN.md's "Coaching defaults" table
/// ("every one configurable per wearer"). Durations are in seconds.
/// </summary>
public sealed record RuleSettings
{
    /// <summary>Prolonged hunch: flexion at or beyond this is hunched (20°, ISO 11226's limit).</summary>
    public double HunchThresholdDegrees { get; init; } = 20;

    /// <summary>Prolonged hunch: this much hunched time ... (5 min)</summary>
    public int HunchHoldSeconds { get; init; } = 5 * 60;

    /// <summary>... within a sliding window this long (6 min).</summary>
    public int HunchWindowSeconds { get; init; } = 6 * 60;

    /// <summary>A correction (seconds not hunched in a row) this long or longer resets the hunch;
    /// a shorter one does not ("brief corrections under 30 s do not reset it").</summary>
    public int CorrectionResetSeconds { get; init; } = 30;

    /// <summary>Prolonged sitting: this much time without walking (30 min).</summary>
    public int SittingLimitSeconds { get; init; } = 30 * 60;

    /// <summary>Sitting reset: a walk of at least this long in a row (2 min).</summary>
    public int WalkResetSeconds { get; init; } = 2 * 60;

    /// <summary>Flexion within this of the threshold (±1°) is "don't care" for scoring: a real
    /// board's offsets shift pitch by about that much.</summary>
    public double NearThresholdMarginDegrees { get; init; } = 1;

    /// <summary>One prompt per reason per 15 min.</summary>
    public int CooldownSeconds { get; init; } = 15 * 60;

    /// <summary>No prompts from here (22:00 local) ...</summary>
    public TimeOnly QuietHoursStart { get; init; } = new(22, 0);

    /// <summary>... until here (07:00 local).</summary>
    public TimeOnly QuietHoursEnd { get; init; } = new(7, 0);
}
