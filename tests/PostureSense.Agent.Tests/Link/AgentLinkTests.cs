using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Link;

/// <summary>The agent against a real MQTT broker over TCP, its posture pipeline on a fake clock.</summary>
public sealed class AgentLinkTests : IAsyncLifetime
{
    const string Device = "desk-7";
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    readonly RecordingMotor _motor;
    readonly ConcurrentQueue<TelemetryBatch> _published = new();
    readonly ConcurrentQueue<CommandAck> _acks = new();
    TestBroker _broker = null!;
    PostureAgent _agent = null!;
    ClockPump _pump = null!;

    public AgentLinkTests() => _motor = new RecordingMotor(_clock);

    public async ValueTask InitializeAsync()
    {
        _broker = await TestBroker.StartAsync();
        _agent = NewAgent(_broker.Port, new SettlingWearer(3, 0));
        _agent.BatchPublished += _published.Enqueue;
        _agent.AckSent += _acks.Enqueue;
        await _agent.StartAsync(TestContext.Current.CancellationToken);
        _pump = new ClockPump(_clock);
        await Eventually.True(() => _agent.IsConnected && _agent.Calibrated, "the agent to connect and calibrate");
    }

    PostureAgent NewAgent(int port, IWearerModel wearer) => new(
        new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse(Device), Broker = new MqttBrokerAddress("127.0.0.1", port) },
        new SimulatedMpu6050(wearer, _clock), _motor, _clock);

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _pump.DisposeAsync();
        await _broker.DisposeAsync();
    }

    Task SendCommandAsync(string json) => _broker.PublishAsync(Topics.For(DeviceId.Parse(Device), Topics.Command), json);

    string Command(string id, string type, string extra = "") =>
        $$"""{"v":1,"id":"{{id}}","type":"{{type}}","ts":{{_clock.GetUtcNow().ToUnixTimeMilliseconds()}}{{extra}}}""";

    IEnumerable<CommandAck> AcksOnWire() =>
        _broker.On(Device, Topics.Ack).Select(m => WireFormat.ParseAck(System.Text.Encoding.UTF8.GetBytes(m.Payload), _clock.GetUtcNow()).Value!);

    [Fact]
    public async Task Telemetry_arrives_every_five_seconds_in_numbered_batches()
    {
        await Eventually.True(() => _broker.On(Device, Topics.Telemetry).Count() >= 3, "three telemetry batches");

        var batches = _broker.On(Device, Topics.Telemetry)
            .Select(m => WireFormat.ParseTelemetry(System.Text.Encoding.UTF8.GetBytes(m.Payload), _clock.GetUtcNow()))
            .ToList();
        Assert.All(batches, b => Assert.True(b.Ok, b.Error));
        Assert.Equal([1L, 2L, 3L], batches.Take(3).Select(b => b.Value!.Batch.Seq));
        Assert.All(batches.Skip(1).Take(2), b => Assert.InRange(b.Value!.Batch.Frames.Count, 4, 6));
        var frames = batches.SelectMany(b => b.Value!.Batch.Frames).ToList();
        Assert.Equal(frames.OrderBy(f => f.Ts).Select(f => f.Ts), frames.Select(f => f.Ts));
        Assert.InRange(frames[^1].Pitch, 2, 4);
        await Eventually.True(() => _published.Count >= 3, "BatchPublished for each");
    }

    [Fact]
    public async Task Connecting_publishes_a_retained_online_status()
    {
        await Eventually.True(() => _broker.On(Device, Topics.Status).Any(m => m.Payload.Contains("\"calibrated\":true")), "a calibrated status");

        var status = WireFormat.ParseStatus(System.Text.Encoding.UTF8.GetBytes(_broker.On(Device, Topics.Status).First().Payload), _clock.GetUtcNow()).Value!;
        Assert.True(status.Online);
        Assert.Equal("1.0.0", status.Fw);
    }

    [Fact]
    public async Task A_stretch_prompt_buzzes_its_pattern_and_is_acknowledged_received()
    {
        await SendCommandAsync(Command("c-1", "stretch", ""","reason":"hunch","exercise":"cat-cow","pattern":"double" """));

        await Eventually.True(() => AcksOnWire().Any(a => a.Id == "c-1"), "the ack of c-1");
        Assert.Equal(CommandAck.Statuses.Received, AcksOnWire().Single(a => a.Id == "c-1").Status);
        await Eventually.True(() => _motor.Vibrations.Count > 0, "the motor to play");
        Assert.Equal(VibrationPattern.Double, _motor.Vibrations.Single().Pattern);
        Assert.Contains(_acks, a => a.Id == "c-1");
    }

    [Fact]
    public async Task Calibrate_is_acknowledged_done()
    {
        await SendCommandAsync(Command("c-2", "calibrate"));

        await Eventually.True(() => AcksOnWire().Any(a => a.Id == "c-2"), "the ack of c-2");
        Assert.Equal(CommandAck.Statuses.Done, AcksOnWire().Single(a => a.Id == "c-2").Status);
        Assert.Empty(_motor.Vibrations);
    }

    [Fact]
    public async Task A_malformed_command_is_ignored_and_the_next_one_still_works()
    {
        await SendCommandAsync("{not json");
        await SendCommandAsync(Command("c-3", "vibrate", ""","pattern":"sideways" """));
        await SendCommandAsync(Command("c-4", "vibrate", ""","pattern":"long" """));

        await Eventually.True(() => AcksOnWire().Any(a => a.Id == "c-4"), "the ack of c-4");
        // The ack says "received" before the motor starts: wait for the buzz itself.
        await Eventually.True(() => _motor.Vibrations.Count > 0, "the buzz of c-4");
        Assert.DoesNotContain(AcksOnWire(), a => a.Id == "c-3");
        Assert.Equal([VibrationPattern.Long], _motor.Vibrations.Select(v => v.Pattern));
        Assert.True(_agent.IsConnected);
    }

    [Theory]
    [InlineData(9_300_000_000_000)] // beyond what InfluxDB can store
    [InlineData(long.MaxValue)] // beyond what a date can hold
    [InlineData(86_400_000)] // a server whose clock is not set
    public async Task A_command_with_a_timestamp_outside_the_window_is_ignored_and_the_next_one_still_works(long ts)
    {
        await SendCommandAsync($$"""{"v":1,"id":"c-bad","type":"vibrate","ts":{{ts}},"pattern":"short"}""");
        await SendCommandAsync(Command("c-good", "vibrate", ""","pattern":"long" """));

        await Eventually.True(() => AcksOnWire().Any(a => a.Id == "c-good"), "the ack of c-good");
        // The ack says "received" before the motor starts: wait for the buzz itself.
        await Eventually.True(() => _motor.Vibrations.Count > 0, "the buzz of c-good");
        Assert.DoesNotContain(AcksOnWire(), a => a.Id == "c-bad");
        Assert.Equal([VibrationPattern.Long], _motor.Vibrations.Select(v => v.Pattern));
    }

    [Fact]
    public async Task A_command_the_broker_delivers_again_is_acked_again_but_buzzes_once()
    {
        var command = Command("c-twice", "vibrate", ""","pattern":"double" """);
        await SendCommandAsync(command);
        await Eventually.True(() => _motor.Vibrations.Count > 0, "the first buzz");
        await SendCommandAsync(command);

        await Eventually.True(() => AcksOnWire().Count(a => a.Id == "c-twice") == 2, "the second ack");
        await SendCommandAsync(Command("c-next", "vibrate", ""","pattern":"long" """));
        await Eventually.True(() => _motor.Vibrations.Count > 1, "the next command's buzz");
        Assert.Equal([VibrationPattern.Double, VibrationPattern.Long], _motor.Vibrations.Select(v => v.Pattern));
    }

    [Fact]
    public async Task A_stale_prompt_is_dismissed_without_a_buzz()
    {
        var old = _clock.GetUtcNow().AddMinutes(-10).ToUnixTimeMilliseconds();
        await SendCommandAsync($$"""{"v":1,"id":"c-5","type":"vibrate","ts":{{old}},"pattern":"short"}""");

        await Eventually.True(() => AcksOnWire().Any(a => a.Id == "c-5"), "the ack of c-5");
        Assert.Equal(CommandAck.Statuses.Dismissed, AcksOnWire().Single(a => a.Id == "c-5").Status);
        Assert.Empty(_motor.Vibrations);
    }

    [Fact]
    public async Task Losing_the_connection_publishes_the_offline_will_and_the_agent_comes_back()
    {
        // Held off until the will is out: a reconnect that beats the broker's clean-up of the old
        // connection takes its session over, and the broker then sends no will.
        _broker.Refuse(Device);
        await _broker.Server.DisconnectClientAsync(Device, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction });

        // The will says offline; the agent reconnects and the last word (the retained state) is online.
        bool Offline(Seen m) => JsonEquals(m.Payload, """{"v":1,"online":false}""");
        await Eventually.True(() => _broker.On(Device, Topics.Status).Any(Offline), "the will");
        _broker.Admit(Device);
        await Eventually.True(() => _broker.On(Device, Topics.Status).SkipWhile(m => !Offline(m)).Any(m => m.Payload.Contains("\"online\":true")),
            "online again after the will");
        await Eventually.True(() => _agent.IsConnected, "the agent to reconnect");
        await Eventually.True(() => _broker.On(Device, Topics.Status).Last().Payload.Contains("\"online\":true"), "online to be the last word");
    }

    [Fact]
    public async Task Stopping_says_offline_and_sends_what_was_left()
    {
        await Eventually.True(() => !_published.IsEmpty, "a first batch");
        await _agent.StopAsync();

        var last = _broker.On(Device, Topics.Status).Last();
        Assert.True(JsonEquals(last.Payload, """{"v":1,"online":false}"""), last.Payload);
        Assert.Equal(0, _agent.PendingBatches);
    }

    static bool JsonEquals(string a, string b) =>
        JsonSerializer.Serialize(JsonDocument.Parse(a)) == JsonSerializer.Serialize(JsonDocument.Parse(b));
}
