using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Detection;

/// <summary>Both detectors of one wearer, fed the same frames in time order.</summary>
public sealed class PostureMonitor(CoachingSettings settings)
{
    public HunchDetector Hunch { get; } = new(settings);
    public SittingDetector Sitting { get; } = new(settings);
    public long? NewestTs { get; private set; }

    /// <summary>Feeds a frame; frames at or before the newest one seen are ignored (replays, duplicates).</summary>
    public void Observe(in PostureFrame frame, List<PostureRun>? started = null, List<PostureRun>? closed = null)
    {
        if (frame.Ts <= NewestTs) return;
        NewestTs = frame.Ts;
        Collect(Hunch.Observe(frame), started, closed);
        Collect(Sitting.Observe(frame), started, closed);
    }

    /// <summary>The episode of this kind that is going on at the newest frame, if any.</summary>
    public PostureRun? OngoingEpisode(PromptReason kind)
    {
        var run = kind == PromptReason.Hunch ? Hunch.Current : Sitting.Current;
        return run is { IsEpisode: true } ? run : null;
    }

    /// <summary>Closes the open runs at the end of the data.</summary>
    public void Flush(List<PostureRun> closed)
    {
        if (Hunch.Flush() is { } h) closed.Add(h);
        if (Sitting.Flush() is { } s) closed.Add(s);
    }

    static void Collect(DetectorStep step, List<PostureRun>? started, List<PostureRun>? closed)
    {
        if (step.EpisodeStarted is { } s) started?.Add(s);
        if (step.RunClosed is { } c) closed?.Add(c);
    }
}
