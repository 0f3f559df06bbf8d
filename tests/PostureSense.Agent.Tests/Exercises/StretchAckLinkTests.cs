using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Exercises;

/// <summary>The running agent, over a real broker: a stretch prompt is answered received, then done with the count.</summary>
public sealed class StretchAckLinkTests : IAsyncLifetime
{
    const string Device = "desk-9";
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    TestBroker _broker = null!;
    PostureAgent _agent = null!;
    ClockPump _pump = null!;

    // Seated for 20 s, prompted; down on all fours for 8 Cat-Cow cycles; seated again.
    static readonly Scenario Wearer = Scenario.Parse("""
        { "name": "t", "description": "t", "seed": 2, "segments": [
            { "activity": "sit", "seconds": 20, "pitch": 3 },
            { "activity": "cat-cow", "seconds": 60, "reps": 8, "periodSeconds": 5 },
            { "activity": "sit", "minutes": 10, "pitch": 3, "rampSeconds": 6 } ],
          "expected": [] }
        """);

    public async ValueTask InitializeAsync()
    {
        _broker = await TestBroker.StartAsync();
        _agent = new PostureAgent(new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse(Device), Broker = new MqttBrokerAddress("127.0.0.1", _broker.Port) },
            SimulatedMpu6050.ForScenario(Wearer, _clock), new RecordingMotor(_clock), _clock);
        await _agent.StartAsync(TestContext.Current.CancellationToken);
        _pump = new ClockPump(_clock);
        await Eventually.True(() => _agent.IsConnected && _agent.Calibrated, "the agent to connect and calibrate");
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _pump.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_cat_cow_prompt_is_acked_received_and_then_done_with_its_reps()
    {
        await Eventually.True(() => _clock.GetUtcNow() >= new DateTimeOffset(2026, 1, 5, 9, 0, 18, TimeSpan.Zero), "the wearer to sit a while");
        await _broker.PublishAsync(Topics.For(DeviceId.Parse(Device), Topics.Command),
            $$"""{"v":1,"id":"c-42","type":"stretch","ts":{{_clock.GetUtcNow().ToUnixTimeMilliseconds()}},"reason":"hunch","exercise":"cat-cow","pattern":"double"}""");

        CommandAck[] Acks() => _broker.On(Device, Topics.Ack).Select(m => WireFormat.ParseAck(System.Text.Encoding.UTF8.GetBytes(m.Payload), _clock.GetUtcNow()))
            .Select(p => p.Ok ? p.Value! : throw new InvalidOperationException(p.Error)).ToArray();
        await Eventually.True(() => Acks().Any(a => a.Status == "done"), "the stretch to be acked done", seconds: 60);

        var acks = Acks();
        Assert.Equal(["received", "done"], acks.Select(a => a.Status));
        Assert.Equal(("c-42", "cat-cow", 8), (acks[1].Id, acks[1].Exercise, acks[1].Reps));
    }
}
