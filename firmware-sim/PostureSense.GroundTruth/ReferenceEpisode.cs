namespace PostureSense.GroundTruth;

public enum EpisodeKind
{
    Hunch,
    Sitting,
}

/// <summary>
/// A prolonged episode found in a truth sequence. Times are instants in seconds from the start of
/// the sequence: second <c>i</c> of the sequence runs from instant <c>i</c> to <c>i + 1</c>.
/// </summary>
/// <param name="Start">When the episode began: the start of its first qualifying second (hunched,
/// or without walking) after the last reset.</param>
/// <param name="CriterionMet">When DESIGN.md's criterion first holds, so a prompt becomes due: the
/// end of the second that completes 5 min of hunching in the window, or 30 min without walking.</param>
/// <param name="End">The end of its last qualifying second before the reset (a correction of at
/// least 30 s, a walk of at least 2 min) or before the sequence ends.</param>
/// <param name="NearThreshold">A hunch that only exists because the flexion is within the
/// near-threshold margin (default ±1°) of the threshold: read 1° lower it would not qualify. A
/// scorer treats it as "don't care" (see <see cref="ReferenceRules.MarginalHunches"/>).</param>
public sealed record ReferenceEpisode(EpisodeKind Kind, int Start, int CriterionMet, int End, bool NearThreshold = false)
{
    public bool Overlaps(ReferenceEpisode other) => Start < other.End && other.Start < End;
}
