using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Process;

/// <summary>The agent programs as an operator starts and stops them.</summary>
public sealed class AgentProgramTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sigterm_sends_the_outbox_says_offline_and_exits_0()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = AgentProcess.Start(["--device-id", "t-1", "--sim", "upright-hour", "--speed", "10",
            "--data-dir", _dir.Path, "--mqtt", $"mqtt://127.0.0.1:{broker.Port}"]);
        await Eventually.True(() => broker.On("t-1", Topics.Telemetry).Any(), () => $"telemetry\n{agent.Output}", seconds: 60);

        var exitCode = await agent.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{agent.Output}");
        Assert.Contains("Agent t-1 stopped", agent.Output);
        await Eventually.True(() => broker.On("t-1", Topics.Status).Any(m => m.Payload.Contains("\"online\":false", StringComparison.Ordinal)),
            () => $"the offline status\n{agent.Output}");
    }

    [Fact]
    public async Task The_pairing_code_is_made_once_shown_on_request_and_logged_at_start()
    {
        await using var first = AgentProcess.Start(["--device-id", "t-3", "--data-dir", _dir.Path, "--show-pairing-code"]);
        Assert.Equal(0, await first.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var code = first.Output.Trim();
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", code);

        // The same code on every later start, shown by the Pi's program too, and logged when the agent runs.
        await using var again = AgentProcess.Start(["--device-id", "t-3", "--data-dir", _dir.Path, "--show-pairing-code"], AgentProcess.OnThePi);
        Assert.Equal(0, await again.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(code, again.Output.Trim());

        await using var broker = await TestBroker.StartAsync();
        await using var running = AgentProcess.Start(["--device-id", "t-3", "--sim", "upright-hour", "--speed", "10",
            "--data-dir", _dir.Path, "--mqtt", $"mqtt://127.0.0.1:{broker.Port}"]);
        await Eventually.True(() => running.Output.Contains($"Pairing code of t-3: {code}", StringComparison.Ordinal), () => $"the code in the log\n{running.Output}", seconds: 60);
    }

    [Fact]
    public async Task The_pi_agent_without_its_i2c_bus_exits_1_naming_the_bus()
    {
        await using var agent = AgentProcess.Start(["--device-id", "t-2", "--i2c-bus", "250", "--data-dir", _dir.Path], AgentProcess.OnThePi);

        var exitCode = await agent.ExitCodeAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{agent.Output}");
        Assert.Contains("PostureSense.Agent: cannot open I2C bus 250 (/dev/i2c-250)", agent.Output);
        Assert.DoesNotContain("   at ", agent.Output); // one line, no stack trace
    }
}
