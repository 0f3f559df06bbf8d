using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Outbox;

/// <summary>
/// Telemetry batches between "made" and "acknowledged by the broker", in a SQLite file: a batch
/// is committed (WAL, synchronous FULL) before it is published, so a power cut keeps it, and it
/// is removed only after the broker's PUBACK. The next seq is stored too, so seqs continue across
/// restarts and are never reused, even after the outbox was emptied. Bounded in frames: past the
/// bound the oldest batches are dropped, since recent posture matters more than old.
/// Thread-safe: one connection behind a lock (a batch every few seconds needs no more).
/// </summary>
public sealed class TelemetryOutbox : IDisposable
{
    /// <summary>
    /// One frame in the frames blob: ts, pitch, roll, motion (8 bytes each), steps (4), flexion (8, NaN when none).
    /// An outbox file written by an older agent holds 36-byte frames without flexion; they are read back as such.
    /// </summary>
    const int FrameBytes = 44;

    readonly Lock _gate = new();
    readonly SqliteConnection _db;
    readonly int _maxFrames;
    long _nextSeq;
    long _frames;
    long _dropped;
    int _count;

    TelemetryOutbox(SqliteConnection db, int maxFrames)
    {
        _db = db;
        _maxFrames = maxFrames;
    }

    /// <summary>The file of <paramref name="deviceId"/>'s outbox in <paramref name="directory"/>.</summary>
    public static string FilePath(string directory, DeviceId deviceId) => Path.Combine(directory, $"outbox-{deviceId}.db");

