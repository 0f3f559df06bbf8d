using PostureSense.Core.Contract;
using Microsoft.Data.Sqlite;
using PostureSense.Storage;

namespace PostureSense.Accounts;

/// <summary>A wearer as the app database knows them.</summary>
public sealed record Wearer(long Id, string Email);

/// <summary>
/// What decides whether a session still counts: the account's security stamp (a session signed
/// with another one has ended) and whether the account may see the operator's pages.
/// </summary>
public sealed record WearerSecurity(string Stamp, bool Operator);

public enum ClaimOutcome
{
    Claimed,
    /// <summary>The wearer owned it already: claiming twice changes nothing.</summary>
    AlreadyYours,
    OwnedByAnother,
    /// <summary>
    /// A wearer's claim without proof: the device is unknown, the pairing code wrong, or the device
    /// another wearer's. One answer for all three, so a claim tells nobody whether a device exists.
    /// </summary>
    NoMatch,
}

/// <summary>
/// The app database (<see cref="AppSchema"/>): few rows, written rarely (a sign-up, a claim, a
/// saved setting), so each call opens a pooled connection of its own.
/// </summary>
public sealed partial class AppDatabase : IAsyncDisposable
{
    readonly string _connectionString;

    AppDatabase(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
    }

    public string Path { get; }

