using System.Globalization;
using PostureSense.Core.Coaching;

namespace PostureSense.Core.Contract;

/// <summary>
/// <c>config</c> (retained, server -> device): the wearer's settings. Every field but <c>v</c> is
/// optional; a missing one means the design default, so an older device or a hand-written config
/// stays valid. Durations are whole seconds, times of day are local <c>HH:mm</c>.
/// </summary>
/// <param name="Ts">When the settings were saved, Unix ms; a device keeps the newest it has seen.</param>
/// <param name="VibrationStrength">Motor duty in percent, 10-100; full strength where the pin has no PWM.</param>
/// <param name="TimeZone">IANA zone the quiet hours are in; absent = the device's own zone.</param>
public sealed record DeviceConfig(
    int V,
    long? Ts = null,
    double? NudgePitchDeg = null,
    int? NudgeAfterS = null,
    double? HunchPitchDeg = null,
    int? HunchHoldS = null,
    int? HunchWindowS = null,
    int? HunchCorrectionS = null,
    int? WalkingStepsPerMin = null,
    double? WalkingMotionG = null,
    int? SittingLimitS = null,
    int? SittingResetWalkS = null,
    int? CooldownS = null,
    string? QuietStart = null,
    string? QuietEnd = null,
    string? TimeZone = null,
    int? VibrationStrength = null)
{
    public const int DefaultVibrationStrength = 100;
    public const int MinVibrationStrength = 10;

    /// <summary>The coaching settings this config describes, defaults filling what it leaves out.</summary>
    public CoachingSettings ToSettings()
    {
        var d = CoachingSettings.Default;
        return new CoachingSettings
        {
            NudgePitchDeg = NudgePitchDeg ?? d.NudgePitchDeg,
            NudgeAfter = Seconds(NudgeAfterS) ?? d.NudgeAfter,
            HunchPitchDeg = HunchPitchDeg ?? d.HunchPitchDeg,
            HunchHold = Seconds(HunchHoldS) ?? d.HunchHold,
            HunchWindow = Seconds(HunchWindowS) ?? d.HunchWindow,
            HunchCorrectionReset = Seconds(HunchCorrectionS) ?? d.HunchCorrectionReset,
            WalkingStepsPerMinute = WalkingStepsPerMin ?? d.WalkingStepsPerMinute,
            WalkingMotionG = WalkingMotionG ?? d.WalkingMotionG,
            SittingLimit = Seconds(SittingLimitS) ?? d.SittingLimit,
            SittingResetWalk = Seconds(SittingResetWalkS) ?? d.SittingResetWalk,
            Cooldown = Seconds(CooldownS) ?? d.Cooldown,
            QuietStart = TryParseTime(QuietStart, out var qs) ? qs : d.QuietStart,
            QuietEnd = TryParseTime(QuietEnd, out var qe) ? qe : d.QuietEnd,
        };
    }

    /// <summary>The full config for <paramref name="settings"/>, every field written out.</summary>
    public static DeviceConfig From(CoachingSettings settings, int vibrationStrength, string? timeZone, long ts) => new(
        ContractLimits.Version, ts,
        settings.NudgePitchDeg, (int)settings.NudgeAfter.TotalSeconds,
        settings.HunchPitchDeg, (int)settings.HunchHold.TotalSeconds, (int)settings.HunchWindow.TotalSeconds,
        (int)settings.HunchCorrectionReset.TotalSeconds,
        settings.WalkingStepsPerMinute, settings.WalkingMotionG,
        (int)settings.SittingLimit.TotalSeconds, (int)settings.SittingResetWalk.TotalSeconds,
        (int)settings.Cooldown.TotalSeconds,
        FormatTime(settings.QuietStart), FormatTime(settings.QuietEnd), timeZone, vibrationStrength);

    /// <summary>The strength to use; not a field of its own on the wire (that is <see cref="VibrationStrength"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Strength => VibrationStrength ?? DefaultVibrationStrength;

    /// <summary>The zone for quiet hours: the configured one, else <paramref name="fallback"/>.</summary>
    public TimeZoneInfo ZoneOr(TimeZoneInfo fallback) =>
        TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : fallback;

    /// <summary>Every problem with this config, worded for the person who set it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (QuietStart is not null && !TryParseTime(QuietStart, out _)) problems.Add($"quiet start '{QuietStart}' is not a time HH:mm");
        if (QuietEnd is not null && !TryParseTime(QuietEnd, out _)) problems.Add($"quiet end '{QuietEnd}' is not a time HH:mm");
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _)) problems.Add($"time zone '{TimeZone}' is unknown");
        if (VibrationStrength is < MinVibrationStrength or > 100) problems.Add($"vibration strength must be {MinVibrationStrength} to 100 percent");
        if (Ts is < 0) problems.Add("ts cannot be negative");
        // Every problem at once, so a wearer fixes the form in one go (ToSettings skips what is unreadable).
        if (NumbersAreFinite()) problems.AddRange(ToSettings().Validate());
        else problems.Add("thresholds must be finite numbers");
        return problems;
    }

    bool NumbersAreFinite() =>
        double.IsFinite(NudgePitchDeg ?? 0) && double.IsFinite(HunchPitchDeg ?? 0) && double.IsFinite(WalkingMotionG ?? 0);

    static TimeSpan? Seconds(int? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;

    public static string FormatTime(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
