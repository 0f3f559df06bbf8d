using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.FleetBench;

/// <summary>
/// One simulated device on its own MQTT connection (its id as client id), as a real one: QoS 1
/// telemetry with a rising seq, its command topic subscribed. It remembers when it published the
/// batch that completes its episode and when each stretch prompt arrived (monotonic clock).
/// </summary>
sealed class LiveDevice(DevicePlan plan, long sentThroughTs)
{
    readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    readonly List<(string? Reason, long At)> _prompts = [];
    readonly HashSet<string> _commandIds = [];
    long _seq;

    public DevicePlan Plan { get; } = plan;
    /// <summary>Frames the broker acknowledged.</summary>
    public long FramesAcknowledged { get; private set; }
    /// <summary>When the batch holding <see cref="DevicePlan.DueTs"/> was handed to the broker (Stopwatch ticks).</summary>
    public long? DuePublishedAt { get; private set; }
    /// <summary>Each stretch command once, as the agent takes it (by id), with when it first arrived.</summary>
    public IReadOnlyList<(string? Reason, long At)> Prompts { get { lock (_prompts) return [.. _prompts]; } }
    /// <summary>Commands the broker delivered again (QoS 1 allows it; the agent ignores a known id).</summary>
    public int Redelivered { get; private set; }

    public async Task ConnectAsync(MqttBrokerAddress broker, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(Plan.DeviceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var at = Stopwatch.GetTimestamp();
            var parsed = WireFormat.ParseCommand(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), DateTimeOffset.UtcNow);
            if (parsed.Value is { Type: DeviceCommand.Types.Stretch } command)
                lock (_prompts)
                {
                    if (_commandIds.Add(command.Id)) _prompts.Add((command.Reason, at));
                    else Redelivered++;
                }
            return Task.CompletedTask;
        };
        var result = await _client.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"{Plan.DeviceId} could not connect: {result.ResultCode}");
        var topic = Topics.For(DeviceId.Parse(Plan.DeviceId), Topics.Command);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
    }

    /// <summary>Publishes every whole second not sent yet up to <paramref name="nowTs"/>, in batches of at most 60.</summary>
    /// <returns>Batches published.</returns>
    public async Task<int> PublishDueAsync(long nowTs, CancellationToken cancellationToken)
    {
        var batches = 0;
        var topic = Topics.For(DeviceId.Parse(Plan.DeviceId), Topics.Telemetry);
        while (sentThroughTs + 1000 <= nowTs - 1000)
        {
            var count = (int)Math.Min(ContractLimits.MaxFramesPerBatch, (nowTs - 1000 - sentThroughTs) / 1000);
            var frames = new PostureFrame[count];
            for (var k = 0; k < count; k++) frames[k] = Plan.FrameAt(sentThroughTs + (k + 1) * 1000L);
            var payload = WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, ++_seq, frames));
            var publishedAt = Stopwatch.GetTimestamp();
            var result = await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
                throw new InvalidOperationException($"{Plan.DeviceId}: the broker refused batch {_seq}: {result.ReasonCode}");
            var last = frames[^1].Ts;
            if (DuePublishedAt is null && last >= Plan.DueTs) DuePublishedAt = publishedAt;
            sentThroughTs = last;
            FramesAcknowledged += count;
            batches++;
        }
        return batches;
    }

    public async Task DisconnectAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }
        catch (Exception) { /* closing anyway */ }
        _client.Dispose();
    }
}
