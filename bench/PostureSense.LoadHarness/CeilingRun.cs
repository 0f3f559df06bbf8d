using PostureSense.Bench;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.Data.Sqlite;
using PostureSense.FirmwareSim.Load;
using PostureSense.Storage.Influx;

namespace PostureSense.LoadHarness;

/// <summary>How fast the store takes the same frames with no broker and no server in between.</summary>
sealed record CeilingResult(string Method, long Frames, double Seconds)
{
    public double FramesPerSecond => Seconds > 0 ? Frames / Seconds : 0;
}

static class CeilingRun
{
    static readonly string[] FrameParameters = ["$d", "$t", "$p", "$r", "$m", "$s"];

    // InfluxDB's guidance, and the server's default points per request.
    const int LinesPerChunk = 5_000;

    /// <summary>
    /// Line protocol in 5,000-line files POSTed one after another with curl, as an operator's bulk load
    /// would; once plain and once gzip (as the server sends it), each into its own fresh database.
    /// Only the POSTs are timed: files are written and compressed first.
    /// </summary>
    public static async Task<IReadOnlyList<CeilingResult>> InfluxAsync(InfluxClient influx, FleetOptions fleet, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("posturesense-ceiling-").FullName;
        try
        {
            var chunks = await WriteChunksAsync(fleet, directory, cancellationToken);
            var results = new List<CeilingResult>();
            foreach (var gzip in new[] { false, true })
            {
                using var target = influx.For(influx.Database + (gzip ? "_ceiling_gz" : "_ceiling"));
                await target.RecreateAsync(cancellationToken);
                var url = $"{influx.QueryBaseUrl.ToString().TrimEnd('/')}/write?db={target.Database}&precision=ms";
                var clock = Stopwatch.StartNew();
                foreach (var chunk in chunks) await CurlAsync(url, gzip ? chunk + ".gz" : chunk, gzip, cancellationToken);
                clock.Stop();
                results.Add(new CeilingResult(gzip ? "curl, gzip" : "curl, plain", await target.CountAsync(cancellationToken), clock.Elapsed.TotalSeconds));
            }
            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    static async Task<List<string>> WriteChunksAsync(FleetOptions fleet, string directory, CancellationToken cancellationToken)
    {
        var chunks = new List<string>();
        var writer = new LineProtocolWriter();
        async Task FlushAsync()
        {
            var path = Path.Combine(directory, $"chunk-{chunks.Count:D5}.lp");
            var bytes = Encoding.UTF8.GetBytes(writer.Output.ToString());
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            await using (var gz = new GZipStream(File.Create(path + ".gz"), CompressionLevel.Fastest)) // the server's level
                await gz.WriteAsync(bytes, cancellationToken);
            chunks.Add(path);
            writer = new LineProtocolWriter();
        }
        foreach (var f in FleetFrames.All(fleet))
        {
            // The same calls as the server's InfluxDB schema for a posture frame.
            writer.Measurement("posture").Tag("device", f.DeviceId)
                .Field("pitch", f.Pitch).Field("roll", f.Roll).Field("motion", f.Motion).Field("steps", (long)f.Steps);
            writer.End(f.Ts);
            if (writer.Points == LinesPerChunk) await FlushAsync();
        }
        if (writer.Points > 0) await FlushAsync();
        return chunks;
    }

    static async Task CurlAsync(string url, string file, bool gzip, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + file }) start.ArgumentList.Add(arg);
        if (gzip) { start.ArgumentList.Add("-H"); start.ArgumentList.Add("Content-Encoding: gzip"); }
        start.ArgumentList.Add(url);
        using var curl = Process.Start(start) ?? throw new InvalidOperationException("could not start curl");
        var status = await curl.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await curl.StandardError.ReadToEndAsync(cancellationToken);
        await curl.WaitForExitAsync(cancellationToken);
        if (curl.ExitCode != 0 || status != "204")
            throw new InvalidOperationException($"curl {Path.GetFileName(file)}: exit {curl.ExitCode}, HTTP {status} {error.Trim()}");
    }

    /// <summary>
    /// The SQLite equivalent: the same rows inserted 5,000 to a transaction into a fresh file with the
    /// server's table, WAL and default (FULL) sync, through the same library the server uses.
    /// </summary>
    public static async Task<CeilingResult> SqliteAsync(string serverPath, FleetOptions fleet, CancellationToken cancellationToken)
    {
        var path = Path.ChangeExtension(serverPath, ".ceiling.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE frames (device_id TEXT NOT NULL, ts INTEGER NOT NULL, pitch REAL NOT NULL, roll REAL NOT NULL,
                    motion REAL NOT NULL, steps INTEGER NOT NULL, PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
                """;
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }
        var clock = Stopwatch.StartNew();
        SqliteTransaction? transaction = null;
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR REPLACE INTO frames VALUES ($d, $t, $p, $r, $m, $s)";
        var ps = FrameParameters.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        long rows = 0;
        foreach (var f in FleetFrames.All(fleet))
        {
            if (transaction is null) insert.Transaction = transaction = connection.BeginTransaction();
            (ps[0].Value, ps[1].Value, ps[2].Value, ps[3].Value, ps[4].Value, ps[5].Value) = (f.DeviceId, f.Ts, f.Pitch, f.Roll, f.Motion, f.Steps);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (++rows % LinesPerChunk == 0)
            {
                await transaction.CommitAsync(cancellationToken);
                await transaction.DisposeAsync();
                transaction = null;
            }
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
        }
        clock.Stop();
        return new CeilingResult("sqlite, 5,000 rows per transaction", await new SqliteCounter(path).CountAsync(cancellationToken), clock.Elapsed.TotalSeconds);
    }
}
