using PostureSense.Core.Contract;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PostureSense.Accounts;
using PostureSense.Accounts.Settings;
using PostureSense.Core.Coaching;
using PostureSense.Server.Accounts;
using PostureSense.Server.Coaching;
using PostureSense.Server.Outbound;

namespace PostureSense.Server.Settings;

/// <summary>
/// A wearer's settings: validated, saved in the app database, applied at once to the server's
/// coaching of every device they own, and sent to those devices as their retained <c>config</c>.
/// A device nobody owns is coached on the design's defaults.
/// </summary>
public sealed class SettingsService : ICoachingSettingsSource
{
    readonly AppDatabase _db;
    readonly AccountService _accounts;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly ConcurrentDictionary<long, WearerSettings> _saved;

    SettingsService(AppDatabase db, AccountService accounts, TimeProvider clock, ILogger log, ConcurrentDictionary<long, WearerSettings> saved)
    {
        _db = db;
        _accounts = accounts;
        _clock = clock;
        _log = log;
        _saved = saved;
        accounts.OwnershipChanged += (deviceId, _) => Changed(deviceId);
    }

    public static async Task<SettingsService> OpenAsync(AppDatabase db, AccountService accounts, TimeProvider clock, ILogger<SettingsService> log,
        CancellationToken cancellationToken = default)
    {
        var saved = new ConcurrentDictionary<long, WearerSettings>();
        foreach (var (wearerId, json) in await db.AllSettingsJsonAsync(cancellationToken))
        {
            // Saved only after validation, so this fails only if the file was edited by hand: defaults then, and say so.
            if (WearerSettings.Parse(json, out var error) is { } settings && settings.Validate().Count == 0) saved[wearerId] = settings;
            else log.LogError("Settings of wearer {WearerId} cannot be read ({Error}); using the defaults", wearerId, error ?? "invalid");
        }
        return new SettingsService(db, accounts, clock, log, saved);
    }

    /// <summary>Raised when the settings that apply to a device changed (saved, or the device changed hands). Handlers must not block.</summary>
    public event Action<DeviceId>? DeviceSettingsChanged;

    /// <summary>
    /// Raised after this server itself saved a wearer's settings, not after <see cref="ReloadAsync"/>:
    /// what a cluster passes on to the other nodes. Handlers must not block.
    /// </summary>
    public event Action<long>? WearerSettingsSaved;

    public WearerSettings For(long wearerId) => _saved.GetValueOrDefault(wearerId) ?? WearerSettings.Default;

    /// <summary>The settings that apply to a device: its owner's, or the defaults.</summary>
    public WearerSettings ForDevice(DeviceId deviceId) =>
        _accounts.OwnerOf(deviceId) is { } owner ? For(owner) : WearerSettings.Default;

    public CoachingSettings SettingsFor(DeviceId deviceId) => ForDevice(deviceId).ToCoachingSettings();

    public TimeZoneInfo? QuietHoursZoneFor(DeviceId deviceId) => ForDevice(deviceId).QuietHoursZone;

    /// <summary>
    /// Where alert URLs may lead, checked on save so the wearer hears at once; the host sets it
    /// when it starts (the deployment's own addresses are known only then). Sending checks again.
    /// </summary>
    public OutboundTargets? AlertTargets { get; set; }

    /// <summary>Validates and saves; on success every device of the wearer is re-coached and sent the new config.</summary>
    public async Task<SaveResult> SaveAsync(long wearerId, WearerSettings proposed, CancellationToken cancellationToken = default)
    {
        var problems = proposed.Validate();
        if (problems.Count == 0 && AlertTargets is { } targets) problems = await TargetProblemsAsync(targets, proposed.Alerts, cancellationToken);
        if (problems.Count > 0) return new SaveResult(null, problems);
        var settings = proposed.Normalized(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        await _db.SaveSettingsJsonAsync(wearerId, settings.ToJson(), settings.Coaching.Ts ?? 0, cancellationToken);
        _saved[wearerId] = settings;
        _log.LogInformation("Wearer {WearerId} saved settings", wearerId);
        foreach (var deviceId in _accounts.DevicesOf(wearerId)) Changed(deviceId);
        try
        {
            WearerSettingsSaved?.Invoke(wearerId);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "A WearerSettingsSaved handler failed for wearer {WearerId}", wearerId);
        }
        return new SaveResult(settings, []);
    }

    /// <summary>
    /// Reads the wearer's settings again from the database, which another server sharing it may
    /// have saved; their devices are re-coached and sent the config as after a save here.
    /// </summary>
    public async Task ReloadAsync(long wearerId, CancellationToken cancellationToken = default)
    {
        var json = await _db.GetSettingsJsonAsync(wearerId, cancellationToken);
        var before = _saved.GetValueOrDefault(wearerId);
        if (json is null) _saved.TryRemove(wearerId, out _);
        else if (WearerSettings.Parse(json, out var error) is { } settings && settings.Validate().Count == 0) _saved[wearerId] = settings;
        else
        {
            _log.LogError("Settings of wearer {WearerId} cannot be read ({Error}); keeping what was in use", wearerId, error ?? "invalid");
            return;
        }
        // Both the notice and the grain's refresh reload: only the first finds something new.
        if (before?.ToJson() == _saved.GetValueOrDefault(wearerId)?.ToJson()) return;
        _log.LogInformation("Settings of wearer {WearerId} were saved on another server; reloaded", wearerId);
        foreach (var deviceId in _accounts.DevicesOf(wearerId)) Changed(deviceId);
    }

    /// <summary>What a device grain reads before it rebuilds its coach: the owner and their settings as the database has them now.</summary>
    public async Task RefreshAsync(DeviceId deviceId, CancellationToken cancellationToken = default)
    {
        await _accounts.ReloadOwnerAsync(deviceId, cancellationToken);
        if (_accounts.OwnerOf(deviceId) is { } owner) await ReloadAsync(owner, cancellationToken);
    }

    static async Task<IReadOnlyList<string>> TargetProblemsAsync(OutboundTargets targets, AlertSettings alerts, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (alerts.Ntfy is { } ntfy && await targets.ProblemAsync(ntfy.Url, "ntfy topic URL", cancellationToken) is { } badNtfy) problems.Add(badNtfy);
        if (alerts.Webhook is { } hook && await targets.ProblemAsync(hook.Url, "webhook URL", cancellationToken) is { } badHook) problems.Add(badHook);
        return problems;
    }

    void Changed(DeviceId deviceId)
    {
        try
        {
            DeviceSettingsChanged?.Invoke(deviceId);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "A DeviceSettingsChanged handler failed for {DeviceId}", deviceId);
        }
    }
}

/// <param name="Saved">The settings as saved; null when <paramref name="Problems"/> says why not.</param>
public sealed record SaveResult(WearerSettings? Saved, IReadOnlyList<string> Problems);
