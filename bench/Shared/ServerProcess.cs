using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PostureSense.Bench;

/// <summary>The PostureSense server as a child process, with its output kept for error messages.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    const int SigTerm = 15;
    readonly Process _process;
    readonly Queue<string> _tail = new();
    readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly StreamWriter? _log;

    ServerProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;
    public Uri? HttpUrl => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    /// <summary>The last lines the server printed.</summary>
    public string Tail { get { lock (_tail) return string.Join(Environment.NewLine, _tail); } }

    /// <summary>Starts the server on free loopback HTTP ports; <paramref name="more"/> are further options.</summary>
    public static ServerProcess Start(string dll, string mqtt, string store, params IEnumerable<string> more) =>
        Launch(Environment.CurrentDirectory, log: null, dll, mqtt, store, more);

    /// <summary>
    /// Starts the server in <paramref name="directory"/>, where it keeps its app database and keys:
    /// several servers on one machine each need their own. All it prints goes to <c>server.log</c>
    /// there, so a run kept afterwards can be read for what went wrong.
    /// </summary>
    public static ServerProcess StartIn(string directory, string dll, string mqtt, string store, params IEnumerable<string> more) =>
        Launch(directory, new StreamWriter(Path.Combine(directory, "server.log")) { AutoFlush = true }, dll, mqtt, store, more);

    static ServerProcess Launch(string directory, StreamWriter? log, string dll, string mqtt, string store, IEnumerable<string> more)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in new[] { dll, "--mqtt", mqtt, "--store", store, "--http", "http://127.0.0.1:0", "--management", "http://127.0.0.1:0" }.Concat(more))
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, log);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) => server._ready.TrySetException(
            new InvalidOperationException($"the server exited with {process.ExitCode} before it was ready:{Environment.NewLine}{server.Tail}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the start-up line, which the server prints once it is subscribed (or gave up waiting).</summary>
    public async Task<Uri> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var url = await _ready.Task.WaitAsync(timeout, cancellationToken);
            // The server prints its line even when the broker was not reachable in time: a run then measures nothing.
            if (Tail.Contains("not reachable", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"the server could not reach the broker:{Environment.NewLine}{Tail}");
            return url;
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"the server did not start within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail}");
        }
    }

    /// <summary>User plus system CPU time so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Peak resident set size (VmHWM), in bytes; read it before the process exits.</summary>
    public long PeakRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        _process.Refresh();
        return _process.PeakWorkingSet64;
    }

    /// <summary>SIGTERM, so the server closes its MQTT session and flushes as in production; killed if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, SigTerm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
        if (_log is not null) await _log.DisposeAsync();
    }

    void OnLine(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _log?.WriteLine(line);
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
        if (Banner().Match(line) is { Success: true } m) _ready.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"^PostureSense server: dashboard (\S+),")]
    private static partial Regex Banner();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
