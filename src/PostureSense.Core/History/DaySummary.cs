using PostureSense.Core.Detection;

namespace PostureSense.Core.History;

/// <summary>A wearer's day at a glance.</summary>
public sealed record DaySummary(
    DateOnly Day,
    /// <summary>Minutes of data the device sent that day.</summary>
    double WornMinutes,
    /// <summary>Share of worn time with pitch under the nudge angle (0..1); null with no data.</summary>
    double? UprightShare,
    /// <summary>Minutes with pitch at or above the hunch angle.</summary>
    double HunchedMinutes,
    IReadOnlyList<PostureRun> HunchEpisodes,
    TimeSpan LongestHunch,
    IReadOnlyList<PostureRun> SittingBouts,
    TimeSpan LongestSittingBout,
    int PromptsSent,
    int StretchesDone,
    int StretchesDismissed,
    int PromptsUnanswered);
