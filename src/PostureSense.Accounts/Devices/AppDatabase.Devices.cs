using PostureSense.Core.Contract;
using PostureSense.Accounts.Devices;
using PostureSense.Storage;

namespace PostureSense.Accounts;

public sealed partial class AppDatabase
{
    /// <summary>Adds the device, or replaces its secrets when it was provisioned before (a reset device).</summary>
    public Task SaveDeviceAsync(DeviceId deviceId, string passwordHash, string pairingHash, long nowTs, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO devices (device_id, password_hash, pairing_hash, provisioned_ts) VALUES ($d, $p, $c, $t)
            ON CONFLICT (device_id) DO UPDATE SET password_hash = excluded.password_hash, pairing_hash = excluded.pairing_hash,
                provisioned_ts = excluded.provisioned_ts
            """, p =>
            {
                p.AddWithValue("$d", deviceId.Value);
                p.AddWithValue("$p", passwordHash);
                p.AddWithValue("$c", pairingHash);
                p.AddWithValue("$t", nowTs);
            }, cancellationToken);

    public async Task<ProvisionedDevice?> FindDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken) =>
        await SqliteFiles.ReadAsync(_connectionString, "SELECT device_id, password_hash, pairing_hash, provisioned_ts FROM devices WHERE device_id = $d",
            p => p.AddWithValue("$d", deviceId.Value), r => new ProvisionedDevice(deviceId, r.GetString(1), r.GetString(2), r.GetInt64(3)),
            cancellationToken) is [var found, ..] ? found : null;

    /// <summary>A row whose id breaks the rule (put there by hand) is left out: no device can connect as it.</summary>
    public async Task<IReadOnlyList<ProvisionedDevice>> ListDevicesAsync(CancellationToken cancellationToken) =>
        [.. (await SqliteFiles.ReadAsync(_connectionString, "SELECT device_id, password_hash, pairing_hash, provisioned_ts FROM devices ORDER BY device_id",
            _ => { }, r => DeviceId.TryParse(r.GetString(0), out var id) ? new ProvisionedDevice(id, r.GetString(1), r.GetString(2), r.GetInt64(3)) : null,
            cancellationToken)).OfType<ProvisionedDevice>()];

    public async Task<bool> RemoveDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM devices WHERE device_id = $d", p => p.AddWithValue("$d", deviceId.Value), cancellationToken) > 0;
}
