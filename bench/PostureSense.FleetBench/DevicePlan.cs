using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.FleetBench;

/// <summary>
/// One simulated wearer's day around its single episode: a walk, then either a hunch or plain
/// sitting that goes on until the run ends. <see cref="DueTs"/> is the frame with which the
/// episode meets its criterion, found by running the detectors on the plan's own frames, so the
/// bench knows which batch should bring the prompt without copying the thresholds.
/// </summary>
sealed class DevicePlan
{
    // Long enough to reset sitting (2 min by default); the episode begins right after it.
    static readonly TimeSpan Walk = TimeSpan.FromMinutes(3);

    DevicePlan(string deviceId, PromptReason kind, long episodeStartTs)
    {
        DeviceId = deviceId;
        Kind = kind;
        EpisodeStartTs = episodeStartTs;
        FirstTs = episodeStartTs - (long)Walk.TotalMilliseconds;
    }

    public string DeviceId { get; }
    public PromptReason Kind { get; }
    public long FirstTs { get; }
    public long EpisodeStartTs { get; }
    public long DueTs { get; private set; }

    /// <summary>A plan whose episode becomes due at about <paramref name="dueAt"/> (whole seconds).</summary>
    public static DevicePlan Make(string deviceId, PromptReason kind, DateTimeOffset dueAt, CoachingSettings settings)
    {
        var criterion = kind == PromptReason.Hunch ? settings.HunchHold : settings.SittingLimit;
        var start = dueAt.ToUnixTimeSeconds() * 1000 - (long)criterion.TotalMilliseconds;
        var plan = new DevicePlan(deviceId, kind, start);
        plan.DueTs = plan.FindDue(settings);
        return plan;
    }

    /// <summary>The frame of second <paramref name="ts"/>: walking, then hunched or sitting upright, quite still.</summary>
    public PostureFrame FrameAt(long ts)
    {
        if (ts < EpisodeStartTs) return new PostureFrame(ts, 4, 0, 0.25, 2);
        var pitch = Kind == PromptReason.Hunch ? 27 : 6;
        // A little sway, so that the stored points differ.
        return new PostureFrame(ts, pitch + (ts / 1000 % 7) * 0.3, -1, 0.01, 0);
    }

    long FindDue(CoachingSettings settings)
    {
        var monitor = new PostureMonitor(settings);
        var limit = EpisodeStartTs + (long)TimeSpan.FromHours(2).TotalMilliseconds;
        for (var ts = FirstTs; ts < limit; ts += 1000)
        {
            monitor.Observe(FrameAt(ts));
            if (monitor.OngoingEpisode(Kind) is not null) return ts;
        }
        throw new InvalidOperationException($"{DeviceId}: the planned {Kind} never becomes an episode; the defaults changed?");
    }
}
