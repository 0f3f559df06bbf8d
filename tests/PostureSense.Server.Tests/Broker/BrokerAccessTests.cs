using System.Buffers;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Server.Configuration;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Tests.Broker;

/// <summary>
/// The embedded broker over real TCP: only provisioned devices with their password get in, each
/// reads and writes only its own topics, the server's ids and session are the server's alone, and
/// an oversized publish costs its sender the connection.
/// </summary>
public sealed class BrokerAccessTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(_dir.File("broker.db"));

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    async Task<MqttClientConnectResultCode> ConnectResultAsync(string clientId, string? userName, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _harness.Server.MqttPort).WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500);
        if (userName is not null) options = options.WithCredentials(userName, password);
        // MQTTnet 5 answers a refusal with the CONNACK's code rather than an exception.
        var result = await client.ConnectAsync(options.Build(), Ct);
        if (client.IsConnected) await client.DisconnectAsync(cancellationToken: Ct);
        return result.ResultCode;
    }

    async Task<IMqttClient> ConnectDeviceClientAsync(string deviceId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _harness.Server.MqttPort).WithClientId(deviceId)
            .WithCredentials(deviceId, (await _harness.ProvisionAsync(deviceId)).Password).WithProtocolVersion(MqttProtocolVersion.V500).Build(), Ct);
        return client;
    }

    [Fact]
    public async Task A_provisioned_device_connects_with_its_password_and_not_with_another()
    {
        var secrets = await _harness.ProvisionAsync("desk-3");
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResultAsync("desk-3", "desk-3", secrets.Password));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync("desk-3", "desk-3", secrets.Password + "x"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync("desk-3", null, null));
        // Another device's valid credential does not open this device's client id.
        var other = await _harness.ProvisionAsync("desk-4");
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await ConnectResultAsync("desk-3", "desk-4", other.Password));
    }

    [Fact]
    public async Task An_unprovisioned_device_is_refused_and_the_log_names_the_command_that_provisions_it()
    {
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync("desk-9", "desk-9", "guess"));
        Assert.Contains(_harness.Logs.Entries, e => e.Message.Contains("posturesense device add desk-9", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("posturesense-server")]
    [InlineData("posturesense-server-x")]
    public async Task The_servers_client_ids_need_the_servers_credential(string clientId)
    {
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(clientId, null, null));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(clientId, clientId, "a guess"));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(clientId, ServerClient.IdPrefix, "a guess"));
    }

    [Fact]
    public async Task A_client_without_the_servers_credential_cannot_take_over_its_session()
    {
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(_harness.Server.Options.ClientId, null, null));

        // The server's own connection is untouched: what a device sends next is still stored.
        var device = await _harness.ConnectDeviceAsync("desk-1");
        await _harness.SendLiveAsync(device, TestFrames.Run(T0, 60, pitch: 5));
        Assert.Equal(60, _harness.Server.Stats.FramesStored);
    }

    [Theory]
    [InlineData("posturesense/v1/#")]
    [InlineData("posturesense/v1/+/telemetry")]
    [InlineData("posturesense/v1/desk-2/cmd")]
    [InlineData("posturesense/v1/desk-2/status")]
    [InlineData("posturesense/v1/desk-1/telemetry")]
    [InlineData("posturesense/+/desk-2/config")]
    [InlineData("#")]
    [InlineData("$share/g/posturesense/v1/#")]
    public async Task A_device_may_not_subscribe_beyond_its_own_cmd_config_and_status(string filter)
    {
        using var client = await ConnectDeviceClientAsync("desk-1");
        var refused = await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(refused.Items).ResultCode);

        var own = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.For(DeviceId.Parse("desk-1"), Topics.Command), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.For(DeviceId.Parse("desk-1"), Topics.Config), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.For(DeviceId.Parse("desk-1"), Topics.Status), MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        Assert.All(own.Items, i => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, i.ResultCode));
    }

    [Fact]
    public async Task A_device_cannot_publish_under_another_devices_id()
    {
        var impostor = await _harness.ConnectDeviceAsync("desk-2", deviceId: "desk-1");
        var result = await impostor.PublishTelemetryAsync(TestFrames.Run(T0, 5, pitch: 5));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        var status = await impostor.PublishAsync(Topics.Status, WireFormat.Serialize(new DeviceStatus(1, false)), retain: true);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, status.ReasonCode);
        Assert.Equal(0, _harness.Server.Stats.FramesStored);
    }

    [Fact]
    public async Task A_devices_will_cannot_speak_for_another_device()
    {
        var impostor = await _harness.ConnectDeviceAsync("desk-2", deviceId: "desk-1", will: new DeviceStatus(1, false));
        impostor.Drop();
        await Eventually.TrueAsync(() => _harness.Server.Stats.Rejected(RejectionReasons.WrongPublisher) >= 1, "the broker to refuse the will");
    }

    [Fact]
    public async Task A_publish_over_the_maximum_packet_size_disconnects_its_sender()
    {
        using var client = await ConnectDeviceClientAsync("desk-1");
        var huge = new byte[_harness.Server.Options.EmbeddedBrokerMaxPacketSize + 1];
        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(DeviceId.Parse("desk-1"), Topics.Telemetry)).WithPayload(huge)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or MqttClientNotConnectedException)
        {
            // The connection went while the client waited for its acknowledgement.
        }
        await Eventually.TrueAsync(() => !client.IsConnected, "the broker to disconnect the sender");
        Assert.Equal(1, _harness.Server.Stats.Rejected(RejectionReasons.Oversized));
        Assert.Equal(0, _harness.Server.Stats.FramesStored);
    }
}
