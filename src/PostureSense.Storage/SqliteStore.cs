using Microsoft.Data.Sqlite;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage;

/// <summary>
/// The zero set-up store: one SQLite file in WAL mode, so the dashboard reads while ingestion
/// writes. Writes go through one connection, one at a time, each batch in one transaction; reads
/// open their own pooled connections.
/// </summary>
public sealed class SqliteStore : IPostureStore
{
    readonly string _connectionString;
    readonly TimeProvider _clock;
    readonly SqliteConnection _writer;
    readonly SemaphoreSlim _writeLock = new(1, 1);
    readonly HashSet<DeviceId> _heldAtOpen;

    SqliteStore(string connectionString, TimeProvider clock, SqliteConnection writer, HashSet<DeviceId> heldAtOpen)
    {
        _heldAtOpen = heldAtOpen;
        _connectionString = connectionString;
        _clock = clock;
        _writer = writer;
    }

    public string Path { get; private init; } = "";

    /// <summary>Opens (creating if need be) the database file and its schema.</summary>
    public static async Task<SqliteStore> OpenAsync(string path, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var connectionString = SqliteFiles.ConnectionString(full);
        var writer = new SqliteConnection(connectionString);
        HashSet<DeviceId> heldAtOpen;
        try
        {
            await writer.OpenAsync(cancellationToken);
            await ExecuteAsync(writer, SqliteSchema.Pragmas, cancellationToken);
            await ExecuteAsync(writer, SqliteSchema.Create, cancellationToken);
            await AddMissingColumnsAsync(writer, "acks", SqliteSchema.AckDetailColumns, cancellationToken);
            heldAtOpen = await DeviceIdsAsync(writer, cancellationToken);
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
        return new SqliteStore(connectionString, clock ?? TimeProvider.System, writer, heldAtOpen) { Path = full };
    }

    /// <summary>A file made before a column existed gets it (empty for the old rows) instead of failing every write.</summary>
    static async Task AddMissingColumnsAsync(SqliteConnection connection, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetString(0));
        }
        foreach (var column in columns.Where(c => !existing.Contains(c.Split(' ')[0])))
            await ExecuteAsync(connection, $"ALTER TABLE {table} ADD COLUMN {column}", cancellationToken);
    }

    public bool HeldBeforeOpen(DeviceId deviceId) => _heldAtOpen.Contains(deviceId);

    static async Task<HashSet<DeviceId>> DeviceIdsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT device_id FROM devices";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<DeviceId>();
        // A row no device could have sent (written by another tool) is no device this server coaches.
        while (await reader.ReadAsync(cancellationToken))
            if (DeviceId.TryParse(reader.GetString(0), out var id)) ids.Add(id);
        return ids;
    }

    public async Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default)
    {
        if (frames.Count == 0) return;
        await WriteAsync(tx => InsertFramesAsync(tx, deviceId, frames, cancellationToken), cancellationToken);
    }

    public Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) =>
        WriteAsync(async tx =>
        {
            foreach (var write in writes)
            {
                var apply = write switch
                {
                    FramesWrite f when f.Frames.Count == 0 => TouchDeviceAsync(tx, f.DeviceId, cancellationToken),
                    FramesWrite f => InsertFramesAsync(tx, f.DeviceId, f.Frames, cancellationToken),
                    StatusWrite st => UpdateStatusAsync(tx, st.DeviceId, st.Status, st.ReceivedTs, cancellationToken),
                    AckWrite a => InsertAckAsync(tx, a.Ack, cancellationToken),
                    PromptWrite p => InsertPromptAsync(tx, p.Prompt, cancellationToken),
                    _ => throw new ArgumentException($"unknown store write {write.GetType().Name}", nameof(writes)),
                };
                await apply;
            }
        }, cancellationToken);

    async Task InsertFramesAsync(SqliteTransaction tx, DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken)
    {
        await TouchDeviceAsync(tx, deviceId, cancellationToken);
        await using var cmd = Command(tx, """
            INSERT INTO frames (device_id, ts, pitch, roll, motion, steps) VALUES ($d, $ts, $p, $r, $m, $s)
            ON CONFLICT (device_id, ts) DO UPDATE SET pitch = excluded.pitch, roll = excluded.roll,
                motion = excluded.motion, steps = excluded.steps
            """);
        cmd.Parameters.AddWithValue("$d", deviceId.Value);
        var ts = cmd.Parameters.Add("$ts", SqliteType.Integer);
        var pitch = cmd.Parameters.Add("$p", SqliteType.Real);
        var roll = cmd.Parameters.Add("$r", SqliteType.Real);
        var motion = cmd.Parameters.Add("$m", SqliteType.Real);
        var steps = cmd.Parameters.Add("$s", SqliteType.Integer);
        long newest = long.MinValue;
        foreach (var f in frames)
        {
            (ts.Value, pitch.Value, roll.Value, motion.Value, steps.Value) = (f.Ts, f.Pitch, f.Roll, f.Motion, f.Steps);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            newest = Math.Max(newest, f.Ts);
        }
        await using var last = Command(tx, "UPDATE devices SET last_frame_ts = max(coalesce(last_frame_ts, $ts), $ts) WHERE device_id = $d");
        last.Parameters.AddWithValue("$d", deviceId.Value);
        last.Parameters.AddWithValue("$ts", newest);
        await last.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => InsertPromptAsync(tx, prompt, cancellationToken), cancellationToken);

    async Task InsertPromptAsync(SqliteTransaction tx, PromptRecord prompt, CancellationToken cancellationToken)
    {
        await TouchDeviceAsync(tx, prompt.DeviceId, cancellationToken);
        await using var cmd = Command(tx, """
            INSERT OR REPLACE INTO prompts (device_id, command_id, ts, reason, exercise_id, pattern, episode_start_ts)
            VALUES ($d, $id, $ts, $reason, $ex, $pattern, $episode)
            """);
        cmd.Parameters.AddWithValue("$d", prompt.DeviceId.Value);
        cmd.Parameters.AddWithValue("$id", prompt.CommandId);
        cmd.Parameters.AddWithValue("$ts", prompt.Ts);
        cmd.Parameters.AddWithValue("$reason", prompt.Reason.ToWire());
        cmd.Parameters.AddWithValue("$ex", prompt.ExerciseId);
        cmd.Parameters.AddWithValue("$pattern", prompt.Pattern);
        cmd.Parameters.AddWithValue("$episode", prompt.EpisodeStartTs);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => InsertAckAsync(tx, ack, cancellationToken), cancellationToken);

    async Task InsertAckAsync(SqliteTransaction tx, AckRecord ack, CancellationToken cancellationToken)
    {
        await TouchDeviceAsync(tx, ack.DeviceId, cancellationToken);
        // (device, command, status) is an ack's identity: a redelivered ack changes nothing.
        await using var cmd = Command(tx, """
            INSERT OR REPLACE INTO acks (device_id, command_id, status, ts, exercise, reps, holds_s)
            VALUES ($d, $id, $status, $ts, $exercise, $reps, $holds)
            """);
        cmd.Parameters.AddWithValue("$exercise", (object?)ack.Exercise ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$reps", (object?)ack.Reps ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$holds", (object?)ack.HoldsText ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$d", ack.DeviceId.Value);
        cmd.Parameters.AddWithValue("$id", ack.CommandId);
        cmd.Parameters.AddWithValue("$status", ack.Status);
        cmd.Parameters.AddWithValue("$ts", ack.Ts);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => UpdateStatusAsync(tx, deviceId, status, receivedTs, cancellationToken), cancellationToken);

    async Task UpdateStatusAsync(SqliteTransaction tx, DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken)
    {
        await TouchDeviceAsync(tx, deviceId, cancellationToken);
        await using var cmd = Command(tx, """
            UPDATE devices SET online = $online, fw = $fw, calibrated = $cal, status_ts = $ts, status_received_ts = $received
            WHERE device_id = $d
            """);
        cmd.Parameters.AddWithValue("$d", deviceId.Value);
        cmd.Parameters.AddWithValue("$online", status.Online ? 1 : 0);
        cmd.Parameters.AddWithValue("$fw", (object?)status.Fw ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$cal", status.Calibrated is { } c ? (c ? 1 : 0) : DBNull.Value);
        cmd.Parameters.AddWithValue("$ts", (object?)status.Ts ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$received", receivedTs);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        ReadAsync("""
            SELECT ts, pitch, roll, motion, steps FROM frames
            WHERE device_id = $d AND ts >= $from AND ts < $to ORDER BY ts
            """, Range(deviceId, fromTs, toTs),
            r => new PostureFrame(r.GetInt64(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetInt32(4)), cancellationToken);

    public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        ReadAsync($"{SelectPrompts} WHERE device_id = $d AND ts >= $from AND ts < $to ORDER BY ts, command_id",
            Range(deviceId, fromTs, toTs), r => ReadPrompt(r, deviceId), cancellationToken);

    public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        ReadAsync("""
            SELECT device_id, command_id, status, ts, exercise, reps, holds_s FROM acks
            WHERE device_id = $d AND ts >= $from AND ts < $to ORDER BY ts, command_id
            """, Range(deviceId, fromTs, toTs),
            r => new AckRecord(deviceId, r.GetString(1), r.GetString(2), r.GetInt64(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5),
                AckRecord.ParseHolds(r.IsDBNull(6) ? null : r.GetString(6))), cancellationToken);

    /// <summary>A row whose id breaks the rule (written by another tool) is left out: no device could send as it.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default) =>
        [.. (await ReadAsync($"{SelectDevices} ORDER BY device_id", _ => { }, ReadDevice, cancellationToken)).OfType<DeviceRecord>()];

    public async Task<DeviceRecord?> GetDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"{SelectDevices} WHERE device_id = $d", p => p.AddWithValue("$d", deviceId.Value), ReadDevice, cancellationToken))
        is [var device, ..] ? device : null;

    public async Task<PromptRecord?> LastPromptAsync(DeviceId deviceId, PromptReason reason, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"{SelectPrompts} WHERE device_id = $d AND reason = $reason ORDER BY ts DESC LIMIT 1",
            p => { p.AddWithValue("$d", deviceId.Value); p.AddWithValue("$reason", reason.ToWire()); },
            r => ReadPrompt(r, deviceId), cancellationToken)) is [var prompt, ..] ? prompt : null;

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await _writer.DisposeAsync();
            // Pooled read connections would otherwise keep the file open after the store is gone.
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    const string SelectPrompts = "SELECT device_id, command_id, ts, reason, exercise_id, pattern, episode_start_ts FROM prompts";
    const string SelectDevices =
        "SELECT device_id, first_seen_ts, last_frame_ts, online, fw, calibrated, status_ts, status_received_ts FROM devices";

    // Rows are asked for by device, so each one is of the device asked for.
    static PromptRecord ReadPrompt(SqliteDataReader r, DeviceId deviceId)
    {
        _ = PromptReasons.TryParse(r.GetString(3), out var reason);
        return new PromptRecord(deviceId, r.GetString(1), r.GetInt64(2), reason, r.GetString(4), r.GetString(5), r.GetInt64(6));
    }

    static DeviceRecord? ReadDevice(SqliteDataReader r)
    {
        if (!DeviceId.TryParse(r.GetString(0), out var id)) return null;
        DeviceStatus? status = r.IsDBNull(3) ? null : new DeviceStatus(
            ContractLimits.Version,
            r.GetInt64(3) != 0,
            r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetInt64(5) != 0,
            r.IsDBNull(6) ? null : r.GetInt64(6));
        return new DeviceRecord(id, r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2), status,
            r.IsDBNull(7) ? null : r.GetInt64(7));
    }

    static Action<SqliteParameterCollection> Range(DeviceId deviceId, long fromTs, long toTs) => p =>
    {
        p.AddWithValue("$d", deviceId.Value);
        p.AddWithValue("$from", fromTs);
        p.AddWithValue("$to", toTs);
    };

    async Task TouchDeviceAsync(SqliteTransaction tx, DeviceId deviceId, CancellationToken cancellationToken)
    {
        await using var cmd = Command(tx, "INSERT INTO devices (device_id, first_seen_ts) VALUES ($d, $now) ON CONFLICT (device_id) DO NOTHING");
        cmd.Parameters.AddWithValue("$d", deviceId.Value);
        cmd.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    async Task WriteAsync(Func<SqliteTransaction, Task> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken);
            await write(tx);
            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken) =>
        SqliteFiles.ReadAsync(_connectionString, sql, bind, map, cancellationToken);

    static SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    static Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken) =>
        SqliteFiles.ExecuteAsync(connection, sql, cancellationToken);
}
