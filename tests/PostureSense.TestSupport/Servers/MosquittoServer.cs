using System.Diagnostics;

namespace PostureSense.TestSupport.Servers;

/// <summary>
/// A real mosquitto broker on a free loopback port, run from a temporary directory that holds its
/// configuration, password file, ACL and persistence. Stop and restart keep the port and the data,
/// so a test can take the broker away and bring it back.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    public const string InstallHint = "apt-get install mosquitto";

    /// <summary>deploy/mosquitto/mosquitto.conf as shipped, copied beside the tests with its acl.</summary>
    public static string ShippedConfig => Path.Combine(AppContext.BaseDirectory, "deploy", "mosquitto", "mosquitto.conf");

    readonly ServerProcess _process;

    MosquittoServer(string directory, int port, int tlsPort, ServerProcess process)
    {
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        _process = process;
    }

    public string Host => "127.0.0.1";
    /// <summary>The config's (first) listener, moved to a free loopback port.</summary>
    public int Port { get; }
    /// <summary>
    /// With a config of several listeners and <see cref="BrokerTlsFiles"/> given: the TLS listener
    /// (8883 in the config), on a free loopback port; 0 otherwise.
    /// </summary>
    public int TlsPort { get; }
    /// <summary>The temporary directory with mosquitto.conf, passwd, acl and the persistence file.</summary>
    public string Directory { get; }
    /// <summary>The broker's log so far (everything goes to stdout), for failure messages.</summary>
    public string Log => _process.Output;

    /// <summary>
    /// Starts mosquitto with <paramref name="configFile"/> (default: the shipped config) rewritten to listen
    /// on a free loopback port and keep everything in a temp directory. <paramref name="users"/> are written
    /// to the password file with mosquitto_passwd; an <c>acl_file</c> is copied from beside the config.
    /// Skips the test when mosquitto is missing, fails under CI=true. A config with a plain and a TLS
    /// listener (the shipped one) keeps the TLS listener only with <paramref name="tls"/>, whose files
    /// replace the config's certfile, keyfile and cafile.
    /// </summary>
    public static async Task<MosquittoServer> StartAsync(
        IReadOnlyDictionary<string, string>? users = null, string? configFile = null, BrokerTlsFiles? tls = null,
        CancellationToken cancellationToken = default)
    {
        var mosquitto = ServerProcess.Require("mosquitto", InstallHint);
        configFile ??= ShippedConfig;
        var directory = System.IO.Directory.CreateTempSubdirectory("posturesense-mosquitto-").FullName;
        try
        {
            if (users is { Count: > 0 }) await CreatePasswordFileAsync(Path.Combine(directory, "passwd"), users, cancellationToken);
            var configPath = Path.Combine(directory, "mosquitto.conf");
            var shipped = File.ReadAllLines(configFile);
            return await ServerProcess.StartOnFreePortsAsync(async () =>
            {
                var port = ServerProcess.FreePort();
                var tlsPort = tls is null ? 0 : ServerProcess.FreePort();
                var (lines, tlsKept) = Rewrite(shipped, Path.GetDirectoryName(Path.GetFullPath(configFile))!, directory, port, tlsPort, tls);
                await File.WriteAllLinesAsync(configPath, lines, cancellationToken);
                var process = new ServerProcess(mosquitto, ["-c", configPath]);
                return (new MosquittoServer(directory, port, tlsKept ? tlsPort : 0, process), process);
            }, server => server.RunAsync(cancellationToken));
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>Stops the broker (SIGTERM, so it writes its persistence file) as in an outage.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Starts it again on the same port with the same data: persistent sessions and retained messages survive.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await _process.StopAsync();
        await RunAsync(cancellationToken);
    }

    async Task RunAsync(CancellationToken cancellationToken)
    {
        _process.Start();
        await _process.WaitUntilAsync(ct => ServerProcess.AcceptsAsync(Port, ct), TimeSpan.FromSeconds(10), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        TryDelete(Directory);
    }

    static readonly HashSet<string> TlsKeys = ["certfile", "keyfile", "cafile", "capath", "require_certificate", "tls_version",
        "use_identity_as_username", "use_subject_as_username", "crlfile", "ciphers", "ciphers_tls1.3"];

    /// <summary>
    /// The config with the listener moved to loopback:<paramref name="port"/>, and persistence, password
    /// file and ACL moved into <paramref name="directory"/>. Everything else stays as shipped. In a
    /// config with several listeners, the one on 8883 is the TLS one: moved to <paramref name="tlsPort"/>
    /// with the test's certificates, or left out with its TLS settings when there are none.
    /// </summary>
    static (List<string> Lines, bool TlsKept) Rewrite(IReadOnlyList<string> lines, string configDirectory, string directory, int port,
        int tlsPort, BrokerTlsFiles? tls)
    {
        static (string Key, string Value) Parse(string line)
        {
            var words = line.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            return (words.Length > 0 && !words[0].StartsWith('#') ? words[0] : "", words.Length > 1 ? words[1].Trim() : "");
        }
        var several = lines.Count(l => Parse(l).Key == "listener") > 1;
        var result = new List<string>();
        var inTlsListener = false;
        var tlsKept = false;
        foreach (var line in lines)
        {
            var (key, value) = Parse(line);
            if (several && key == "listener")
                inTlsListener = value.Split(' ')[0] == "8883";
            if (several && inTlsListener && (key == "listener" || TlsKeys.Contains(key)))
            {
                if (tls is null) continue;
                tlsKept = true;
                result.Add(key switch
                {
                    "listener" => $"listener {tlsPort} 127.0.0.1",
                    "certfile" => $"certfile {tls.CertFile}",
                    "keyfile" => $"keyfile {tls.KeyFile}",
                    "cafile" => $"cafile {tls.CaFile}",
                    _ => line,
                });
                continue;
            }
            switch (key)
            {
                case "listener":
                    result.Add($"listener {port} 127.0.0.1");
                    break;
                case "persistence_location":
                    result.Add($"persistence_location {directory}/");
                    break;
                case "password_file":
                    result.Add($"password_file {Path.Combine(directory, "passwd")}");
                    break;
                case "acl_file":
                    var acl = Path.Combine(directory, "acl");
                    File.Copy(Path.Combine(configDirectory, Path.GetFileName(value)), acl, overwrite: true);
                    result.Add($"acl_file {acl}");
                    break;
                case "pid_file" or "user" or "log_dest":
                    break; // replaced below: no pid file, output to the test's log, no privilege drop
                default:
                    result.Add(line);
                    break;
            }
        }
        // Started as root, mosquitto would switch to the 'mosquitto' user, which cannot read the temp directory.
        result.Add($"user {Environment.UserName}");
        result.Add("log_dest stdout");
        return (result, tlsKept);
    }

    static async Task CreatePasswordFileAsync(string path, IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken)
    {
        var tool = ServerProcess.Require("mosquitto_passwd", InstallHint);
        var first = true;
        foreach (var (user, password) in users)
        {
            // -b takes the password from the command line: fine for throwaway test credentials.
            string[] args = first ? ["-c", "-b", path, user, password] : ["-b", path, user, password];
            first = false;
            var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args) info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.WaitForExitAsync(cts.Token);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"mosquitto_passwd failed for '{user}' ({process.ExitCode}): {await stderr}");
        }
    }

    static void TryDelete(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The broker's TLS certificate and key, and the CA whose client certificates it accepts (PEM files).</summary>
public sealed record BrokerTlsFiles(string CertFile, string KeyFile, string CaFile);
