using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.TestSupport.Server;

/// <summary>A wearable as the broker sees it: a real MQTTnet client over TCP.</summary>
public sealed class TestDevice : IAsyncDisposable
{
    readonly IMqttClient _client;
    long _seq;
    bool _dropped;

    TestDevice(IMqttClient client, string deviceId)
    {
        _client = client;
        DeviceId = deviceId;
    }

    public string DeviceId { get; }

    /// <summary>Commands received on the device's cmd topic.</summary>
    public ConcurrentQueue<DeviceCommand> Commands { get; } = new();

    /// <param name="will">The status the broker publishes (retained) if the device drops off without a goodbye.</param>
    /// <param name="password">The device's broker password; its username is its client id. Null: no credentials.</param>
    /// <param name="clock">The device's clock, which the commands it takes are checked against; real time unless given.</param>
    public static async Task<TestDevice> ConnectAsync(int port, string clientId, string deviceId, DeviceStatus? will = null, string? password = null, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var client = new MqttClientFactory().CreateMqttClient();
        var device = new TestDevice(client, deviceId);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var parsed = WireFormat.ParseCommand(e.ApplicationMessage.Payload.ToArray(), clock.GetUtcNow());
            if (parsed.Ok) device.Commands.Enqueue(parsed.Value!);
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500);
        if (password is not null) options = options.WithCredentials(clientId, password);
        if (will is not null)
            options = options.WithWillTopic(Topics.For(Core.Contract.DeviceId.Parse(deviceId), Topics.Status)).WithWillPayload(WireFormat.Serialize(will))
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithWillRetain();
        await client.ConnectAsync(options.Build(), TestContext.Current.CancellationToken);
        await client.SubscribeAsync(Topics.For(Core.Contract.DeviceId.Parse(deviceId), Topics.Command), MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return device;
    }

    public Task<MqttClientPublishResult> PublishTelemetryAsync(IReadOnlyList<PostureFrame> frames) =>
        PublishAsync(Topics.Telemetry, WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, ++_seq, frames)));

    public Task<MqttClientPublishResult> PublishAsync(string suffix, byte[] payload, bool retain = false) =>
        PublishRawAsync(Topics.For(Core.Contract.DeviceId.Parse(DeviceId), suffix), payload, retain);

    public Task<MqttClientPublishResult> PublishRawAsync(string topic, byte[] payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build(), TestContext.Current.CancellationToken);

    /// <summary>Loses the connection without a DISCONNECT, as a device does when its power or network goes.</summary>
    public void Drop()
    {
        _dropped = true;
        _client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropped) return;
        if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        _client.Dispose();
    }
}
