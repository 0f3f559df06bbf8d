using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.Core.History;

/// <summary>
/// Summarises a day by replaying the same detectors that coach the wearer live, so history and
/// prompts never disagree about what was a prolonged hunch.
/// </summary>
public static class DaySummarizer
{
    /// <summary>Sitting bouts shorter than this are not worth listing (a pause between walks).</summary>
    public static readonly TimeSpan MinListedSittingBout = TimeSpan.FromMinutes(5);

    /// <param name="frames">The day's frames in time order.</param>
    public static DaySummary Summarize(
        DateOnly day, IReadOnlyList<PostureFrame> frames, IReadOnlyList<PromptRecord> prompts,
        IReadOnlyList<AckRecord> acks, CoachingSettings settings)
    {
        var monitor = new PostureMonitor(settings);
        var runs = new List<PostureRun>();
        int upright = 0, hunched = 0;
        foreach (var frame in frames)
        {
            if (frame.Pitch < settings.NudgePitchDeg) upright++;
            if (frame.Pitch >= settings.HunchPitchDeg) hunched++;
            monitor.Observe(frame, closed: runs);
        }
        monitor.Flush(runs);

        var hunchEpisodes = runs.Where(r => r is { Kind: PromptReason.Hunch, IsEpisode: true }).OrderBy(r => r.StartTs).ToList();
        var sittingBouts = runs.Where(r => r.Kind == PromptReason.Sitting && r.Duration >= MinListedSittingBout).OrderBy(r => r.StartTs).ToList();

        // The newest ack per command is what became of it.
        var outcome = acks.GroupBy(a => a.CommandId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Ts)!.Status);
        int done = 0, dismissed = 0, unanswered = 0;
        foreach (var p in prompts)
        {
            switch (outcome.GetValueOrDefault(p.CommandId))
            {
                case "done": done++; break;
                case "dismissed": dismissed++; break;
                default: unanswered++; break;
            }
        }

        return new DaySummary(
            day,
            WornMinutes: frames.Count / 60.0,
            UprightShare: frames.Count == 0 ? null : (double)upright / frames.Count,
            HunchedMinutes: hunched / 60.0,
            HunchEpisodes: hunchEpisodes,
            LongestHunch: hunchEpisodes.Count == 0 ? TimeSpan.Zero : hunchEpisodes.Max(r => r.Duration),
            SittingBouts: sittingBouts,
            LongestSittingBout: sittingBouts.Count == 0 ? TimeSpan.Zero : sittingBouts.Max(r => r.Duration),
            PromptsSent: prompts.Count,
            StretchesDone: done,
            StretchesDismissed: dismissed,
            PromptsUnanswered: unanswered);
    }
}
