using System.Text.Json.Nodes;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Process;

/// <summary>
/// The simulated agent program learning the wearer's walking pitch, keeping it over a restart, and
/// telling the server through its status when the board has moved further than it corrects.
/// </summary>
public sealed class StrapSlipProgramTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_board_put_back_too_far_forward_is_seen_from_the_first_walks_after_a_restart_and_reported_uncalibrated()
    {
        await using var broker = await TestBroker.StartAsync();
        string[] Args() => ["--device-id", "t-5", "--sim", "strap-slip-forward", "--speed", "200",
            "--data-dir", _dir.Path, "--mqtt", $"mqtt://127.0.0.1:{broker.Port}"];
        var file = CalibrationFile.PathFor(_dir.Path, DeviceId.Parse("t-5"));

        await using (var first = AgentProcess.Start(Args()))
        {
            await Eventually.True(() => first.Output.Contains("Walking pitch learnt", StringComparison.Ordinal), () => $"the walking pitch learnt\n{first.Output}", seconds: 90);
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken))!;
        var walking = saved["walkingPitchDeg"]!.GetValue<double>();
        Assert.InRange(walking, -4, 8);
        Assert.Contains(broker.On("t-5", Topics.Status), m => m.Payload.Contains("\"calibrated\":true", StringComparison.Ordinal));

        // As if the board had been put back on 8° further forward than when the walks were learnt:
        // the same walks now read 8° over the saved walking pitch.
        saved["walkingPitchDeg"] = walking - 8;
        await File.WriteAllTextAsync(file, saved.ToJsonString(), TestContext.Current.CancellationToken);

        await using var second = AgentProcess.Start(Args());
        await Eventually.True(() => broker.On("t-5", Topics.Status).Any(m => m.Payload.Contains("\"calibrated\":false", StringComparison.Ordinal)),
            () => $"a status saying the device needs calibrating\n{second.Output}", seconds: 90);

        Assert.Contains(FormattableString.Invariant($"walking pitch {walking - 8:0.0}°"), second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Walking pitch learnt", second.Output, StringComparison.Ordinal);
        Assert.Contains("please calibrate again", second.Output, StringComparison.Ordinal);
        // Judged on the first three walks of the day, well before the scenario's own slip after lunch.
        Assert.Matches(@"The last 3 walks read \+[0-9.]+°, \+[0-9.]+°, \+[0-9.]+° from the walking pitch", second.Output);
    }
}
