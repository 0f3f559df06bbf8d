using Microsoft.Data.Sqlite;
using PostureSense.Storage;

namespace PostureSense.Accounts;

/// <summary>
/// The app database: wearers, the devices they own and their settings. A small SQLite file kept
/// beside the time series whichever store that is, so accounts never live in InfluxDB.
/// </summary>
static class AppSchema
{
    /// <summary>Set outside any transaction (SQLite refuses it inside one); a database in WAL already keeps it.</summary>
    public const string JournalMode = "PRAGMA journal_mode = WAL;";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS wearers (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            created_ts INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS owned_devices (
            device_id TEXT PRIMARY KEY,
            wearer_id INTEGER NOT NULL REFERENCES wearers (id),
            claimed_ts INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS owned_devices_by_wearer ON owned_devices (wearer_id);

        CREATE TABLE IF NOT EXISTS wearer_settings (
            wearer_id INTEGER PRIMARY KEY REFERENCES wearers (id),
            json TEXT NOT NULL,
            saved_ts INTEGER NOT NULL
        );

        -- Devices the operator provisioned: only hashes of their broker password and pairing code.
        CREATE TABLE IF NOT EXISTS devices (
            device_id TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            pairing_hash TEXT NOT NULL,
            provisioned_ts INTEGER NOT NULL
        );
        """;

    /// <summary>
    /// Columns added after the first release, each added to a database that lacks it. The
    /// security stamp of an existing account starts empty, which its existing sessions (signed
    /// before stamps) carry too: they stay valid until the stamp is first rotated.
    /// </summary>
    static readonly (string Column, string Definition)[] WearerColumns =
    [
        ("security_stamp", "security_stamp TEXT NOT NULL DEFAULT ''"),
        ("operator", "operator INTEGER NOT NULL DEFAULT 0"),
    ];

    /// <summary>
    /// Makes the schema and brings it up to date, as one write transaction taken at once (BEGIN
    /// IMMEDIATE): several servers sharing the file may start together, and each then finds the
    /// schema either untouched or complete, never another's half-added column. A server waiting on
    /// another's transaction waits up to the connection's timeout, then reads what it made.
    /// </summary>
    public static async Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await SqliteFiles.ExecuteAsync(connection, JournalMode, cancellationToken);
        // Not deferred: BEGIN IMMEDIATE takes the write lock before the schema is read.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, Create, cancellationToken);
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = transaction;
            cmd.CommandText = "SELECT name FROM pragma_table_info('wearers')";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetString(0));
        }
        foreach (var (column, definition) in WearerColumns)
            if (!existing.Contains(column))
                await ExecuteAsync(connection, transaction, $"ALTER TABLE wearers ADD COLUMN {definition}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
