using MQTTnet;
using MQTTnet.Formatter;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>deploy/mosquitto as shipped: who may connect, and which device may use which topic.</summary>
public sealed class ShippedBrokerConfigTests : IAsyncLifetime
{
    const string Server = "posturesense-server";
    static readonly Dictionary<string, string> Users = new()
    {
        ["desk-a"] = "desk-a-secret",
        ["desk-b"] = "desk-b-secret",
        [Server] = "server-secret",
    };

    MosquittoServer _broker = null!;

    public async ValueTask InitializeAsync() =>
        _broker = await MosquittoServer.StartAsync(Users, cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }

    static string Topic(string device, string suffix) => $"posturesense/v1/{device}/{suffix}";

    Task<MqttTestClient> Connect(string user, MqttProtocolVersion version = MqttProtocolVersion.V500, bool persistentSession = false) =>
        MqttTestClient.ConnectAsync(_broker, user, Users[user], version, persistentSession);

    [Theory]
    [InlineData("posturesense/v1/+/telemetry")]
    [InlineData("$share/workers/posturesense/v1/+/telemetry")]
    public async Task Device_telemetry_reaches_the_server(string filter)
    {
        await using var server = await Connect(Server);
        await using var deskA = await Connect("desk-a");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await server.SubscribeAsync(filter));

        var published = await deskA.PublishAsync(Topic("desk-a", "telemetry"), """{"v":1,"seq":1,"frames":[]}""");

        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
        Assert.Equal((Topic("desk-a", "telemetry"), """{"v":1,"seq":1,"frames":[]}"""), await server.NextAsync());
    }

    [Fact]
    public async Task Telemetry_queued_for_an_offline_server_survives_a_broker_restart()
    {
        await using (var server = await Connect(Server, persistentSession: true))
            await server.SubscribeAsync("posturesense/v1/+/telemetry");
        await using (var deskA = await Connect("desk-a"))
            await deskA.PublishAsync(Topic("desk-a", "telemetry"), "while-the-server-was-away");

        await _broker.RestartAsync(TestContext.Current.CancellationToken);

        await using var back = await Connect(Server, persistentSession: true);
        Assert.Equal((Topic("desk-a", "telemetry"), "while-the-server-was-away"), await back.NextAsync());
    }

    [Fact]
    public async Task Server_may_subscribe_to_status_and_ack_but_not_publish_telemetry()
    {
        await using var server = await Connect(Server);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await server.SubscribeAsync("posturesense/v1/+/status"));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await server.SubscribeAsync("posturesense/v1/+/ack"));
        // The server must not be able to forge a device's telemetry either.
        var forged = await server.PublishAsync(Topic("desk-a", "telemetry"), "{}");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
    }

    [Fact]
    public async Task Telemetry_under_another_devices_id_is_refused_and_not_delivered()
    {
        await using var server = await Connect(Server);
        await using var deskA = await Connect("desk-a");
        await using var deskA311 = await Connect("desk-a", MqttProtocolVersion.V311);
        await server.SubscribeAsync("posturesense/v1/+/telemetry");

        // MQTT 5: the PUBACK says why.
        var v5 = await deskA.PublishAsync(Topic("desk-b", "telemetry"), "forged-v5");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, v5.ReasonCode);
        // MQTT 3.1.1 has no reason codes: mosquitto acknowledges and drops the message.
        await deskA311.PublishAsync(Topic("desk-b", "telemetry"), "forged-v311");
        await deskA311.PublishAsync(Topic("desk-a", "telemetry"), "fence");

        var received = await server.UntilAsync(Topic("desk-a", "telemetry"));
        Assert.Equal([(Topic("desk-a", "telemetry"), "fence")], received);
    }

    // mosquitto 2.0's acl_file grants every SUBSCRIBE and applies read access when it delivers;
    // a broker that refuses at SUBACK (0x87 in MQTT 5, 0x80 in 3.1.1) is just as good.
    static readonly MqttClientSubscribeResultCode[] RefusedOrFilteredOnDelivery =
    [
        MqttClientSubscribeResultCode.GrantedQoS1,
        MqttClientSubscribeResultCode.NotAuthorized,
        MqttClientSubscribeResultCode.UnspecifiedError,
    ];

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_device_cannot_read_another_devices_commands(MqttProtocolVersion version)
    {
        await using var server = await Connect(Server);
        await using var deskA = await Connect("desk-a", version);
        await using var deskB = await Connect("desk-b");

        Assert.Contains(await deskA.SubscribeAsync(Topic("desk-b", "cmd")), RefusedOrFilteredOnDelivery);
        Assert.Contains(await deskA.SubscribeAsync("posturesense/v1/+/cmd"), RefusedOrFilteredOnDelivery);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await deskA.SubscribeAsync(Topic("desk-a", "cmd")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await deskB.SubscribeAsync(Topic("desk-b", "cmd")));

        const string command = """{"v":1,"id":"c-1","type":"vibrate","ts":1795478460000,"pattern":"short"}""";
        Assert.Equal(MqttClientPublishReasonCode.Success, (await server.PublishAsync(Topic("desk-b", "cmd"), command)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await server.PublishAsync(Topic("desk-a", "cmd"), "fence")).ReasonCode);

        Assert.Equal((Topic("desk-b", "cmd"), command), await deskB.NextAsync());
        Assert.Equal([(Topic("desk-a", "cmd"), "fence")], await deskA.UntilAsync(Topic("desk-a", "cmd")));
    }

    [Fact]
    public async Task A_device_cannot_read_other_devices_telemetry()
    {
        await using var server = await Connect(Server);
        await using var deskA = await Connect("desk-a");
        await using var deskB = await Connect("desk-b");
        Assert.Contains(await deskA.SubscribeAsync("posturesense/v1/+/telemetry"), RefusedOrFilteredOnDelivery);
        Assert.Contains(await deskA.SubscribeAsync("#"), RefusedOrFilteredOnDelivery);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await deskA.SubscribeAsync(Topic("desk-a", "config")));

        Assert.Equal(MqttClientPublishReasonCode.Success, (await deskB.PublishAsync(Topic("desk-b", "telemetry"), "private")).ReasonCode);
        await server.PublishAsync(Topic("desk-a", "config"), "fence");

        Assert.Equal([(Topic("desk-a", "config"), "fence")], await deskA.UntilAsync(Topic("desk-a", "config")));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_wrong_password_is_refused(MqttProtocolVersion version)
    {
        var refused = await ConnectFailsAsync(MqttTestClient.Options(_broker, "desk-a", "not-the-password", version));
        Assert.Contains(refused, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Anonymous_clients_are_refused(MqttProtocolVersion version)
    {
        var refused = await ConnectFailsAsync(MqttTestClient.Options(_broker, user: null, password: null, version));
        Assert.Contains(refused, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
    }

    /// <summary>The CONNACK's refusal. MQTTnet 5 returns it as the connect result rather than throwing.</summary>
    static async Task<MqttClientConnectResultCode> ConnectFailsAsync(MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(MqttTestClient.Wait);
        var result = await client.ConnectAsync(options, cts.Token);
        Assert.False(client.IsConnected);
        return result.ResultCode;
    }
}
