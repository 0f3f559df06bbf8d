namespace PostureSense.Storage;

/// <summary>The SQLite schema, created on open; every statement is idempotent.</summary>
static class SqliteSchema
{
    // WAL lets readers run beside the writer. synchronous stays at its FULL default: a message is
    // acknowledged to the broker once stored, so a stored frame must survive a power cut.
    public const string Pragmas = "PRAGMA journal_mode = WAL;";

    /// <summary>Columns added to <c>acks</c> after its first release; older files get them on open.</summary>
    public static readonly IReadOnlyList<string> AckDetailColumns = ["exercise TEXT", "reps INTEGER", "holds_s TEXT"];

    public const string Create = """
        CREATE TABLE IF NOT EXISTS frames (
            device_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            pitch REAL NOT NULL,
            roll REAL NOT NULL,
            motion REAL NOT NULL,
            steps INTEGER NOT NULL,
            PRIMARY KEY (device_id, ts)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS prompts (
            device_id TEXT NOT NULL,
            command_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            reason TEXT NOT NULL,
            exercise_id TEXT NOT NULL,
            pattern TEXT NOT NULL,
            episode_start_ts INTEGER NOT NULL,
            PRIMARY KEY (device_id, command_id)
        );
        CREATE INDEX IF NOT EXISTS prompts_by_time ON prompts (device_id, ts);

        CREATE TABLE IF NOT EXISTS acks (
            device_id TEXT NOT NULL,
            command_id TEXT NOT NULL,
            status TEXT NOT NULL,
            ts INTEGER NOT NULL,
            exercise TEXT,
            reps INTEGER,
            holds_s TEXT,
            PRIMARY KEY (device_id, command_id, status)
        );
        CREATE INDEX IF NOT EXISTS acks_by_time ON acks (device_id, ts);

        CREATE TABLE IF NOT EXISTS devices (
            device_id TEXT PRIMARY KEY,
            first_seen_ts INTEGER NOT NULL,
            last_frame_ts INTEGER,
            online INTEGER,
            fw TEXT,
            calibrated INTEGER,
            status_ts INTEGER,
            status_received_ts INTEGER
        );
        """;
}
