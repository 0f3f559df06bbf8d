namespace PostureSense.GroundTruth;

/// <summary>
/// The prolonged episodes DESIGN.md's coaching rules find in a wearer's per-second truth. It is the
/// ground truth the detectors are scored against, so it is written from DESIGN.md alone.
/// </summary>
/// <remarks>
/// Detection is apart from prompting: every episode is listed here, also one inside another's
/// cooldown or in quiet hours; <see cref="PromptRule"/> says which of them get a prompt. An episode
/// lasts until it is reset, however long: one 2-hour sitting stretch is one episode.
/// </remarks>
public static class ReferenceRules
{
    /// <summary>Every hunch and sitting episode, in order of <see cref="ReferenceEpisode.CriterionMet"/>.</summary>
    public static IReadOnlyList<ReferenceEpisode> Episodes(IReadOnlyList<TruthSecond> truth, RuleSettings? rules = null)
    {
        rules ??= new RuleSettings();
        return [.. Hunches(truth, rules).Concat(SittingRule.Find(truth, rules))
            .OrderBy(e => e.CriterionMet).ThenBy(e => e.Kind)];
    }

    /// <summary>
    /// The hunches, each flagged <see cref="ReferenceEpisode.NearThreshold"/> when it would vanish
    /// were the flexion read a margin lower: none of it overlaps a hunch found with flexion above
    /// threshold + margin (above 21° by default).
    /// </summary>
    public static IReadOnlyList<ReferenceEpisode> Hunches(IReadOnlyList<TruthSecond> truth, RuleSettings? rules = null)
    {
        rules ??= new RuleSettings();
        var threshold = rules.HunchThresholdDegrees;
        var clear = HunchRule.Find(truth, rules, s => s.IsUprightPosture && s.FlexionDegrees > threshold + rules.NearThresholdMarginDegrees);
        return [.. HunchRule.Find(truth, rules, s => s.IsUprightPosture && s.FlexionDegrees >= threshold)
            .Select(e => e with { NearThreshold = !clear.Any(e.Overlaps) })];
    }

    /// <summary>
    /// Hunches that exist only were the flexion read a margin higher (flexion at or above 19° by
    /// default) and overlap no hunch at the threshold. A detector that reports one is within the
    /// sensor's error, so a scorer counts it neither as found nor as false ("don't care").
    /// </summary>
    public static IReadOnlyList<ReferenceEpisode> MarginalHunches(IReadOnlyList<TruthSecond> truth, RuleSettings? rules = null)
    {
        rules ??= new RuleSettings();
        var threshold = rules.HunchThresholdDegrees;
        var nominal = Hunches(truth, rules);
        return [.. HunchRule.Find(truth, rules, s => s.IsUprightPosture && s.FlexionDegrees >= threshold - rules.NearThresholdMarginDegrees)
            .Where(e => !nominal.Any(e.Overlaps))
            .Select(e => e with { NearThreshold = true })];
    }

    /// <summary>Whether this second's flexion is within the margin of the threshold (19-21° by
    /// default), where a real board's offsets could put the reading on either side.</summary>
    public static bool IsNearThreshold(TruthSecond second, RuleSettings? rules = null)
    {
        rules ??= new RuleSettings();
        return second.IsUprightPosture
            && Math.Abs(second.FlexionDegrees - rules.HunchThresholdDegrees) <= rules.NearThresholdMarginDegrees;
    }
}
