using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Nudge;

/// <summary>A nudge the device gives on its own.</summary>
/// <param name="At">Event time: the end of the frame that completed the hold.</param>
/// <param name="PitchDeg">Pitch of that frame.</param>
/// <param name="Reminder">True when the wearer never sat up after the previous nudge.</param>
public readonly record struct NudgeEvent(DateTimeOffset At, double PitchDeg, bool Reminder);

/// <summary>
/// The edge nudge, on frame (event) time: pitch at or above the threshold held for the nudge
/// delay while not walking nor near horizontal. After a nudge it stays quiet until the wearer has sat up for
/// <see cref="RearmAfterUpright"/>, or reminds once <see cref="RemindAfter"/> of hunching has passed.
/// </summary>
public sealed class NudgeRule(CoachingSettings settings)
{
    public static readonly TimeSpan RearmAfterUpright = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RemindAfter = TimeSpan.FromMinutes(2);

    CoachingSettings _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    long? _hunchSinceMs, _uprightSinceMs, _lastNudgeMs;
    bool _armed = true;

    /// <summary>
    /// The thresholds; may be replaced from any thread (a new config) and apply from the next
    /// frame, counting a hunch already under way against the new delay.
    /// </summary>
    public CoachingSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, value ?? throw new ArgumentNullException(nameof(value)));
    }

    public NudgeEvent? Observe(PostureFrame frame)
    {
        var settings = Settings;
        var endMs = frame.Ts + 1000;
        var walking = frame.Steps > 0 || frame.Motion >= settings.WalkingMotionG;
        var forward = frame.ForwardDeg >= settings.NudgePitchDeg;

        if (forward)
        {
            _uprightSinceMs = null;
        }
        else
        {
            _uprightSinceMs ??= frame.Ts;
            if (!_armed && endMs - _uprightSinceMs >= RearmAfterUpright.TotalMilliseconds) _armed = true;
        }

        // Walking bent over (carrying something, stairs) is not a sitting hunch, nor is lying
        // down, a floor stretch or a bend to the floor.
        if (!forward || walking || TrunkAttitude.IsNearHorizontal(frame))
        {
            _hunchSinceMs = null;
            return null;
        }
        _hunchSinceMs ??= frame.Ts;

        var held = endMs - _hunchSinceMs.Value >= settings.NudgeAfter.TotalMilliseconds;
        var remind = !_armed && _lastNudgeMs is { } last && endMs - last >= RemindAfter.TotalMilliseconds;
        if (!held || !(_armed || remind)) return null;

        _armed = false;
        _lastNudgeMs = endMs;
        return new NudgeEvent(DateTimeOffset.FromUnixTimeMilliseconds(endMs), frame.ForwardDeg, remind);
    }
}
