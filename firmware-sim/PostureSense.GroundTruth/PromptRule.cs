namespace PostureSense.GroundTruth;

/// <summary>
/// DESIGN.md: "cooldown: one prompt per reason per 15 min; none during quiet hours (default
/// 22:00-07:00 local)".
/// </summary>
/// <remarks>
/// An episode is prompted at its <see cref="ReferenceEpisode.CriterionMet"/> unless that falls
/// within the cooldown after the last prompt of its kind, or in quiet hours; then it gets no prompt
/// (the detection still counts, and its missing prompt is correct).
/// </remarks>
public static class PromptRule
{
    /// <summary>The episodes that get a prompt, in order.</summary>
    /// <param name="sequenceStart">Local wall-clock time of instant 0, for quiet hours.</param>
    public static IReadOnlyList<ReferenceEpisode> Prompted(IEnumerable<ReferenceEpisode> episodes, DateTime sequenceStart, RuleSettings? rules = null)
    {
        rules ??= new RuleSettings();
        var lastPrompt = new Dictionary<EpisodeKind, int>();
        var prompted = new List<ReferenceEpisode>();
        foreach (var episode in episodes.OrderBy(e => e.CriterionMet))
        {
            var due = TimeOnly.FromDateTime(sequenceStart.AddSeconds(episode.CriterionMet));
            if (InQuietHours(due, rules))
                continue;
            if (lastPrompt.TryGetValue(episode.Kind, out var last) && episode.CriterionMet - last < rules.CooldownSeconds)
                continue;
            lastPrompt[episode.Kind] = episode.CriterionMet;
            prompted.Add(episode);
        }
        return prompted;
    }

    // Quiet hours usually wrap midnight (22:00-07:00); a start after the end means they do.
    static bool InQuietHours(TimeOnly time, RuleSettings rules) =>
        rules.QuietHoursStart <= rules.QuietHoursEnd
            ? time >= rules.QuietHoursStart && time < rules.QuietHoursEnd
            : time >= rules.QuietHoursStart || time < rules.QuietHoursEnd;
}
