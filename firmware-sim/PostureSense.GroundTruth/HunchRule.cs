namespace PostureSense.GroundTruth;

/// <summary>
/// DESIGN.md: "prolonged hunch: pitch >= 20 deg for 5 min within a 6 min window (brief corrections
/// under 30 s do not reset it)".
/// </summary>
/// <remarks>
/// Read as: a hunch bout is the hunched seconds joined across corrections shorter than 30 s; a
/// correction of 30 s or more ends the bout and resets the count (nothing before it counts). The
/// criterion is met at the end of the first second at which the bout's hunched seconds within the
/// last 6 min reach 5 min; a bout that never gets there is no episode. So short corrections cost
/// time (they are not hunched) without resetting, and the window caps what they may add up to.
/// </remarks>
static class HunchRule
{
    public static List<ReferenceEpisode> Find(IReadOnlyList<TruthSecond> truth, RuleSettings rules, Func<TruthSecond, bool> isHunched)
    {
        var episodes = new List<ReferenceEpisode>();
        // hunchedBefore[t] = hunched seconds in [0, t), so any window's count is one subtraction.
        var hunchedBefore = new int[truth.Count + 1];
        var boutStart = -1;
        var criterionMet = -1;
        var lastHunched = -1;
        var correction = 0;

        for (var i = 0; i < truth.Count; i++)
        {
            var hunched = isHunched(truth[i]);
            hunchedBefore[i + 1] = hunchedBefore[i] + (hunched ? 1 : 0);
            if (hunched)
            {
                if (boutStart < 0)
                    boutStart = i;
                lastHunched = i;
                correction = 0;
                var now = i + 1;
                var windowStart = Math.Max(now - rules.HunchWindowSeconds, boutStart);
                if (criterionMet < 0 && hunchedBefore[now] - hunchedBefore[windowStart] >= rules.HunchHoldSeconds)
                    criterionMet = now;
            }
            else if (boutStart >= 0 && ++correction >= rules.CorrectionResetSeconds)
            {
                Close();
            }
        }
        Close();
        return episodes;

        void Close()
        {
            if (boutStart >= 0 && criterionMet >= 0)
                episodes.Add(new ReferenceEpisode(EpisodeKind.Hunch, boutStart, criterionMet, lastHunched + 1));
            boutStart = -1;
            criterionMet = -1;
            correction = 0;
        }
    }
}
