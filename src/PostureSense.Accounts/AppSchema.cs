namespace PostureSense.Accounts;

/// <summary>
/// The app database: wearers, the devices they own and their settings. A small SQLite file kept
/// beside the time series whichever store that is, so accounts never live in InfluxDB.
/// </summary>
static class AppSchema
{
    public const string Create = """
        PRAGMA journal_mode = WAL;

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
}
