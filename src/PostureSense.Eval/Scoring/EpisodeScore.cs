using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Eval.Running;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.GroundTruth;

namespace PostureSense.Eval.Scoring;

/// <summary>A prompt that answered no ground-truth episode, and what the wearer was doing when it came.</summary>
public sealed record FalsePrompt(PromptReason Reason, TimeSpan At, QuietActivity During);

/// <summary>How the episodes of one kind in one scenario came out.</summary>
/// <param name="Delays">For each expected episode that was detected and prompted: the prompt's time after the ground-truth criterion.</param>
/// <param name="Latencies">The same prompts' time after the criterion was met in the telemetry the server received.</param>
/// <param name="Offsets">For each expected episode detected: when the telemetry met the criterion, relative to the ground truth.</param>
/// <param name="Unprompted">Expected episodes that were detected and were due a prompt, but got none.</param>
public sealed record EpisodeScore(
    PromptReason Kind, int Expected, int Detected, int Matched,
    IReadOnlyList<TimeSpan> Delays, IReadOnlyList<TimeSpan> Latencies, IReadOnlyList<TimeSpan> Offsets,
    int Unprompted, IReadOnlyList<FalsePrompt> FalsePrompts)
{
    /// <summary>Expected episodes whose prompt is due by the prompt rule (not inside a cooldown, not in quiet hours).</summary>
    public int PromptsDue { get; init; }

    /// <summary>Every prompt of this kind the coaching sent.</summary>
    public int PromptsSent { get; init; }

    /// <summary>
    /// Expected episodes detected and rightly not prompted: their criterion fell inside the cooldown
    /// of an earlier prompt of their kind, or in quiet hours.
    /// </summary>
    public int HeldBack { get; init; }

    /// <summary>
    /// A detection belongs to an expected episode when their criteria are this close. Fusion smooths
    /// and a slow slouch crosses 20° gradually, so seconds either way are the same episode; a
    /// different episode of the same kind is at least minutes away.
    /// </summary>
    public static readonly TimeSpan MatchWindow = TimeSpan.FromSeconds(60);

    /// <summary>Scored against the episodes the scenario file expects.</summary>
    public static EpisodeScore Of(ScenarioOutcome outcome, PromptReason kind) =>
        Of(outcome, kind, TruthEpisodes.FromFile(outcome.Scenario));

    public static EpisodeScore Of(ScenarioOutcome outcome, PromptReason kind, TruthEpisodes truth)
    {
        var expected = truth.Required.Where(e => e.Kind == kind).OrderBy(e => e.CriterionMet).ToList();
        var detected = outcome.Episodes.Where(e => e.Kind == kind).OrderBy(e => e.DetectedTs).ToList();
        var prompts = outcome.Prompts.Where(p => p.Reason == kind).ToList();

        // Each expected episode takes the nearest unclaimed detection within the window.
        var claimedBy = new Dictionary<int, ExpectedEpisode>();
        foreach (var e in expected)
        {
            var best = -1;
            var bestGap = MatchWindow;
            for (var i = 0; i < detected.Count; i++)
            {
                if (claimedBy.ContainsKey(i)) continue;
                var gap = (outcome.OffsetOf(detected[i].DetectedTs!.Value) - e.CriterionMet).Duration();
                if (gap <= bestGap) (best, bestGap) = (i, gap);
            }
            if (best >= 0) claimedBy[best] = e;
        }

        // A detection of a "don't care" episode is neither found nor false: it leaves the count.
        var excused = new HashSet<int>();
        foreach (var e in truth.DontCare.Where(e => e.Kind == kind))
        {
            var near = Enumerable.Range(0, detected.Count)
                .Where(i => !claimedBy.ContainsKey(i) && !excused.Contains(i))
                .Where(i => (outcome.OffsetOf(detected[i].DetectedTs!.Value) - e.CriterionMet).Duration() <= MatchWindow)
                .ToArray();
            if (near.Length > 0) excused.Add(near[0]);
        }

        // Detection and prompting are scored apart: an episode inside a cooldown is found (recall)
        // and its missing prompt is right.
        var due = truth.PromptDue(outcome.Start.DateTime);
        List<TimeSpan> delays = [], latencies = [], offsets = [];
        var unprompted = 0;
        var heldBack = 0;
        foreach (var (i, episode) in claimedBy)
        {
            var met = outcome.OffsetOf(detected[i].DetectedTs!.Value);
            offsets.Add(met - episode.CriterionMet);
            var prompt = prompts.FirstOrDefault(p => p.EpisodeStartTs == detected[i].StartTs);
            if (prompt is null)
            {
                if (due.Contains(episode) && !CoolingDown(prompts, detected[i].DetectedTs!.Value)) unprompted++;
                else heldBack++;
                continue;
            }
            // A prompt that waited out a cooldown is for a true episode, but its wait is the policy's, not a delay.
            if (!due.Contains(episode)) continue;
            delays.Add(outcome.OffsetOf(prompt.Ts) - episode.CriterionMet);
            latencies.Add(outcome.OffsetOf(prompt.Ts) - met);
        }

        var matchedStarts = claimedBy.Keys.Concat(excused).Select(i => detected[i].StartTs).ToHashSet();
        var falsePrompts = prompts
            .Where(p => !matchedStarts.Contains(p.EpisodeStartTs))
            .Select(p => new FalsePrompt(kind, outcome.OffsetOf(p.Ts), QuietActivities.At(outcome.Scenario, MetAt(outcome, detected, p))))
            .ToArray();
        return new EpisodeScore(kind, expected.Count, detected.Count - excused.Count, claimedBy.Count, delays, latencies, offsets, unprompted, falsePrompts)
        {
            PromptsDue = due.Count(e => e.Kind == kind),
            PromptsSent = prompts.Count,
            HeldBack = heldBack,
        };
    }

    /// <summary>
    /// Whether a prompt of this kind went out within the cooldown before <paramref name="detectedTs"/>:
    /// one for a "don't care" hunch starts a cooldown the truth's prompt rule does not know of, and
    /// holding the next prompt back then is the policy working.
    /// </summary>
    static bool CoolingDown(IEnumerable<PromptRecord> prompts, long detectedTs) =>
        prompts.Any(p => p.Ts <= detectedTs && detectedTs - p.Ts < (long)Cooldown.TotalMilliseconds);

    /// <summary>DESIGN.md: one prompt per reason per 15 min.</summary>
    static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(new RuleSettings().CooldownSeconds);

    /// <summary>The start of the frame that met the prompted episode's criterion: what the wearer was doing then caused it.</summary>
    static TimeSpan MetAt(ScenarioOutcome outcome, List<PostureRun> detected, PromptRecord prompt)
    {
        var run = detected.FirstOrDefault(d => d.StartTs == prompt.EpisodeStartTs);
        return outcome.OffsetOf(run.DetectedTs ?? prompt.Ts) - TimeSpan.FromSeconds(1);
    }
}
