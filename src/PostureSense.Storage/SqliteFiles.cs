using Microsoft.Data.Sqlite;

namespace PostureSense.Storage;

/// <summary>What the time series store and the app database do alike with their SQLite files.</summary>
public static class SqliteFiles
{
    /// <summary>A pooled read-write connection string for <paramref name="path"/>, its folder created if need be.</summary>
    public static string ConnectionString(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Waits this long on a lock held by another connection instead of failing at once.
            DefaultTimeout = 30,
        }.ToString();
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs a query on a connection of its own (readers run beside the writer in WAL mode).</summary>
    public static async Task<IReadOnlyList<T>> ReadAsync<T>(string connectionString, string sql, Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(map(reader));
        return list;
    }
}
