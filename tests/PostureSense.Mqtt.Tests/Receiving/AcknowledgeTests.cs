using System.Globalization;
using System.Text;
using PostureSense.Core.Configuration;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Tests.Support;

namespace PostureSense.Mqtt.Tests.Receiving;

/// <summary>
/// Manual acknowledgement against mosquitto, as the server uses it: a message is acknowledged
/// once stored, in order, and one that never was comes again to the persistent session.
/// </summary>
public sealed class AcknowledgeTests : IAsyncLifetime
{
    const string Topic = "posturesense/v1/desk-1/telemetry";
    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-mqtt-ack-").FullName;
    readonly LogLines _log = new();
    MosquittoServer _broker = null!;

    public async ValueTask InitializeAsync()
    {
        var config = Path.Combine(_dir, "mosquitto.conf");
        await File.WriteAllLinesAsync(config, ["listener 1883", "allow_anonymous true", "persistence false"]);
        _broker = await MosquittoServer.StartAsync(configFile: config, cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    MqttLink NewLink(string clientId, IReadOnlyList<string> subscriptions, Received? received, bool persistent, ushort? receiveMaximum = null) => new(new MqttLinkOptions
    {
        ReceiveMaximum = receiveMaximum,
        Broker = new MqttBrokerAddress(_broker.Host, _broker.Port),
        ClientId = clientId,
        Session = persistent ? MqttSession.Persistent(TimeSpan.FromHours(1)) : MqttSession.Clean,
        Subscriptions = subscriptions,
        ManualAcknowledge = received is not null,
    }, _log)
    {
        MessageReceived = received is null ? null : received.Handle,
    };

    async Task<RunningLink> ConnectedAsync(MqttLink link)
    {
        var before = _log.Count("Connected to MQTT broker");
        var running = new RunningLink(link);
        await Eventually.True(() => _log.Count("Connected to MQTT broker") > before, "a connection", () => _log.Text + _broker.Log);
        return running;
    }

    static async Task PublishAsync(RunningLink publisher, params string[] payloads)
    {
        foreach (var payload in payloads)
            Assert.True(await publisher.Link.PublishAsync(Topic, Encoding.UTF8.GetBytes(payload), retain: false, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Messages_left_unacknowledged_come_again_in_order_and_acknowledged_ones_do_not()
    {
        await using var publisher = await ConnectedAsync(NewLink("desk-1", [], null, persistent: false));
        var first = new Received();
        var server = await ConnectedAsync(NewLink("posturesense-server", [Topic], first, persistent: true));

        await PublishAsync(publisher, "1", "2", "3", "4", "5");
        await Eventually.True(() => first.Count == 5, "five messages", () => _log.Text + _broker.Log);
        Assert.Equal(["1", "2", "3", "4", "5"], first.Payloads);
        foreach (var stored in first.Messages.Take(3)) await stored.AcknowledgeAsync(TestContext.Current.CancellationToken);
        await server.StopAsync();
        await server.DisposeAsync();
        // The connection that delivered it is gone: acknowledging now changes nothing and does not fail.
        await first.Messages[3].AcknowledgeAsync(TestContext.Current.CancellationToken);

        var again = new Received();
        await using var back = await ConnectedAsync(NewLink("posturesense-server", [Topic], again, persistent: true));
        await PublishAsync(publisher, "6");

        await Eventually.True(() => again.Payloads.Contains("6"), "the message after the reconnect", () => _log.Text + _broker.Log);
        Assert.Equal(["4", "5", "6"], again.Payloads);
        Assert.Contains("(session resumed)", _log.Text);
    }

    [Fact]
    public async Task A_receiver_with_a_larger_window_gets_more_than_the_brokers_twenty_before_it_acknowledges()
    {
        await using var publisher = await ConnectedAsync(NewLink("desk-1", [], null, persistent: false));
        var held = new Received();
        await using var server = await ConnectedAsync(NewLink("posturesense-server", [Topic], held, persistent: true, receiveMaximum: 200));

        var sent = Enumerable.Range(1, 150).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        await PublishAsync(publisher, sent);

        // Nothing is acknowledged: with mosquitto's default window only the first 20 would come.
        await Eventually.True(() => held.Count == 150, "all 150 messages before any acknowledgement", () => $"{held.Count} received\n" + _log.Text + _broker.Log);
        Assert.Equal(sent, held.Payloads);
    }

    [Fact]
    public async Task Without_a_window_of_its_own_a_receiver_that_does_not_acknowledge_gets_twenty()
    {
        await using var publisher = await ConnectedAsync(NewLink("desk-1", [], null, persistent: false));
        var held = new Received();
        await using var server = await ConnectedAsync(NewLink("posturesense-server", [Topic], held, persistent: true));

        await PublishAsync(publisher, [.. Enumerable.Range(1, 50).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        await Eventually.True(() => held.Count >= 20, "the broker's window of 20", () => $"{held.Count} received\n" + _log.Text + _broker.Log);
        // The broker holds all 50 already (each publish was acknowledged): a second is ample for more to come if they could.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(20, held.Count);
        foreach (var message in held.Messages.ToList()) await message.AcknowledgeAsync(TestContext.Current.CancellationToken);
        await Eventually.True(() => held.Count == 50, "the rest once those are acknowledged", () => $"{held.Count} received\n" + _log.Text + _broker.Log);
    }

    [Fact]
    public async Task Acknowledged_messages_are_not_delivered_again()
    {
        await using var publisher = await ConnectedAsync(NewLink("desk-1", [], null, persistent: false));
        var first = new Received();
        var server = await ConnectedAsync(NewLink("posturesense-server", [Topic], first, persistent: true));
        await PublishAsync(publisher, "1", "2");
        await Eventually.True(() => first.Count == 2, "two messages", () => _log.Text + _broker.Log);
        foreach (var stored in first.Messages) await stored.AcknowledgeAsync(TestContext.Current.CancellationToken);
        await server.StopAsync();
        await server.DisposeAsync();

        var again = new Received();
        await using var back = await ConnectedAsync(NewLink("posturesense-server", [Topic], again, persistent: true));
        await PublishAsync(publisher, "3");

        await Eventually.True(() => again.Count >= 1, "the message after the reconnect", () => _log.Text + _broker.Log);
        Assert.Equal(["3"], again.Payloads);
    }

    [Fact]
    public async Task Servers_in_one_share_group_split_the_messages_between_them()
    {
        const string Shared = "$share/posturesense/posturesense/v1/+/telemetry";
        await using var publisher = await ConnectedAsync(NewLink("desk-1", [], null, persistent: false));
        var a = new Received();
        var b = new Received();
        await using var serverA = await ConnectedAsync(NewLink("posturesense-server-a", [Shared], a, persistent: true));
        await using var serverB = await ConnectedAsync(NewLink("posturesense-server-b", [Shared], b, persistent: true));

        var sent = Enumerable.Range(1, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        await PublishAsync(publisher, sent);

        await Eventually.True(() => a.Count + b.Count == 10, "all ten messages", () => _log.Text + _broker.Log);
        Assert.NotEmpty(a.Payloads);
        Assert.NotEmpty(b.Payloads);
        Assert.Equal(sent.Order(), a.Payloads.Concat(b.Payloads).Order());
    }
}
