using PostureSense.Core.Contract;
using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Core.Time;
using PostureSense.Storage;

namespace PostureSense.Server.Coaching;

/// <summary>
/// One wearer's coach: the detectors fed with the stored frames in time order, the policy that
/// says whether a prompt may go out now, and the memory of which episode was already prompted.
/// Created on the device's first message; restored from the store so that a restarted server
/// picks a device up mid-episode without missing or repeating a prompt.
/// </summary>
public sealed class DeviceCoach
{
    /// <summary>Stored history replayed into a new coach: more than the longest criterion (30 min sitting).</summary>
    public static readonly TimeSpan WarmUpWindow = TimeSpan.FromMinutes(40);

    /// <summary>The warm-up for these thresholds: a wearer may set a sitting limit of hours.</summary>
    public static TimeSpan WarmUpFor(CoachingSettings settings) => new[]
    {
        WarmUpWindow, settings.SittingLimit + settings.SittingResetWalk + TimeSpan.FromMinutes(5), settings.HunchWindow + TimeSpan.FromMinutes(5),
    }.Max();

    static readonly PromptReason[] Reasons = [PromptReason.Hunch, PromptReason.Sitting];

    readonly PostureMonitor _monitor;
    readonly CoachingPolicy _policy;
    readonly ExercisePicker _picker;
    readonly TimeProvider _clock;
    readonly Dictionary<PromptReason, PromptRecord> _lastPrompt = [];
    bool _warmedUp;

    DeviceCoach(DeviceId deviceId, CoachingSettings settings, TimeProvider clock, string? lastExerciseId, TimeZoneInfo? quietHoursZone)
    {
        DeviceId = deviceId;
        Settings = settings;
        _monitor = new PostureMonitor(settings);
        _policy = new CoachingPolicy(settings, clock, quietHoursZone ?? clock.LocalTimeZone);
        _picker = new ExercisePicker(lastExerciseId);
        _clock = clock;
    }

    public DeviceId DeviceId { get; }
    public CoachingSettings Settings { get; }
    public long? NewestTs => _monitor.NewestTs;

    /// <summary>
    /// A prompt stored and remembered whose publish failed or went unanswered: the
    /// <see cref="PromptSender"/> sends this same command again, so the device never gets two for one episode.
    /// </summary>
    public DeviceCommand? Unsent { get; set; }

    /// <summary>
    /// How far the device's clock is behind ours, learned from its batches as they come. Its frames
    /// are stored and detected on its own clock (a frame's identity is its ts, which a replay must
    /// keep); only what is judged against our clock (is it live, was it prompted) is corrected.
    /// A coach made again for the same device takes the one it replaces.
    /// </summary>
    public DeviceClockOffset ClockOffset { get; set; } = new();

    /// <summary>When a message of the device last came to this coach (Unix ms, domain clock); idle coaches are let go.</summary>
    public long LastUsedTs { get; set; }

    /// <summary>A coach that remembers the device's last prompts (cooldown, exercise rotation, prompted episode).</summary>
    /// <param name="historyPossible">
    /// False when the store can have nothing of this device that this coach will not see go by
    /// (a device new to it, with no other server writing): then there is nothing to read back,
    /// which saves a fleet of new devices thousands of queries.
    /// </param>
    /// <param name="quietHoursZone">The wearer's zone for quiet hours; null = the clock's local zone.</param>
    public static async Task<DeviceCoach> RestoreAsync(DeviceId deviceId, IPostureStore store, CoachingSettings settings,
        TimeProvider clock, CancellationToken cancellationToken, bool historyPossible = true, TimeZoneInfo? quietHoursZone = null)
    {
        if (!historyPossible) return new DeviceCoach(deviceId, settings, clock, lastExerciseId: null, quietHoursZone) { _warmedUp = true };
        var last = new List<PromptRecord>();
        foreach (var reason in Reasons)
            if (await store.LastPromptAsync(deviceId, reason, cancellationToken) is { } prompt)
                last.Add(prompt);
        var coach = new DeviceCoach(deviceId, settings, clock, last.MaxBy(p => p.Ts)?.ExerciseId, quietHoursZone);
        foreach (var prompt in last) coach.Remember(prompt);
        coach.Unsent = await UnconfirmedAsync(store, deviceId, last, clock, cancellationToken);
        return coach;
    }

