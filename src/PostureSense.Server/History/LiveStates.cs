using PostureSense.Core.Contract;
using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Posture;
using PostureSense.Server.Clocks;
using PostureSense.Server.Coaching;
using PostureSense.Storage;

namespace PostureSense.Server.History;

/// <summary>What the wearer is doing now, as the "Now" view shows it. Every time is on the server's clock.</summary>
/// <param name="State"><c>upright</c>, <c>hunching</c> (at or past the nudge angle), <c>walking</c>, or <c>no-data</c> when no frame came in the last 2 minutes.</param>
/// <param name="Latest">The newest frame, its ts put on the server's clock.</param>
/// <param name="HunchSinceTs">When the current hunch began, if the wearer is hunched now.</param>
/// <param name="HunchProlonged">The current hunch passed the wearer's prolonged-hunch rule.</param>
/// <param name="SittingSinceTs">When the current stretch without walking began, if the wearer is not walking.</param>
/// <param name="SittingMinutes">How long that is, up to the newest frame.</param>
/// <param name="SittingProlonged">It passed the wearer's sitting limit.</param>
/// <param name="ClockOffsetMs">How far the device's clock is behind the server's (negative: ahead), as learned from its batches; the times here are corrected by it.</param>
public sealed record LiveState(DeviceId DeviceId, string State, PostureFrame? Latest,
    long? HunchSinceTs, bool HunchProlonged, long? SittingSinceTs, double? SittingMinutes, bool SittingProlonged, long ClockOffsetMs = 0);

/// <summary>
/// Works the live state out from the stored frames of the last stretch of time, with the same
/// detectors and the wearer's thresholds, so "sitting for 25 min" here is what coaching counts.
/// Frames carry the device's clock, which may be minutes off: "the last 2 minutes" and the
/// times shown are judged with the offset learned from its batches, as coaching judges them,
/// so a worn device 10 min slow is not "no data".
/// </summary>
public sealed class LiveStates(IPostureStore store, ICoachingSettingsSource settings, TimeProvider clock, DeviceClocks? clocks = null)
{
    /// <summary>A device whose newest frame is older than this is not being worn now.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(2);

    public async Task<LiveState> GetAsync(DeviceId deviceId, CancellationToken cancellationToken = default)
    {
        var coaching = settings.SettingsFor(deviceId);
        var offset = clocks?.OffsetMs(deviceId) ?? 0;
        // Now as the device's clock reads it: the frames are stored and read on that clock.
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds() - offset;
        var from = now - (long)DeviceCoach.WarmUpFor(coaching).TotalMilliseconds;
        var frames = await store.ReadFramesAsync(deviceId, from, now + 1, cancellationToken);
        PostureFrame? Ours(PostureFrame? frame) => frame is { } f ? f with { Ts = f.Ts + offset } : null;
        long? OursTs(long? ts) => ts + offset;
        if (frames.Count == 0 || now - frames[^1].Ts > Fresh.TotalMilliseconds)
            return new LiveState(deviceId, "no-data", frames.Count == 0 ? null : Ours(frames[^1]), null, false, null, null, false, offset);

        var monitor = new PostureMonitor(coaching);
        foreach (var frame in frames) monitor.Observe(frame);
        var latest = frames[^1];
        var walking = monitor.Sitting.IsWalking(latest);
        var state = walking ? "walking" : latest.Pitch >= coaching.NudgePitchDeg ? "hunching" : "upright";
        var hunch = state == "hunching" ? monitor.Hunch.Current : null;
        var sitting = walking ? null : monitor.Sitting.Current;
        return new LiveState(deviceId, state, Ours(latest), OursTs(hunch?.StartTs), hunch?.IsEpisode == true,
            OursTs(sitting?.StartTs), sitting is { } s ? Math.Round((latest.Ts + 1000 - s.StartTs) / 60_000.0, 1) : null, sitting?.IsEpisode == true,
            offset);
    }
}
