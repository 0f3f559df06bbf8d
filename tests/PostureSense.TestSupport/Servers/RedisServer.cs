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
            // The free port can be taken by someone else before redis binds it: then try another.
            for (var attempt = 1; ; attempt++)
            {
                var port = ServerProcess.FreePort();
                var server = new RedisServer(directory, port, new ServerProcess(redis,
                    ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no"]));
                try
                {
                    server._process.Start();
                    await server._process.WaitUntilAsync(ct => ServerProcess.AcceptsAsync(port, ct), TimeSpan.FromSeconds(10), cancellationToken);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3 && server.Log.Contains("in use", StringComparison.OrdinalIgnoreCase))
                {
                    await server._process.DisposeAsync();
                }
                catch
                {
                    await server._process.DisposeAsync();
                    throw;
                }
            }
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
