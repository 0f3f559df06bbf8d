using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PostureSense.Bench;

/// <summary>Counts posture frames where the server stores them, to know when ingestion has caught up.</summary>
public interface IFrameCounter
{
    Task<long> CountAsync(CancellationToken cancellationToken);
}

/// <summary>InfluxDB 1.x over its HTTP API: <c>SELECT count(pitch) FROM posture</c>.</summary>
public sealed class InfluxClient(Uri baseUrl, string database) : IFrameCounter, IDisposable
{
    readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };

    public string Database => database;
    public Uri QueryBaseUrl => baseUrl;

    public InfluxClient For(string otherDatabase) => new(baseUrl, otherDatabase);

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        using var json = await QueryAsync("SELECT count(pitch) FROM posture", cancellationToken);
        // No points yet: the result has no series at all.
        var result = json.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;
    }

    /// <summary>Drops and creates the database, so a run starts from nothing.</summary>
    public async Task RecreateAsync(CancellationToken cancellationToken)
    {
        (await QueryAsync($"DROP DATABASE \"{database}\"", cancellationToken)).Dispose();
        (await QueryAsync($"CREATE DATABASE \"{database}\"", cancellationToken)).Dispose();
    }

    public async Task<JsonDocument> QueryAsync(string influxQl, CancellationToken cancellationToken)
    {
        // POST: InfluxDB 1.x refuses DROP/CREATE over GET.
        using var form = new FormUrlEncodedContent([new("q", influxQl), new("db", database)]);
        using var response = await _http.PostAsync("query", form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"InfluxDB query '{influxQl}' failed: {(int)response.StatusCode} {body.Trim()}");
        return JsonDocument.Parse(body);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The server's SQLite file, read-only beside the writer (it runs in WAL mode).</summary>
public sealed class SqliteCounter(string path) : IFrameCounter
{
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return 0;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'frames'";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0) return 0;
        command.CommandText = "SELECT count(*) FROM frames";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
