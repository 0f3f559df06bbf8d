using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace PostureSense.TestSupport.Servers;

/// <summary>
/// A real server binary run as a child process: found on PATH or in the standard system
/// directories, its output kept for error messages, stopped with SIGTERM and then killed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    static readonly string[] SystemDirectories = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"];

    readonly string _executable;
    readonly IReadOnlyList<string> _arguments;
    readonly IReadOnlyDictionary<string, string> _environment;
    readonly StringBuilder _output = new();
    Process? _process;

    /// <param name="environment">Variables set for the process on top of this one's.</param>
    public ServerProcess(string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        _executable = executable;
        _arguments = arguments;
        _environment = environment ?? new Dictionary<string, string>();
    }

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The full path of <paramref name="name"/>, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The path of a required binary. Missing, it skips the calling test with <paramref name="installHint"/>,
    /// except under CI=true, where a missing server must not turn a red build green.
    /// </summary>
    public static string Require(string name, string installHint) =>
        Require(name, installHint, string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase));

    public static string Require(string name, string installHint, bool ci)
    {
        if (Find(name) is { } found) return found;
        var reason = $"{name} is not installed: {installHint}";
        if (ci)
            throw new InvalidOperationException($"{reason} (CI=true, so this is a failure, not a skip)");
        Assert.Skip(reason);
        return null!; // unreachable: Assert.Skip throws
    }

    /// <summary>
    /// Starts a server on ports picked with <see cref="FreePort"/>. Another process can take a port
    /// before the server binds it, which the server reports as "in use": then the server is made
    /// again on other ports, at most three times in all. Any other failure stops its process.
    /// </summary>
    /// <param name="create">Makes the server on freshly picked ports, with the process it runs in.</param>
    /// <param name="run">Starts it and waits until it is ready.</param>
    /// <param name="stop">Stops a server that did not start; default: its process.</param>
    public static async Task<T> StartOnFreePortsAsync<T>(Func<Task<(T Server, ServerProcess Process)>> create, Func<T, Task> run,
        Func<T, ValueTask>? stop = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (server, process) = await create();
            try
            {
                await run(server);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && process.Output.Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
                await (stop?.Invoke(server) ?? process.DisposeAsync());
            }
            catch
            {
                await (stop?.Invoke(server) ?? process.DisposeAsync());
                throw;
            }
        }
    }

    /// <summary>A loopback port free right now: bind port 0, read it, release it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Start()
    {
        if (!HasExited) throw new InvalidOperationException($"{Path.GetFileName(_executable)} is already running");
        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in _environment) info.Environment[name] = value;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose(); // the run before a restart
        _process = process;
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails fast with the output if the process dies.</summary>
    public async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var name = Path.GetFileName(_executable);
        while (true)
        {
            if (HasExited)
                throw new InvalidOperationException($"{name} exited with code {_process?.ExitCode} while starting:\n{Output}");
            try
            {
                if (await ready(cts.Token)) return;
                await Task.Delay(50, cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{name} was not ready after {timeout.TotalSeconds:0.#} s:\n{Output}");
            }
        }
    }

    /// <summary>True once something accepts TCP connections on the loopback port.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>SIGTERM so the server saves its state like on a normal shutdown; killed if it is not gone in time.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process is not { } process || process.HasExited) return;
        if (!OperatingSystem.IsWindows()) _ = Kill(process.Id, SigTerm);
        using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            using var killWait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(killWait.Token);
        }
    }

    /// <summary>SIGKILL: the process dies at whatever it was doing, as in a power cut or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process || process.HasExited) return;
        process.Kill(entireProcessTree: true);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process?.Dispose();
            _process = null;
        }
    }

    const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
