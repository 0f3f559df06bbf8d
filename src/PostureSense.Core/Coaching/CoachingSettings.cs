namespace PostureSense.Core.Coaching;

/// <summary>
/// The coaching thresholds, each configurable per wearer; the defaults are the shared design's
/// "Coaching defaults" table.
/// </summary>
public sealed record CoachingSettings
{
    /// <summary>Edge nudge: vibrate after pitch at or above this...</summary>
    public double NudgePitchDeg { get; init; } = 15;
    /// <summary>...held this long. Wearable trainers nudge after seconds, not minutes.</summary>
    public TimeSpan NudgeAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Prolonged hunch: pitch at or above this (ISO 11226's static trunk flexion limit)...</summary>
    public double HunchPitchDeg { get; init; } = 20;
    /// <summary>...for this long in total...</summary>
    public TimeSpan HunchHold { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>...within a window this long...</summary>
    public TimeSpan HunchWindow { get; init; } = TimeSpan.FromMinutes(6);
    /// <summary>...where only a correction at least this long starts the count again.</summary>
    public TimeSpan HunchCorrectionReset { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Walking is at least this many steps per minute...</summary>
    public int WalkingStepsPerMinute { get; init; } = 20;
    /// <summary>...or motion at or above this, in g.</summary>
    public double WalkingMotionG { get; init; } = 0.05;
    /// <summary>Prolonged sitting: no walking for this long.</summary>
    public TimeSpan SittingLimit { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>A break must be a real break: this much walking ends a sitting bout.</summary>
    public TimeSpan SittingResetWalk { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>At most one prompt per reason in this time.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>No prompts from this local time...</summary>
    public TimeOnly QuietStart { get; init; } = new(22, 0);
    /// <summary>...until this one (the range may wrap past midnight; equal times mean no quiet hours).</summary>
    public TimeOnly QuietEnd { get; init; } = new(7, 0);
    /// <summary>
    /// A prompt only goes out while the device's newest frame is at most this old, so a backlog
    /// replayed hours later shows in history but does not buzz the wearer now.
    /// </summary>
    public TimeSpan PromptFreshness { get; init; } = TimeSpan.FromMinutes(2);

    public static CoachingSettings Default { get; } = new();

    /// <summary>Every problem with these settings, worded for the person who set them.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string message) { if (!ok) problems.Add(message); }
        Check(NudgePitchDeg is > 0 and < 90, "nudge pitch must be between 0 and 90 degrees");
        Check(NudgeAfter >= TimeSpan.FromSeconds(1) && NudgeAfter <= TimeSpan.FromMinutes(10), "nudge delay must be 1 s to 10 min");
        Check(HunchPitchDeg is > 0 and < 90, "hunch pitch must be between 0 and 90 degrees");
        Check(HunchHold >= TimeSpan.FromMinutes(1) && HunchHold <= TimeSpan.FromHours(1), "hunch hold must be 1 to 60 min");
        Check(HunchWindow >= HunchHold && HunchWindow <= TimeSpan.FromHours(2), "hunch window must be at least the hunch hold and at most 2 h");
        Check(HunchCorrectionReset >= TimeSpan.FromSeconds(1) && HunchCorrectionReset <= TimeSpan.FromMinutes(10), "hunch correction reset must be 1 s to 10 min");
        Check(WalkingStepsPerMinute is > 0 and <= 200, "walking steps per minute must be 1 to 200");
        Check(WalkingMotionG is > 0 and <= 2, "walking motion must be above 0 and at most 2 g");
        Check(SittingLimit >= TimeSpan.FromMinutes(5) && SittingLimit <= TimeSpan.FromHours(4), "sitting limit must be 5 min to 4 h");
        Check(SittingResetWalk >= TimeSpan.FromSeconds(10) && SittingResetWalk <= TimeSpan.FromMinutes(30), "sitting reset walk must be 10 s to 30 min");
        Check(Cooldown >= TimeSpan.FromMinutes(1) && Cooldown <= TimeSpan.FromHours(24), "cooldown must be 1 min to 24 h");
        Check(PromptFreshness >= TimeSpan.FromSeconds(10) && PromptFreshness <= TimeSpan.FromHours(1), "prompt freshness must be 10 s to 1 h");
        return problems;
    }
}
