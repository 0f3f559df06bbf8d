using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Sensors;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Sensors;

public class AgentSensorHealthTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    static AgentOptions Options(string id) => new() { DeviceId = PostureSense.Core.Contract.DeviceId.Parse(id), Broker = new MqttBrokerAddress("127.0.0.1", TestBroker.FreePort()) };

    [Fact]
    public async Task The_agent_reports_an_unplugged_sensor_and_resumes_when_it_is_back()
    {
        var chip = new SimulatedMpu6050(new ConstantWearer(10), _clock);
        await using var agent = new PostureAgent(Options("desk-health"), chip, new RecordingMotor(_clock), _clock);
        var changes = new List<SensorHealth>();
        var frames = new List<PostureFrame>();
        agent.SensorHealthChanged += h => { lock (changes) changes.Add(h); };
        agent.FrameProduced += f => { lock (frames) frames.Add(f); };

        await agent.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(SensorHealth.Ok, agent.SensorHealth);
        await using (new ClockPump(_clock))
        {
            await Eventually.True(() => Count(frames) >= 3, "frames");
            chip.InjectFault(new SensorFault.Unplugged());
            await Eventually.True(() => agent.SensorHealth == SensorHealth.BusError, "bus-error");
            var unpluggedUntil = _clock.GetUtcNow();
            chip.ClearFault();
            await Eventually.True(() => agent.SensorHealth == SensorHealth.Ok, "ok again");
            await Eventually.True(() => Last(frames) > unpluggedUntil.ToUnixTimeMilliseconds() + 2000, "frames again");
        }

        lock (changes) Assert.Equal([SensorHealth.BusError, SensorHealth.Ok], changes);
    }

    [Fact]
    public async Task The_wrong_chip_at_start_fails_the_start_clearly()
    {
        var chip = new SimulatedMpu6050(new ConstantWearer(0), _clock);
        chip.InjectFault(new SensorFault.WrongChip(0x70));
        await using var agent = new PostureAgent(Options("desk-wrong"), chip, new RecordingMotor(_clock), _clock);

        var error = await Assert.ThrowsAsync<WrongChipException>(() => agent.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("WHO_AM_I read 0x70", error.Message);
    }

    static int Count(List<PostureFrame> frames) { lock (frames) return frames.Count; }
    static long Last(List<PostureFrame> frames) { lock (frames) return frames.Count == 0 ? 0 : frames[^1].Ts; }
}