    /// <summary>
    /// Opens (creating if needed) the outbox file at <paramref name="path"/>, or, when it is null,
    /// an in-memory outbox that keeps nothing across restarts (for in-process uses: demo, tests).
    /// </summary>
    public static TelemetryOutbox Open(string? path, int maxFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, ContractLimits.MaxFramesPerBatch);
        if (path is not null) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path ?? ":memory:",
            // One connection for the outbox's life; a pooled one would keep the file open after Dispose.
            Pooling = false,
        };
        var db = new SqliteConnection(builder.ToString());
        try
        {
            db.Open();
            Execute(db, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS batches (seq INTEGER PRIMARY KEY, frames BLOB NOT NULL, frame_count INTEGER NOT NULL, created INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                INSERT OR IGNORE INTO meta (key, value) VALUES ('next_seq', 1);
                """);
            var outbox = new TelemetryOutbox(db, maxFrames);
            using var read = db.CreateCommand();
            read.CommandText = "SELECT (SELECT value FROM meta WHERE key = 'next_seq'), COUNT(*), COALESCE(SUM(frame_count), 0), COALESCE(MAX(seq), 0) FROM batches";
            using (var r = read.ExecuteReader())
            {
                r.Read();
                // MAX(seq) too: a file whose meta row was lost must still never reuse a seq.
                outbox._nextSeq = Math.Max(r.GetInt64(0), r.GetInt64(3) + 1);
                (outbox._count, outbox._frames) = (r.GetInt32(1), r.GetInt64(2));
            }
            return outbox;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Batches waiting for the broker.</summary>
    public int Count { get { lock (_gate) return _count; } }
    /// <summary>Frames in those batches.</summary>
    public long Frames { get { lock (_gate) return _frames; } }
    /// <summary>Batches dropped to keep the bound since this outbox was opened.</summary>
    public long Dropped { get { lock (_gate) return _dropped; } }
    /// <summary>The seq the next batch gets.</summary>
    public long NextSeq { get { lock (_gate) return _nextSeq; } }

    /// <summary>
    /// Numbers <paramref name="frames"/> (1 to 60, in time order) as the next batch and commits it;
    /// drops the oldest batches while the bound is exceeded.
    /// </summary>
    /// <returns>The batch, and the batches dropped to make room (oldest first, usually none).</returns>
    public (TelemetryBatch Batch, IReadOnlyList<(long Seq, int Frames)> Dropped) Append(IReadOnlyList<PostureFrame> frames, DateTimeOffset now)
    {
        if (frames.Count is < 1 or > ContractLimits.MaxFramesPerBatch)
            throw new ArgumentOutOfRangeException(nameof(frames), frames.Count, $"a batch has 1 to {ContractLimits.MaxFramesPerBatch} frames");
        lock (_gate)
        {
            var batch = new TelemetryBatch(ContractLimits.Version, _nextSeq, [.. frames]);
            var dropped = new List<(long, int)>();
            using var tx = _db.BeginTransaction();
            Execute(_db, "INSERT INTO batches (seq, frames, frame_count, created) VALUES ($seq, $frames, $count, $created)",
                ("$seq", batch.Seq), ("$frames", Encode(frames)), ("$count", frames.Count), ("$created", now.ToUnixTimeMilliseconds()));
            Execute(_db, "UPDATE meta SET value = $next WHERE key = 'next_seq'", ("$next", batch.Seq + 1));
            var total = _frames + frames.Count;
            var count = _count + 1;
            while (total > _maxFrames)
            {
                var (seq, n) = Oldest();
                Execute(_db, "DELETE FROM batches WHERE seq = $seq", ("$seq", seq));
                dropped.Add((seq, n));
                total -= n;
                count--;
            }
            tx.Commit();
            (_nextSeq, _frames, _count) = (batch.Seq + 1, total, count);
            _dropped += dropped.Count;
            return (batch, dropped);
        }
    }

    /// <summary>The oldest waiting batch (lowest seq), if any.</summary>
    public bool TryPeek(out TelemetryBatch batch)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT seq, frames, frame_count FROM batches ORDER BY seq LIMIT 1";
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                batch = null!;
                return false;
            }
            batch = new TelemetryBatch(ContractLimits.Version, r.GetInt64(0), Decode((byte[])r.GetValue(1), r.GetInt32(2)));
            return true;
        }
    }

    /// <summary>Every waiting batch, oldest first (for inspection; the sender peeks one at a time).</summary>
    public IReadOnlyList<TelemetryBatch> ReadAll()
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT seq, frames, frame_count FROM batches ORDER BY seq";
            using var r = cmd.ExecuteReader();
            var all = new List<TelemetryBatch>();
            while (r.Read()) all.Add(new TelemetryBatch(ContractLimits.Version, r.GetInt64(0), Decode((byte[])r.GetValue(1), r.GetInt32(2))));
            return all;
        }
    }

    /// <summary>Forgets batch <paramref name="seq"/> once the broker has it; nothing if it was dropped meanwhile.</summary>
    public void Remove(long seq)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "DELETE FROM batches WHERE seq = $seq RETURNING frame_count";
            cmd.Parameters.AddWithValue("$seq", seq);
            if (cmd.ExecuteScalar() is long n)
            {
                _frames -= n;
                _count--;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) _db.Dispose();
    }

    (long Seq, int Frames) Oldest()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT seq, frame_count FROM batches ORDER BY seq LIMIT 1";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt32(1));
    }

    static void Execute(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        cmd.ExecuteNonQuery();
    }

    // A fixed little-endian layout rather than JSON: a day of frames stays under 4 MB.
    static byte[] Encode(IReadOnlyList<PostureFrame> frames)
    {
        var bytes = new byte[frames.Count * FrameBytes];
        var span = bytes.AsSpan();
        foreach (var f in frames)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span, f.Ts);
            BinaryPrimitives.WriteDoubleLittleEndian(span[8..], f.Pitch);
            BinaryPrimitives.WriteDoubleLittleEndian(span[16..], f.Roll);
            BinaryPrimitives.WriteDoubleLittleEndian(span[24..], f.Motion);
            BinaryPrimitives.WriteInt32LittleEndian(span[32..], f.Steps);
            BinaryPrimitives.WriteDoubleLittleEndian(span[36..], f.Flexion ?? double.NaN);
            span = span[FrameBytes..];
        }
        return bytes;
    }

    static PostureFrame[] Decode(byte[] bytes, int count)
    {
        var frames = new PostureFrame[count];
        var size = count == 0 ? FrameBytes : bytes.Length / count;
        ReadOnlySpan<byte> span = bytes;
        for (var i = 0; i < frames.Length; i++, span = span[size..])
        {
            double? flexion = size >= FrameBytes && BinaryPrimitives.ReadDoubleLittleEndian(span[36..]) is var f && !double.IsNaN(f) ? f : null;
            frames[i] = new PostureFrame(
                BinaryPrimitives.ReadInt64LittleEndian(span),
                BinaryPrimitives.ReadDoubleLittleEndian(span[8..]),
                BinaryPrimitives.ReadDoubleLittleEndian(span[16..]),
                BinaryPrimitives.ReadDoubleLittleEndian(span[24..]),
                BinaryPrimitives.ReadInt32LittleEndian(span[32..])) { Flexion = flexion };
        }
        return frames;
    }
}
