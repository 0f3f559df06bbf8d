using System.Text;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Process;

/// <summary>The simulated agent program started on a clock 10 h behind, which network time sets after a while.</summary>
public sealed class WrongClockProgramTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Its_frames_wait_for_network_time_and_then_go_out_in_the_hours_they_were_lived()
    {
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        await using var broker = await TestBroker.StartAsync();
        await using var agent = AgentProcess.Start(["--device-id", "t-4", "--sim", "upright-hour", "--speed", "10",
            "--sim-start", start.ToString("O"), "--sim-clock-offset", "-36000", "--sim-clock-sync-after", "60",
            "--data-dir", _dir.Path, "--mqtt", $"mqtt://127.0.0.1:{broker.Port}"]);

        await Eventually.True(() => agent.Output.Contains("The system clock is synchronized", StringComparison.Ordinal)
            && broker.On("t-4", Topics.Telemetry).Any(), () => $"telemetry after the clock was set\n{agent.Output}", seconds: 60);

        Assert.Contains("The system clock is not synchronized", agent.Output);
        var frames = broker.On("t-4", Topics.Telemetry)
            .SelectMany(m => WireFormat.ParseTelemetry(Encoding.UTF8.GetBytes(m.Payload), DateTimeOffset.UtcNow).Value!.Batch.Frames).ToList();
        // Made from the start, while the clock read 10 h earlier, and sent on true time.
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(frames[0].Ts), start, start.AddSeconds(30));
    }
}
