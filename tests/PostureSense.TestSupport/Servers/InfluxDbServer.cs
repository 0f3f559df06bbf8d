using System.Net;
using System.Text;
using System.Text.Json;

namespace PostureSense.TestSupport.Servers;

/// <summary>
/// A real InfluxDB 1.x (influxd) on free loopback ports with its meta, data and WAL in a temp
/// directory and one database created. Stop and restart keep ports and data, to simulate an outage.
/// </summary>
public sealed class InfluxDbServer : IAsyncDisposable
{
    public const string InstallHint = "apt-get install influxdb";

    readonly ServerProcess _process;
    readonly HttpClient _http;

    InfluxDbServer(string directory, int httpPort, string database, ServerProcess process, InfluxAdmin? admin)
    {
        Directory = directory;
        HttpPort = httpPort;
        Database = database;
        _process = process;
        Admin = admin;
        _http = new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(10) };
        if (admin is not null)
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{admin.User}:{admin.Password}")));
    }

    /// <summary>With auth on: the admin user the helper's own writes and queries go as.</summary>
    public InfluxAdmin? Admin { get; }

    /// <summary>The HTTP API, e.g. http://127.0.0.1:41234/ (auth only when started with an admin).</summary>
    public Uri HttpUrl => new($"http://127.0.0.1:{HttpPort}/");
    public int HttpPort { get; }
    public string Database { get; }
    public string Directory { get; }
    /// <summary>influxd's log so far, for failure messages.</summary>
    public string Log => _process.Output;

    /// <summary>
    /// Starts influxd and creates <paramref name="database"/>. Skips the test when influxd is missing,
    /// fails under CI=true. With <paramref name="admin"/>, HTTP auth is on (<c>auth-enabled = true</c>)
    /// and that admin is created first, as an operator does; without, anyone may write.
    /// </summary>
    public static async Task<InfluxDbServer> StartAsync(string database = "posturesense", InfluxAdmin? admin = null,
        CancellationToken cancellationToken = default)
    {
        var influxd = ServerProcess.Require("influxd", InstallHint);
        var directory = System.IO.Directory.CreateTempSubdirectory("posturesense-influxdb-").FullName;
        try
        {
            var configPath = Path.Combine(directory, "influxdb.conf");
            return await ServerProcess.StartOnFreePortsAsync(async () =>
            {
                var (rpcPort, httpPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
                await File.WriteAllTextAsync(configPath, Config(directory, rpcPort, httpPort, auth: admin is not null), cancellationToken);
                var process = new ServerProcess(influxd, ["run", "-config", configPath]);
                return (new InfluxDbServer(directory, httpPort, database, process, admin), process);
            }, async server =>
            {
                await server.RunAsync(cancellationToken);
                // With auth on, InfluxDB takes this one statement without credentials: the first admin.
                if (admin is not null)
                    await server.QueryAsync($"CREATE USER \"{admin.User}\" WITH PASSWORD '{admin.Password}' WITH ALL PRIVILEGES", cancellationToken);
                await server.QueryAsync($"CREATE DATABASE \"{database}\"", cancellationToken);
            }, server => server.DisposeProcessAsync());
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>Stops influxd (SIGTERM, then kill) as in an outage; the data stays for <see cref="RestartAsync"/>.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Starts influxd again on the same ports and data directory.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await _process.StopAsync();
        await RunAsync(cancellationToken);
    }

    /// <summary>Writes line protocol to <see cref="Database"/>; throws with the server's message unless 204.</summary>
    public async Task WriteAsync(string lineProtocol, string precision = "ms", CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(lineProtocol, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync($"write?db={Uri.EscapeDataString(Database)}&precision={precision}", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
            throw new InvalidOperationException($"write failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>With auth on: a user with <paramref name="privilege"/> (READ, WRITE or ALL) on <see cref="Database"/>.</summary>
    public async Task CreateUserAsync(string user, string password, string privilege = "ALL", CancellationToken cancellationToken = default)
    {
        (await QueryAsync($"CREATE USER \"{user}\" WITH PASSWORD '{password}'", cancellationToken)).Dispose();
        (await QueryAsync($"GRANT {privilege} ON \"{Database}\" TO \"{user}\"", cancellationToken)).Dispose();
    }

    /// <summary>Runs InfluxQL against <see cref="Database"/> (POST, so statements that write work too); returns the JSON answer.</summary>
    public async Task<JsonDocument> QueryAsync(string influxQl, CancellationToken cancellationToken = default)
    {
        using var form = new FormUrlEncodedContent([new("q", influxQl), new("db", Database), new("epoch", "ms")]);
        using var response = await _http.PostAsync("query", form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"query '{influxQl}' failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    async Task RunAsync(CancellationToken cancellationToken)
    {
        _process.Start();
        await _process.WaitUntilAsync(PingAsync, TimeSpan.FromSeconds(20), cancellationToken);
    }

    async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("ping", cancellationToken);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    static string Config(string directory, int rpcPort, int httpPort, bool auth) => $"""
        reporting-disabled = true
        bind-address = "127.0.0.1:{rpcPort}"

        [meta]
          dir = "{Path.Combine(directory, "meta")}"

        [data]
          dir = "{Path.Combine(directory, "data")}"
          wal-dir = "{Path.Combine(directory, "wal")}"
          query-log-enabled = false

        [http]
          bind-address = "127.0.0.1:{httpPort}"
          auth-enabled = {(auth ? "true" : "false")}
          log-enabled = false

        [monitor]
          store-enabled = false

        [continuous_queries]
          enabled = false

        [subscriber]
          enabled = false
        """;

    async ValueTask DisposeProcessAsync()
    {
        await _process.DisposeAsync();
        _http.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeProcessAsync();
        TryDelete(Directory);
    }

    static void TryDelete(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>InfluxDB's first admin, made when auth is on.</summary>
public sealed record InfluxAdmin(string User, string Password);
