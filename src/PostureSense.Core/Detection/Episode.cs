using PostureSense.Core.Exercises;

namespace PostureSense.Core.Detection;

/// <summary>
/// A stretch of posture a detector tracks: a hunch run or a sitting bout. It becomes an episode
/// (prolonged hunch, prolonged sitting) when the coaching criterion is met at <see cref="DetectedTs"/>.
/// All times are event time: Unix epoch milliseconds of the frames.
/// </summary>
public readonly record struct PostureRun(PromptReason Kind, long StartTs, long EndTs, long? DetectedTs)
{
    public bool IsEpisode => DetectedTs is not null;
    public TimeSpan Duration => TimeSpan.FromMilliseconds(EndTs - StartTs);
}

/// <summary>What one frame changed in a detector: an episode that started, a run that closed.</summary>
public readonly record struct DetectorStep(PostureRun? EpisodeStarted, PostureRun? RunClosed)
{
    public static DetectorStep None => default;
}
