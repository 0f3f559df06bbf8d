using PostureSense.Core.Exercises;

namespace PostureSense.Core.Coaching;

public enum PromptVerdict
{
    Send,
    /// <summary>The newest frame is too old: a replayed backlog, not the wearer now.</summary>
    Stale,
    CoolingDown,
    QuietHours,
}

public readonly record struct PromptDecision(PromptVerdict Verdict, DateTimeOffset? NotBefore = null)
{
    public bool ShouldSend => Verdict == PromptVerdict.Send;
}

/// <summary>
/// Whether a prompt may go out now: the wearer is seen live, no prompt for the same reason within
/// the cooldown, and not in quiet hours (wearer's local time). Prompts that nag get switched off.
/// </summary>
public sealed class CoachingPolicy(CoachingSettings settings, TimeProvider clock, TimeZoneInfo? timeZone = null)
{
    readonly TimeZoneInfo _zone = timeZone ?? clock.LocalTimeZone;
    readonly Dictionary<PromptReason, DateTimeOffset> _lastSent = [];

    public CoachingSettings Settings => settings;

    public PromptDecision Decide(PromptReason reason, long newestFrameTs)
    {
        var now = clock.GetUtcNow();
        if (now - DateTimeOffset.FromUnixTimeMilliseconds(newestFrameTs) > settings.PromptFreshness)
            return new(PromptVerdict.Stale);
        if (_lastSent.TryGetValue(reason, out var last) && now - last < settings.Cooldown)
            return new(PromptVerdict.CoolingDown, last + settings.Cooldown);
        if (QuietUntil(now) is { } until)
            return new(PromptVerdict.QuietHours, until);
        return new(PromptVerdict.Send);
    }

    /// <summary>Notes a prompt that went out (or was found in history when a worker picks a device up).</summary>
    public void Record(PromptReason reason, DateTimeOffset sentAt)
    {
        if (!_lastSent.TryGetValue(reason, out var last) || sentAt > last) _lastSent[reason] = sentAt;
    }

    /// <summary>When quiet hours end, if <paramref name="now"/> is inside them.</summary>
    public DateTimeOffset? QuietUntil(DateTimeOffset now)
    {
        var (start, end) = (settings.QuietStart, settings.QuietEnd);
        if (start == end) return null;
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = start < end ? time >= start && time < end : time >= start || time < end;
        if (!inside) return null;
        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (time >= end) endDate = endDate.AddDays(1);
        var endLocal = endDate.ToDateTime(end);
        return new DateTimeOffset(endLocal, _zone.GetUtcOffset(endLocal));
    }
}
