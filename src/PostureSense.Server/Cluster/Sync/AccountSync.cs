using Microsoft.Extensions.Logging;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Server.Cluster.Alerts;
using PostureSense.Server.Settings;

namespace PostureSense.Server.Cluster.Sync;

/// <summary>
/// Keeps what each node holds in memory from the shared app database (who owns a device, a wearer's
/// settings) in step across the cluster. The node that changed a row tells the others through the
/// alert fan-out, with ids only; each re-reads the row from its database. A node that was not
/// listening (restarting) reads every row when it starts. The device grains coaching a changed
/// device are told too, wherever they live, so they coach on the new settings from the next batch.
/// </summary>
public sealed partial class AccountSync
{
    readonly AccountService _accounts;
    readonly SettingsService _settings;
    readonly IGrainFactory _grains;
    readonly ILogger _log;

    public AccountSync(AccountService accounts, SettingsService settings, AlertFanout fanout, IGrainFactory grains, ILogger<AccountSync> log)
    {
        _accounts = accounts;
        _settings = settings;
        _grains = grains;
        _log = log;
        accounts.OwnerSaved += deviceId =>
        {
            fanout.PublishOwnerChanged(deviceId);
            _ = ReloadGrainAsync(deviceId);
        };
        settings.WearerSettingsSaved += wearerId =>
        {
            fanout.PublishSettingsChanged(wearerId);
            foreach (var deviceId in accounts.DevicesOf(wearerId)) _ = ReloadGrainAsync(deviceId);
        };
        fanout.ChangeReceived += change => _ = ReloadAsync(change);
    }

    async Task ReloadAsync(SharedChange change)
    {
        try
        {
            // Ids that do not parse are dropped: nothing else in a notice is believed.
            if (change.DeviceId is { } device && DeviceId.TryParse(device, out var deviceId)) await _accounts.ReloadOwnerAsync(deviceId);
            if (change.WearerId is { } wearerId) await _settings.ReloadAsync(wearerId);
        }
        catch (Exception ex)
        {
            LogReloadFailed(ex, change.DeviceId, change.WearerId);
        }
    }

    async Task ReloadGrainAsync(DeviceId deviceId)
    {
        try
        {
            await _grains.GetGrain<IDeviceGrain>(deviceId.Value).ReloadSettingsAsync();
        }
        catch (Exception ex)
        {
            LogGrainFailed(ex, deviceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload device {DeviceId} / wearer {WearerId} changed on another node")]
    partial void LogReloadFailed(Exception ex, string? deviceId, long? wearerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the grain of {DeviceId} that its settings changed; it coaches on them from its next activation")]
    partial void LogGrainFailed(Exception ex, DeviceId deviceId);
}
