using PostureSense.Core.Contract;
using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Posture;
using PostureSense.Server.Coaching;
using PostureSense.Storage;

namespace PostureSense.Server.History;

/// <summary>What the wearer is doing now, as the "Now" view shows it.</summary>
/// <param name="State"><c>upright</c>, <c>hunching</c> (at or past the nudge angle), <c>walking</c>, or <c>no-data</c> when no frame came in the last 2 minutes.</param>
/// <param name="HunchSinceTs">When the current hunch began, if the wearer is hunched now.</param>
/// <param name="HunchProlonged">The current hunch passed the wearer's prolonged-hunch rule.</param>
/// <param name="SittingSinceTs">When the current stretch without walking began, if the wearer is not walking.</param>
/// <param name="SittingMinutes">How long that is, up to the newest frame.</param>
/// <param name="SittingProlonged">It passed the wearer's sitting limit.</param>
public sealed record LiveState(DeviceId DeviceId, string State, PostureFrame? Latest,
    long? HunchSinceTs, bool HunchProlonged, long? SittingSinceTs, double? SittingMinutes, bool SittingProlonged);

/// <summary>
/// Works the live state out from the stored frames of the last stretch of time, with the same
/// detectors and the wearer's thresholds, so "sitting for 25 min" here is what coaching counts.
/// </summary>
public sealed class LiveStates(IPostureStore store, ICoachingSettingsSource settings, TimeProvider clock)
{
    /// <summary>A device whose newest frame is older than this is not being worn now.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(2);

    public async Task<LiveState> GetAsync(DeviceId deviceId, CancellationToken cancellationToken = default)
    {
        var coaching = settings.SettingsFor(deviceId);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var from = now - (long)DeviceCoach.WarmUpFor(coaching).TotalMilliseconds;
        var frames = await store.ReadFramesAsync(deviceId, from, now + 1, cancellationToken);
        if (frames.Count == 0 || now - frames[^1].Ts > Fresh.TotalMilliseconds)
            return new LiveState(deviceId, "no-data", frames.Count == 0 ? null : frames[^1], null, false, null, null, false);

        var monitor = new PostureMonitor(coaching);
        foreach (var frame in frames) monitor.Observe(frame);
        var latest = frames[^1];
        var walking = monitor.Sitting.IsWalking(latest);
        var state = walking ? "walking" : latest.Pitch >= coaching.NudgePitchDeg ? "hunching" : "upright";
        var hunch = state == "hunching" ? monitor.Hunch.Current : null;
        var sitting = walking ? null : monitor.Sitting.Current;
        return new LiveState(deviceId, state, latest, hunch?.StartTs, hunch?.IsEpisode == true,
            sitting?.StartTs, sitting is { } s ? Math.Round((latest.Ts + 1000 - s.StartTs) / 60_000.0, 1) : null, sitting?.IsEpisode == true);
    }
}
