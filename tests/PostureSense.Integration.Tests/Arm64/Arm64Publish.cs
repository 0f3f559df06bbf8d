using System.Diagnostics;
using System.Text;

namespace PostureSense.Integration.Tests.Arm64;

/// <summary>
/// Both agent programs published for linux-arm64, self-contained (the Pi's trimmed, as it ships),
/// once per test run, into a temp directory, to run under qemu-aarch64-static with the Debian
/// arm64 cross libraries as the root of its loader (<c>-L /usr/aarch64-linux-gnu</c>). Missing
/// qemu or the libraries skips the tests, except under CI=true, where it fails them.
/// </summary>
public sealed class Arm64Publish : IAsyncLifetime
{
    public const string CrossRoot = "/usr/aarch64-linux-gnu";
    public const string InstallHint = "apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross";
    static readonly string[] CrossLibraries = ["lib/ld-linux-aarch64.so.1", "lib/libc.so.6", "lib/libstdc++.so.6"];

    readonly string _root = Directory.CreateTempSubdirectory("posturesense-arm64-").FullName;
    string? _missing;
    Exception? _publishFailed;

    public string Qemu { get; private set; } = "";
    /// <summary>The Pi agent's publish directory.</summary>
    public string OnThePi => Path.Combine(_root, "pi");
    /// <summary>The simulated agent's publish directory.</summary>
    public string Simulated => Path.Combine(_root, "simulated");
    /// <summary>What dotnet publish printed for the Pi agent.</summary>
    public string PiPublishLog { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Qemu = ServerProcess.Find("qemu-aarch64-static") ?? "";
        var missing = CrossLibraries.Where(l => !File.Exists(Path.Combine(CrossRoot, l))).ToList();
        if (Qemu.Length == 0) _missing = "qemu-aarch64-static is not installed";
        else if (missing.Count > 0) _missing = $"the arm64 cross libraries are missing ({string.Join(", ", missing.Select(l => Path.Combine(CrossRoot, l)))})";
        if (_missing is not null) return;
        try
        {
            var repository = RepositoryRoot();
            PiPublishLog = await PublishAsync(Path.Combine(repository, "src", "PostureSense.Agent"), OnThePi);
            await PublishAsync(Path.Combine(repository, "src", "PostureSense.Agent.Simulated"), Simulated);
        }
        catch (Exception ex)
        {
            _publishFailed = ex;
        }
    }

    /// <summary>Skips (or, under CI=true, fails) the calling test when qemu cannot run; fails it when publishing failed.</summary>
    public void Require()
    {
        if (_missing is { } reason)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{reason}: {InstallHint} (CI=true, so this is a failure, not a skip)");
            Assert.Skip($"{reason}: {InstallHint}");
        }
        if (_publishFailed is not null) throw new InvalidOperationException("publishing the agents for linux-arm64 failed", _publishFailed);
    }

    /// <summary>Starts a published program under qemu.</summary>
    public QemuProcess Start(string directory, string program, IEnumerable<string> args) =>
        QemuProcess.Start(Qemu, CrossRoot, Path.Combine(directory, program), args);

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    static async Task<string> PublishAsync(string project, string output)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", project, "-c", "Release", "-r", "linux-arm64", "--self-contained", "-o", output, "-nologo" })
            info.ArgumentList.Add(arg);
        // The test run's own MSBuild settings must not leak into this build.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("POSTURESENSE_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var log = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {Path.GetFileName(project)} exited {process.ExitCode}:\n{log}");
        return log;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PostureSense.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no PostureSense.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>An arm64 program run under qemu, its output kept for assertions and failure messages.</summary>
public sealed class QemuProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    QemuProcess(Process process) => _process = process;

    public static QemuProcess Start(string qemu, string crossRoot, string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(crossRoot);
        info.ArgumentList.Add(program);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("POSTURESENSE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        var process = new Process { StartInfo = info };
        var started = new QemuProcess(process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits for the program to end by itself; its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within);
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"still running after {within.TotalSeconds} s:\n{Output}"); }
        return _process.ExitCode;
    }

    /// <summary>SIGTERM (qemu hands it to the program), as systemd stops a service; its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        return await ExitCodeAsync(within);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
