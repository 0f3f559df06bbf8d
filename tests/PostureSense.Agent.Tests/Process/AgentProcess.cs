using System.Diagnostics;
using System.Text;

namespace PostureSense.Agent.Tests.Process;

/// <summary>
/// PostureSense.Agent.dll (copied beside the tests by the project reference) run with
/// <c>dotnet</c> as a process of its own, its output kept for failure messages.
/// </summary>
sealed class AgentProcess : IAsyncDisposable
{
    readonly System.Diagnostics.Process _process;
    readonly StringBuilder _output = new();

    AgentProcess(System.Diagnostics.Process process) => _process = process;

    public static AgentProcess Start(IEnumerable<string> args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PostureSense.Agent.dll");
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
