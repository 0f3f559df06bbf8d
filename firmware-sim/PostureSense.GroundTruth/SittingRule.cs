namespace PostureSense.GroundTruth;

/// <summary>
/// DESIGN.md: "prolonged sitting: no walking for 30 min"; "sitting reset: at least 2 min of walking
/// (a break must be a real break)".
/// </summary>
/// <remarks>
/// Read as: the seconds without walking since the last reset are counted, and the criterion is met
/// at the end of the second that brings them to 30 min. A walk shorter than 2 min is no break: it
/// does not reset the count, but its seconds are walking, so they do not add to it either (29 min
/// of sitting and a 2 min walk is no episode; 29 min, a 1:50 walk and 1 min more is one). A walk
/// reaching 2 min resets the count. The truth's activity label says what walking is; DESIGN.md's
/// "fewer than 20 steps per minute and motion &lt; 0.05 g" is how a detector tells it from sensors.
/// </remarks>
static class SittingRule
{
    public static List<ReferenceEpisode> Find(IReadOnlyList<TruthSecond> truth, RuleSettings rules)
    {
        var episodes = new List<ReferenceEpisode>();
        var runStart = -1;
        var criterionMet = -1;
        var lastStill = -1;
        var still = 0;
        var walk = 0;

        for (var i = 0; i < truth.Count; i++)
        {
            if (!truth[i].IsWalking)
            {
                if (runStart < 0)
                    runStart = i;
                lastStill = i;
                walk = 0;
                if (++still == rules.SittingLimitSeconds)
                    criterionMet = i + 1;
            }
            else if (++walk >= rules.WalkResetSeconds)
            {
                Close();
            }
        }
        Close();
        return episodes;

        void Close()
        {
            if (runStart >= 0 && criterionMet >= 0)
                episodes.Add(new ReferenceEpisode(EpisodeKind.Sitting, runStart, criterionMet, lastStill + 1));
            runStart = -1;
            criterionMet = -1;
            still = 0;
        }
    }
}
