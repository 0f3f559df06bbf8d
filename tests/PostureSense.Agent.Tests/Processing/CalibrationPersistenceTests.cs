using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Processing;

/// <summary>
/// The wearer calibrates once; after a restart the agent measures from that same upright,
/// even if they happen to be slouching when it comes back.
/// </summary>
public class CalibrationPersistenceTests
{
    // Board worn a little crooked: the saved calibration must carry the mounting, not just the gyro bias.
    static readonly SensorCharacteristics Crooked = new() { MountingPitchDeg = 8, MountingRollDeg = -3, Seed = 3 };

    [Fact]
    public async Task After_a_restart_the_agent_measures_from_the_saved_upright()
    {
        using var data = new TempDirectory();
        var first = await RunAsync(data.Path, new ConstantWearer(0, 0), TimeSpan.FromSeconds(8));
        Assert.True(first.Calibrated);
        Assert.True(File.Exists(CalibrationFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-3"))));

        // Restarted while slouched at 22°: had it calibrated again, this would read as 0°.
        var second = await RunAsync(data.Path, new ConstantWearer(22, 0), TimeSpan.FromSeconds(8));
        Assert.True(second.Calibrated);
        Assert.InRange(second.Frames[^1].Pitch, 20.5, 23.5);
    }

    [Fact]
    public async Task A_damaged_calibration_file_is_ignored_and_the_agent_calibrates_afresh()
    {
        using var data = new TempDirectory();
        await File.WriteAllTextAsync(CalibrationFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-3")), "{\"uprightUp\":[0,0", TestContext.Current.CancellationToken);

        var run = await RunAsync(data.Path, new ConstantWearer(22, 0), TimeSpan.FromSeconds(8));

        // Calibrated on the posture it found: that is now upright.
        Assert.True(run.Calibrated);
        Assert.InRange(run.Frames[^1].Pitch, -1.5, 1.5);
        Assert.NotNull(CalibrationFile.Load(CalibrationFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-3")), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }

    static async Task<(bool Calibrated, List<PostureFrame> Frames)> RunAsync(string dataDirectory, IWearerModel wearer, TimeSpan duration)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var options = new AgentOptions
        {
            DeviceId = PostureSense.Core.Contract.DeviceId.Parse("desk-3"),
            Broker = new MqttBrokerAddress("127.0.0.1", TestBroker.FreePort()),
            DataDirectory = dataDirectory,
        };
        var frames = new List<PostureFrame>();
        await using var agent = new PostureAgent(options, new SimulatedMpu6050(wearer, clock, Crooked), new RecordingMotor(clock), clock);
        agent.FrameProduced += f => { lock (frames) frames.Add(f); };
        await agent.StartAsync(TestContext.Current.CancellationToken);
        var frameCount = (int)duration.TotalSeconds - 1;
        await using (new ClockPump(clock))
            await Eventually.True(() => { lock (frames) return frames.Count >= frameCount; }, $"{frameCount} frames");
        await agent.StopAsync();
        lock (frames) return (agent.Calibrated, [.. frames]);
    }
}
