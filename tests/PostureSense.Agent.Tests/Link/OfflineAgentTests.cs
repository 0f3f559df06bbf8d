using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Device;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Link;

public class OfflineAgentTests
{
    [Fact]
    public async Task With_no_broker_the_agent_still_nudges_and_keeps_its_batches()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var motor = new RecordingMotor(clock);
        var nudges = new List<(DateTimeOffset At, double Pitch)>();
        var options = new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse("desk-8"), Broker = new MqttBrokerAddress("127.0.0.1", TestBroker.FreePort()) };
        await using var agent = new PostureAgent(options, new SimulatedMpu6050(new SettlingWearer(20, 0), clock), motor, clock);
        agent.Nudged += (at, pitch) => { lock (nudges) nudges.Add((at, pitch)); };

        await agent.StartAsync(TestContext.Current.CancellationToken);
        await using (new ClockPump(clock))
            await Eventually.True(() => motor.Vibrations.Count > 0 && agent.PendingBatches >= 6, "a nudge and 30 s of batches");

        Assert.False(agent.IsConnected);
        Assert.Equal(VibrationPattern.Short, motor.Vibrations[0].Pattern);
        var (at, pitch) = Assert.Single(nudges);
        Assert.InRange((at - clock.Start).TotalSeconds, 36, 39); // hunched from about 6 s, plus 30 s
        Assert.InRange(pitch, 19, 21);
    }
}
