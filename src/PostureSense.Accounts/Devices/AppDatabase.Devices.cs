using PostureSense.Accounts.Devices;
using PostureSense.Storage;

namespace PostureSense.Accounts;

public sealed partial class AppDatabase
{
    /// <summary>Adds the device, or replaces its secrets when it was provisioned before (a reset device).</summary>
    public Task SaveDeviceAsync(string deviceId, string passwordHash, string pairingHash, long nowTs, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO devices (device_id, password_hash, pairing_hash, provisioned_ts) VALUES ($d, $p, $c, $t)
            ON CONFLICT (device_id) DO UPDATE SET password_hash = excluded.password_hash, pairing_hash = excluded.pairing_hash,
                provisioned_ts = excluded.provisioned_ts
            """, p =>
            {
                p.AddWithValue("$d", deviceId);
                p.AddWithValue("$p", passwordHash);
                p.AddWithValue("$c", pairingHash);
                p.AddWithValue("$t", nowTs);
            }, cancellationToken);

    public async Task<ProvisionedDevice?> FindDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        await SqliteFiles.ReadAsync(_connectionString, "SELECT device_id, password_hash, pairing_hash, provisioned_ts FROM devices WHERE device_id = $d",
            p => p.AddWithValue("$d", deviceId), r => new ProvisionedDevice(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)),
            cancellationToken) is [var found, ..] ? found : null;

    public Task<IReadOnlyList<ProvisionedDevice>> ListDevicesAsync(CancellationToken cancellationToken) =>
        SqliteFiles.ReadAsync(_connectionString, "SELECT device_id, password_hash, pairing_hash, provisioned_ts FROM devices ORDER BY device_id",
            _ => { }, r => new ProvisionedDevice(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)), cancellationToken);

    public async Task<bool> RemoveDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM devices WHERE device_id = $d", p => p.AddWithValue("$d", deviceId), cancellationToken) > 0;
}
