using PostureSense.Accounts.Settings;
using PostureSense.Core.Contract;
using PostureSense.Server.Settings;

namespace PostureSense.Server.Ui.Shared;

/// <summary>
/// The settings page's fields, in the API's units (degrees, seconds, minutes for the snooze). An
/// empty field means the default, as a field left out of <c>PUT /api/settings</c> does; checking
/// is left to <see cref="SettingsService"/>, so the page and the API refuse the same things.
/// </summary>
public sealed class SettingsForm
{
    public double? NudgePitchDeg { get; set; }
    public int? NudgeAfterS { get; set; }
    public double? HunchPitchDeg { get; set; }
    public int? HunchHoldS { get; set; }
    public int? HunchWindowS { get; set; }
    public int? HunchCorrectionS { get; set; }
    public int? WalkingStepsPerMin { get; set; }
    public double? WalkingMotionG { get; set; }
    public int? SittingLimitS { get; set; }
    public int? SittingResetWalkS { get; set; }
    public int? CooldownS { get; set; }
    public string? QuietStart { get; set; }
    public string? QuietEnd { get; set; }
    public string? TimeZone { get; set; }
    public int? VibrationStrength { get; set; }

    public bool BrowserAlerts { get; set; }
    public int? SnoozeMinutes { get; set; }
    public string? NtfyUrl { get; set; }
    public int? NtfyPriority { get; set; }
    /// <summary>Comma-separated: a tag itself may not hold a comma.</summary>
    public string? NtfyTags { get; set; }
    public string? NtfyToken { get; set; }
    public string? WebhookUrl { get; set; }

    public static SettingsForm From(WearerSettings settings)
    {
        var c = settings.Coaching;
        var a = settings.Alerts;
        return new SettingsForm
        {
            NudgePitchDeg = c.NudgePitchDeg, NudgeAfterS = c.NudgeAfterS, HunchPitchDeg = c.HunchPitchDeg, HunchHoldS = c.HunchHoldS,
            HunchWindowS = c.HunchWindowS, HunchCorrectionS = c.HunchCorrectionS, WalkingStepsPerMin = c.WalkingStepsPerMin,
            WalkingMotionG = c.WalkingMotionG, SittingLimitS = c.SittingLimitS, SittingResetWalkS = c.SittingResetWalkS, CooldownS = c.CooldownS,
            QuietStart = c.QuietStart, QuietEnd = c.QuietEnd, TimeZone = c.TimeZone, VibrationStrength = c.VibrationStrength,
            BrowserAlerts = a.Browser, SnoozeMinutes = a.SnoozeMinutes,
            NtfyUrl = a.Ntfy?.Url, NtfyPriority = a.Ntfy?.Priority, NtfyTags = a.Ntfy?.Tags is { } tags ? string.Join(", ", tags) : null,
            NtfyToken = a.Ntfy?.Token, WebhookUrl = a.Webhook?.Url,
        };
    }

    /// <summary>What the wearer asks for; a channel without a URL is off.</summary>
    public WearerSettings ToSettings() => new(
        new DeviceConfig(ContractLimits.Version, null, NudgePitchDeg, NudgeAfterS, HunchPitchDeg, HunchHoldS, HunchWindowS, HunchCorrectionS,
            WalkingStepsPerMin, WalkingMotionG, SittingLimitS, SittingResetWalkS, CooldownS,
            Text(QuietStart), Text(QuietEnd), Text(TimeZone), VibrationStrength),
        new AlertSettings(BrowserAlerts, SnoozeMinutes ?? AlertSettings.DefaultSnoozeMinutes,
            Text(NtfyUrl) is { } ntfy ? new NtfyChannel(ntfy, NtfyPriority ?? 4, Tags(NtfyTags), Text(NtfyToken)) : null,
            Text(WebhookUrl) is { } webhook ? new WebhookChannel(webhook) : null));

    static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static IReadOnlyList<string>? Tags(string? text) =>
        Text(text) is { } t ? [.. t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : null;
}