    /// <summary>
    /// The newest prompt stored within the resend window that the device has not answered at all:
    /// a prompt is stored before it is published, and the server (or the node holding the device's
    /// grain) may have died between the two. It goes again as the same command, which the device
    /// plays once even if the first one did arrive; without it the episode would count as prompted
    /// while the wearer never felt it.
    /// </summary>
    static async Task<DeviceCommand?> UnconfirmedAsync(IPostureStore store, DeviceId deviceId, List<PromptRecord> last,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (last.Where(p => now - p.Ts <= PromptSender.ResendWindow.TotalMilliseconds).MaxBy(p => p.Ts) is not { } recent) return null;
        var acks = await store.ReadAcksAsync(deviceId, recent.Ts, now + 1, cancellationToken);
        if (acks.Any(a => a.CommandId == recent.CommandId)) return null;
        return new DeviceCommand(ContractLimits.Version, recent.CommandId, DeviceCommand.Types.Stretch, recent.Ts,
            recent.Reason.ToWire(), recent.ExerciseId, recent.Pattern);
    }

    /// <summary>
    /// Feeds the detectors the frames just stored. The first time, the stored frames of the
    /// <see cref="WarmUpFor"/> before them go first, so an episode that began before this coach
    /// existed is seen whole.
    /// </summary>
    public async Task ObserveAsync(IReadOnlyList<PostureFrame> frames, IPostureStore store, CancellationToken cancellationToken)
    {
        if (frames.Count == 0) return;
        if (!_warmedUp)
        {
            var first = frames[0].Ts;
            var history = await store.ReadFramesAsync(DeviceId, first - (long)WarmUpFor(Settings).TotalMilliseconds, first, cancellationToken);
            foreach (var frame in history) _monitor.Observe(frame);
            _warmedUp = true;
        }
        ClockOffset.Observe(_clock.GetUtcNow(), frames[^1].Ts);
        // The monitor skips frames at or before the newest it has seen: replays and late backlogs
        // are stored (and show in history) but cannot re-run the detectors backwards.
        foreach (var frame in frames) _monitor.Observe(frame);
    }

    /// <summary>For each ongoing episode not yet prompted for, whether a prompt may go out now.</summary>
    public IReadOnlyList<CoachDecision> Decide()
    {
        if (_monitor.NewestTs is not { } newest) return [];
        var decisions = new List<CoachDecision>(2);
        foreach (var reason in Reasons)
        {
            if (_monitor.OngoingEpisode(reason) is not { } episode || WasPrompted(reason, episode)) continue;
            decisions.Add(new CoachDecision(reason, episode, _policy.Decide(reason, ClockOffset.ToOurTime(newest))));
        }
        return decisions;
    }

    /// <summary>The exercise to suggest; advances the rotation, so call it only for a prompt about to go out.</summary>
    public Exercise PickExercise(PromptReason reason) => _picker.Pick(reason);

    /// <summary>Notes a prompt that went out: it starts the cooldown and closes its episode to further prompts.</summary>
    public void Remember(PromptRecord prompt)
    {
        _policy.Record(prompt.Reason, DateTimeOffset.FromUnixTimeMilliseconds(prompt.Ts));
        if (!_lastPrompt.TryGetValue(prompt.Reason, out var known) || prompt.Ts >= known.Ts) _lastPrompt[prompt.Reason] = prompt;
    }

    /// <summary>
    /// At most one prompt per episode. The episode's start is the match while the coach lives; a
    /// restored coach may see a long sitting bout start later than it did (its warm-up window cut
    /// the bout), so a prompt sent after the episode began counts as this episode's too. A prompt's
    /// time is ours and the episode's the device's, so the episode's is put on our clock first.
    /// </summary>
    bool WasPrompted(PromptReason reason, PostureRun episode) =>
        _lastPrompt.TryGetValue(reason, out var last)
        && (last.EpisodeStartTs == episode.StartTs || last.Ts >= ClockOffset.ToOurTime(episode.StartTs));
}

public readonly record struct CoachDecision(PromptReason Reason, PostureRun Episode, PromptDecision Decision);