    public static async Task<AppDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var connectionString = SqliteFiles.ConnectionString(full);
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await AppSchema.EnsureAsync(connection, cancellationToken);
        }
        return new AppDatabase(full, connectionString);
    }

    /// <summary>The new wearer, or null when the email is taken (emails are compared without case).</summary>
    public async Task<Wearer?> AddWearerAsync(string email, string passwordHash, long nowTs, CancellationToken cancellationToken)
    {
        try
        {
            var id = await ScalarAsync("INSERT INTO wearers (email, password_hash, created_ts, security_stamp) VALUES ($e, $h, $t, $s) RETURNING id",
                p => { p.AddWithValue("$e", email); p.AddWithValue("$h", passwordHash); p.AddWithValue("$t", nowTs); p.AddWithValue("$s", NewStamp()); },
                cancellationToken);
            return new Wearer(id, email);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the email is taken
        {
            return null;
        }
    }

    public async Task<(Wearer Wearer, string PasswordHash)?> FindWearerAsync(string email, CancellationToken cancellationToken)
    {
        var rows = await SqliteFiles.ReadAsync(_connectionString, "SELECT id, email, password_hash FROM wearers WHERE email = $e",
            p => p.AddWithValue("$e", email), r => (new Wearer(r.GetInt64(0), r.GetString(1)), r.GetString(2)), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<Wearer?> GetWearerAsync(long id, CancellationToken cancellationToken) =>
        (await SqliteFiles.ReadAsync(_connectionString, "SELECT id, email FROM wearers WHERE id = $id",
            p => p.AddWithValue("$id", id), r => new Wearer(r.GetInt64(0), r.GetString(1)), cancellationToken)) is [var wearer, ..] ? wearer : null;

    public Task<IReadOnlyList<Wearer>> ListWearersAsync(CancellationToken cancellationToken) =>
        SqliteFiles.ReadAsync(_connectionString, "SELECT id, email FROM wearers ORDER BY email", _ => { },
            r => new Wearer(r.GetInt64(0), r.GetString(1)), cancellationToken);

    public Task SetPasswordHashAsync(long wearerId, string passwordHash, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE wearers SET password_hash = $h WHERE id = $id",
            p => { p.AddWithValue("$h", passwordHash); p.AddWithValue("$id", wearerId); }, cancellationToken);

    /// <summary>A new password and a new security stamp at once: every session signed before ends.</summary>
    public async Task<string?> ReplacePasswordAsync(long wearerId, string passwordHash, CancellationToken cancellationToken)
    {
        var stamp = NewStamp();
        return await ExecuteAsync("UPDATE wearers SET password_hash = $h, security_stamp = $s WHERE id = $id",
            p => { p.AddWithValue("$h", passwordHash); p.AddWithValue("$s", stamp); p.AddWithValue("$id", wearerId); }, cancellationToken) > 0
            ? stamp
            : null;
    }

    /// <summary>A new security stamp: every session signed with the old one ends. Null if there is no such wearer.</summary>
    public async Task<string?> RotateStampAsync(long wearerId, CancellationToken cancellationToken)
    {
        var stamp = NewStamp();
        return await ExecuteAsync("UPDATE wearers SET security_stamp = $s WHERE id = $id",
            p => { p.AddWithValue("$s", stamp); p.AddWithValue("$id", wearerId); }, cancellationToken) > 0
            ? stamp
            : null;
    }

    public async Task<WearerSecurity?> GetSecurityAsync(long wearerId, CancellationToken cancellationToken) =>
        await SqliteFiles.ReadAsync(_connectionString, "SELECT security_stamp, operator FROM wearers WHERE id = $id",
            p => p.AddWithValue("$id", wearerId), r => new WearerSecurity(r.GetString(0), r.GetInt64(1) != 0), cancellationToken) is [var found, ..] ? found : null;

    /// <summary>Makes the account an operator (or not); false if there is no such wearer.</summary>
    public async Task<bool> SetOperatorAsync(long wearerId, bool isOperator, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE wearers SET operator = $o WHERE id = $id",
            p => { p.AddWithValue("$o", isOperator ? 1 : 0); p.AddWithValue("$id", wearerId); }, cancellationToken) > 0;

    /// <summary>128 random bits: a stamp cannot be guessed from the last one.</summary>
    static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Gives an unowned device to the wearer; a device already owned stays with its owner.</summary>
    public async Task<ClaimOutcome> ClaimAsync(long wearerId, DeviceId deviceId, long nowTs, CancellationToken cancellationToken)
    {
        var inserted = await ExecuteAsync(
            "INSERT INTO owned_devices (device_id, wearer_id, claimed_ts) VALUES ($d, $w, $t) ON CONFLICT (device_id) DO NOTHING",
            p => { p.AddWithValue("$d", deviceId.Value); p.AddWithValue("$w", wearerId); p.AddWithValue("$t", nowTs); }, cancellationToken);
        if (inserted > 0) return ClaimOutcome.Claimed;
        return await OwnerOfAsync(deviceId, cancellationToken) == wearerId ? ClaimOutcome.AlreadyYours : ClaimOutcome.OwnedByAnother;
    }

    /// <summary>Lets a device go, so that another wearer may claim it; false if the wearer did not own it.</summary>
    public async Task<bool> ReleaseAsync(long wearerId, DeviceId deviceId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM owned_devices WHERE device_id = $d AND wearer_id = $w",
            p => { p.AddWithValue("$d", deviceId.Value); p.AddWithValue("$w", wearerId); }, cancellationToken) > 0;

    public async Task<long?> OwnerOfAsync(DeviceId deviceId, CancellationToken cancellationToken) =>
        (await SqliteFiles.ReadAsync(_connectionString, "SELECT wearer_id FROM owned_devices WHERE device_id = $d",
            p => p.AddWithValue("$d", deviceId.Value), r => (long?)r.GetInt64(0), cancellationToken)) is [var owner, ..] ? owner : null;

    public async Task<IReadOnlyList<DeviceId>> DevicesOfAsync(long wearerId, CancellationToken cancellationToken) =>
        [.. (await SqliteFiles.ReadAsync(_connectionString, "SELECT device_id FROM owned_devices WHERE wearer_id = $w ORDER BY device_id",
            p => p.AddWithValue("$w", wearerId), r => DeviceId.TryParse(r.GetString(0), out var id) ? id : (DeviceId?)null, cancellationToken))
            .OfType<DeviceId>()];

    /// <summary>
    /// Every owned device and its owner: loaded once at start, then kept in memory. A row whose id
    /// breaks the rule (put there by hand) is left out: no device can send as it.
    /// </summary>
    public async Task<IReadOnlyList<(DeviceId DeviceId, long WearerId)>> AllOwnershipsAsync(CancellationToken cancellationToken) =>
        [.. (await SqliteFiles.ReadAsync(_connectionString, "SELECT device_id, wearer_id FROM owned_devices", _ => { },
            r => DeviceId.TryParse(r.GetString(0), out var id) ? (id, r.GetInt64(1)) : ((DeviceId, long)?)null, cancellationToken))
            .OfType<(DeviceId, long)>()];

    public async Task<string?> GetSettingsJsonAsync(long wearerId, CancellationToken cancellationToken) =>
        (await SqliteFiles.ReadAsync(_connectionString, "SELECT json FROM wearer_settings WHERE wearer_id = $w",
            p => p.AddWithValue("$w", wearerId), r => r.GetString(0), cancellationToken)) is [var json, ..] ? json : null;

    public Task<IReadOnlyList<(long WearerId, string Json)>> AllSettingsJsonAsync(CancellationToken cancellationToken) =>
        SqliteFiles.ReadAsync(_connectionString, "SELECT wearer_id, json FROM wearer_settings", _ => { },
            r => (r.GetInt64(0), r.GetString(1)), cancellationToken);

    public Task SaveSettingsJsonAsync(long wearerId, string json, long nowTs, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO wearer_settings (wearer_id, json, saved_ts) VALUES ($w, $j, $t)
            ON CONFLICT (wearer_id) DO UPDATE SET json = excluded.json, saved_ts = excluded.saved_ts
            """, p => { p.AddWithValue("$w", wearerId); p.AddWithValue("$j", json); p.AddWithValue("$t", nowTs); }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        // Pooled connections would otherwise keep the file open after the database is closed.
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    Task<int> ExecuteAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken) =>
        RunAsync(sql, bind, cmd => cmd.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    Task<long> ScalarAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken) =>
        RunAsync(sql, bind, async cmd => (long)(await cmd.ExecuteScalarAsync(cancellationToken))!, cancellationToken);

    async Task<T> RunAsync<T>(string sql, Action<SqliteParameterCollection> bind, Func<SqliteCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd.Parameters);
        return await run(cmd);
    }
}
