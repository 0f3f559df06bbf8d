namespace PostureSense.TestSupport.Servers;

/// <summary>
/// A real Redis (redis-server) on a free loopback port, working in a temp directory and saving
/// nothing to disk (<c>--save ''</c>): what a cluster of server nodes meets through in a test.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string InstallHint = "apt-get install redis-server";

    readonly ServerProcess _process;

    RedisServer(string directory, int port, ServerProcess process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }
    public string Directory { get; }
    /// <summary>As <c>--cluster</c> takes it.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";
    /// <summary>redis-server's log so far, for failure messages.</summary>
    public string Log => _process.Output;

    /// <summary>Starts redis-server. Skips the test when it is missing, fails under CI=true.</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var redis = ServerProcess.Require("redis-server", InstallHint);
        var directory = System.IO.Directory.CreateTempSubdirectory("posturesense-redis-").FullName;
        try
        {
            return await ServerProcess.StartOnFreePortsAsync(() =>
            {
                var port = ServerProcess.FreePort();
                var process = new ServerProcess(redis,
                    ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no"]);
                return Task.FromResult((new RedisServer(directory, port, process), process));
            }, async server =>
            {
                server._process.Start();
                await server._process.WaitUntilAsync(ct => ServerProcess.AcceptsAsync(server.Port, ct), TimeSpan.FromSeconds(10), cancellationToken);
            });
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        TryDelete(Directory);
    }

    static void TryDelete(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
