using System.Text;
using MQTTnet;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Storage.History;

namespace PostureSense.Server.Tests.Ingestion;

/// <summary>Ingestion over real TCP: a real MQTTnet client publishing to the embedded broker.</summary>
public sealed class IngestionTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long Now = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(_dir.File("ingest.db"));

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_good_batch_is_stored_and_acknowledged_after_the_write()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        var frames = TestFrames.Run(Now - 60_000, 60, pitch: 12);

        var result = await device.PublishTelemetryAsync(frames);
        await _harness.WaitForProcessedAsync(1);

        Assert.True(result.IsSuccess);
        Assert.Equal(frames, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 60_000, Now, Ct));
        Assert.Equal(1, _harness.Server.Stats.Accepted(Topics.Telemetry));
        Assert.Equal(60, _harness.Server.Stats.FramesStored);
        Assert.Empty(_harness.Logs.Errors);
    }

    public static TheoryData<string, string, bool> BadMessages => new()
    {
        // case, expected reason, whether the reason is counted per frame (the message itself is accepted)
        { "malformed JSON", RejectionReasons.MalformedJson, false },
        { "unknown version", RejectionReasons.UnsupportedVersion, false },
        { "NaN pitch", RejectionReasons.MalformedJson, false },
        { "absurd angle", RejectionReasons.AbsurdAngle, true },
        { "timestamp far in the future", RejectionReasons.FutureTimestamp, true },
        { "oversized payload", RejectionReasons.Oversized, false },
        { "too many frames", RejectionReasons.InvalidBatch, false },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task Each_bad_message_is_rejected_with_its_reason_and_the_next_good_one_is_stored(string @case, string reason, bool perFrame)
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");

        await device.PublishAsync(Topics.Telemetry, BadPayload(@case));
        await _harness.WaitForProcessedAsync(1);
        var good = TestFrames.Run(Now - 10_000, 10, pitch: 8);
        await device.PublishTelemetryAsync(good);
        await _harness.WaitForProcessedAsync(2);

        var stats = _harness.Server.Stats;
        Assert.Equal(1, perFrame ? stats.RejectedFrames(reason) : stats.Rejected(reason));
        var stored = await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 10_000, Now, Ct);
        Assert.Equal(good, stored);
        Assert.Contains(stats.Snapshot().Recent, r => r.Reason == reason && r.Topic == Topics.For(DeviceId.Parse("desk-1"), Topics.Telemetry));
    }

    [Fact]
    public async Task A_bad_frame_costs_only_itself_the_rest_of_its_batch_is_stored()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        var frames = TestFrames.Run(Now - 3000, 3, pitch: 10);
        frames[1] = frames[1] with { Roll = -400 };

        await device.PublishTelemetryAsync(frames);
        await _harness.WaitForProcessedAsync(1);

        Assert.Equal([frames[0], frames[2]], await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 3000, Now, Ct));
        Assert.Equal(1, _harness.Server.Stats.RejectedFrames(RejectionReasons.AbsurdAngle));
        Assert.Equal(2, _harness.Server.Stats.FramesStored);
    }

    [Fact]
    public async Task A_device_publishing_under_another_id_is_refused_and_counted()
    {
        var impostor = await _harness.ConnectDeviceAsync("desk-2", deviceId: "desk-1");
        var honest = await _harness.ConnectDeviceAsync("desk-1");

        var refused = await impostor.PublishTelemetryAsync(TestFrames.Run(Now - 5000, 5, pitch: 40));
        await _harness.WaitForProcessedAsync(1);
        var good = TestFrames.Run(Now - 20_000, 5, pitch: 3);
        await honest.PublishTelemetryAsync(good);
        await _harness.WaitForProcessedAsync(2);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.Equal(1, _harness.Server.Stats.Rejected(RejectionReasons.WrongPublisher));
        Assert.Equal(good, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 60_000, Now, Ct));
    }

    [Fact]
    public async Task Only_the_server_may_publish_commands()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        var command = new DeviceCommand(1, "c-1", DeviceCommand.Types.Vibrate, Now, Pattern: "long");

        var result = await device.PublishAsync(Topics.Command, WireFormat.Serialize(command));
        await _harness.WaitForProcessedAsync(1);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Empty(device.Commands);
    }

    [Fact]
    public async Task Status_and_acks_are_stored_and_bad_ones_rejected()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");

        await device.PublishAsync(Topics.Status, WireFormat.Serialize(new DeviceStatus(1, true, "1.0.0", true, Now)), retain: true);
        await device.PublishAsync(Topics.Ack, Encoding.UTF8.GetBytes("""{"v":1,"id":"c-1","status":"maybe","ts":1}"""));
        await device.PublishAsync(Topics.Ack, WireFormat.Serialize(new CommandAck(1, "c-1", CommandAck.Statuses.Done, Now)));
        await _harness.WaitForProcessedAsync(3);

        var record = await _harness.Server.Store.GetDeviceAsync(DeviceId.Parse("desk-1"), Ct);
        Assert.True(record!.Status!.Online);
        Assert.Equal("1.0.0", record.Status.Fw);
        Assert.Equal(1, _harness.Server.Stats.Rejected(RejectionReasons.InvalidAck));
        Assert.Single(await _harness.Server.Store.ReadAcksAsync(DeviceId.Parse("desk-1"), Now - 1, Now + 1, Ct));
        Assert.Equal(("desk-1", new CommandAck(1, "c-1", "done", Now)), Assert.Single(_harness.AcksReceived));
    }

    [Fact]
    public async Task An_ack_from_beyond_the_window_does_not_become_the_prompts_outcome_and_ingestion_goes_on()
    {
        var desk1 = await _harness.ConnectDeviceAsync("desk-1");
        var desk2 = await _harness.ConnectDeviceAsync("desk-2");

        await desk1.PublishAsync(Topics.Ack, WireFormat.Serialize(new CommandAck(1, "c-1", CommandAck.Statuses.Done, Now)));
        // Newer than any honest ack could be: stored, it would be the prompt's outcome for good.
        await desk1.PublishAsync(Topics.Ack, WireFormat.Serialize(new CommandAck(1, "c-1", CommandAck.Statuses.Dismissed, 9_300_000_000_000)));
        await desk1.PublishAsync(Topics.Status, WireFormat.Serialize(new DeviceStatus(1, true, "1.0.0", true, 9_300_000_000_000)));
        var good1 = TestFrames.Run(Now - 10_000, 10, pitch: 8);
        var good2 = TestFrames.Run(Now - 10_000, 10, pitch: 4);
        await desk1.PublishTelemetryAsync(good1);
        await desk2.PublishTelemetryAsync(good2);
        await _harness.WaitForProcessedAsync(5);

        var acks = await _harness.Server.Store.ReadAcksAsync(DeviceId.Parse("desk-1"), 0, long.MaxValue, Ct);
        Assert.Equal("done", DayReport.Outcomes(acks)["c-1"]);
        Assert.Equal(2, _harness.Server.Stats.Rejected(RejectionReasons.FutureTimestamp));
        Assert.Contains(_harness.Server.Stats.Snapshot().Recent,
            r => r.Topic == Topics.For(DeviceId.Parse("desk-1"), Topics.Ack) && r.Detail.Contains("ts 9300000000000 is more than 30 min in the future"));
        Assert.Equal(good1, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 10_000, Now, Ct));
        Assert.Equal(good2, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-2"), Now - 10_000, Now, Ct));
    }

    [Fact]
    public async Task A_device_that_drops_off_is_shown_offline_through_its_will_message()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1", will: new DeviceStatus(1, false));
        await device.PublishAsync(Topics.Status, WireFormat.Serialize(new DeviceStatus(1, true, "1.0.0", true, Now)), retain: true);
        await _harness.WaitForProcessedAsync(1);
        Assert.True((await _harness.Server.Store.GetDeviceAsync(DeviceId.Parse("desk-1"), Ct))!.Status!.Online);

        device.Drop();
        await _harness.WaitForProcessedAsync(2);

        var status = (await _harness.Server.Store.GetDeviceAsync(DeviceId.Parse("desk-1"), Ct))!.Status!;
        Assert.False(status.Online);
        var list = await _harness.Http.GetStringAsync("/api/devices", Ct);
        Assert.Contains("\"online\":false", list);
    }

    static byte[] BadPayload(string @case) => @case switch
    {
        "malformed JSON" => Encoding.UTF8.GetBytes("""{"v":1,"seq":1,"frames":[{"ts":1795478400000,"pitch":24.6,"""),
        "unknown version" => Encoding.UTF8.GetBytes($$"""{"v":2,"seq":1,"frames":[{"ts":{{Now}},"posture":"bent"}]}"""),
        "NaN pitch" => Encoding.UTF8.GetBytes($$"""{"v":1,"seq":1,"frames":[{"ts":{{Now - 500}},"pitch":NaN,"roll":0,"motion":0,"steps":0}]}"""),
        "absurd angle" => TestFrames.Batch(1, [new PostureFrame(Now - 30_000, 720, 0, 0.01, 0)]),
        "timestamp far in the future" => TestFrames.Batch(1, [new PostureFrame(Now + 3_600_000, 10, 0, 0.01, 0)]),
        "oversized payload" => Encoding.UTF8.GetBytes($$"""{"v":1,"seq":1,"note":"{{new string('x', 17 * 1024)}}","frames":[]}"""),
        "too many frames" => TestFrames.Batch(1, TestFrames.Run(Now - 120_000, 61, pitch: 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
    };
}
