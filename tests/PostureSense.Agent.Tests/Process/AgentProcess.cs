using System.Diagnostics;
using System.Text;

namespace PostureSense.Agent.Tests.Process;

/// <summary>
/// An agent program (copied beside the tests by the project references), by default the simulated
/// one, run with <c>dotnet</c> as a process of its own, its output kept for failure messages.
/// </summary>
sealed class AgentProcess : IAsyncDisposable
{
    readonly System.Diagnostics.Process _process;
    readonly StringBuilder _output = new();

    AgentProcess(System.Diagnostics.Process process) => _process = process;

    public const string Simulated = "PostureSense.Agent.Simulated";
    public const string OnThePi = "PostureSense.Agent";

    public static AgentProcess Start(IEnumerable<string> args, string program = Simulated)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, program + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("the agent is not beside the tests", dll);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Only the command line counts: settings from the environment running the tests must not leak in.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("POSTURESENSE_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        var process = new System.Diagnostics.Process { StartInfo = info };
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits for the program to end by itself; its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd stops the service; its exit code once it ended.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        return await ExitCodeAsync(within);
    }

    /// <summary>SIGKILL: no goodbye, no flush; what was committed to the outbox is all that survives.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
