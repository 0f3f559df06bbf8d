using System.Text.Json;
using System.Text.Json.Serialization;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Accounts.Settings;

/// <summary>
/// Everything a wearer sets: the coaching thresholds, quiet hours and vibration strength (the
/// device's <c>config</c>, every field written out) and how prompts reach them.
/// </summary>
/// <param name="Coaching">The retained config the wearer's devices get; its <c>ts</c> is when it was saved.</param>
public sealed record WearerSettings(DeviceConfig Coaching, AlertSettings Alerts)
{
    public static WearerSettings Default { get; } = new(DeviceConfig.From(CoachingSettings.Default,
        DeviceConfig.DefaultVibrationStrength, timeZone: null, ts: 0), AlertSettings.Default);

    /// <summary>Reading a wearer's settings: an unknown or misspelt field is an error, not silently dropped.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public CoachingSettings ToCoachingSettings() => Coaching.ToSettings();

    /// <summary>The zone of the quiet hours, when the wearer chose one.</summary>
    public TimeZoneInfo? QuietHoursZone =>
        Coaching.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>Every problem, worded for the wearer; empty when the settings can be saved.</summary>
    public IReadOnlyList<string> Validate() => [.. Coaching.Validate(), .. Alerts.Validate()];

    /// <summary>
    /// As saved: the config with every field written out (defaults where the wearer left one out),
    /// version 1, stamped <paramref name="savedTs"/>.
    /// </summary>
    public WearerSettings Normalized(long savedTs)
    {
        var config = Coaching with { V = ContractLimits.Version };
        return this with { Coaching = DeviceConfig.From(config.ToSettings(), config.Strength, config.TimeZone, savedTs) };
    }

    /// <summary>Parses what a wearer sent; the error says where the JSON is wrong.</summary>
    public static WearerSettings? Parse(string json, out string? error)
    {
        error = null;
        try
        {
            var request = JsonSerializer.Deserialize<Request>(json, Json);
            if (request is null) { error = "the body is JSON null"; return null; }
            return new WearerSettings((request.Coaching ?? new DeviceConfig(ContractLimits.Version)) with { V = ContractLimits.Version },
                request.Alerts ?? AlertSettings.Default);
        }
        catch (JsonException ex)
        {
            error = $"malformed settings JSON: {ex.Message}";
            return null;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Both parts optional: a missing part is the defaults.</summary>
    sealed record Request(DeviceConfig? Coaching, AlertSettings? Alerts);
}
