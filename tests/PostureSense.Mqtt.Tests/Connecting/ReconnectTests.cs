using System.Collections.Concurrent;
using System.Text;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PostureSense.Core.Configuration;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Tests.Support;

namespace PostureSense.Mqtt.Tests.Connecting;

/// <summary>The link against an in-process broker that goes away and comes back.</summary>
public sealed class ReconnectTests
{
    static readonly ReconnectBackoff Quick = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400));
    readonly LogLines _log = new();
    readonly Received _received = new();
    readonly ConcurrentQueue<LinkConnected> _connects = new();

    MqttLink NewLink(int port, MqttWill? will = null) => new(new MqttLinkOptions
    {
        Broker = new MqttBrokerAddress("127.0.0.1", port),
        ClientId = "desk-1",
        Subscriptions = ["posturesense/v1/desk-1/cmd"],
        Will = will,
        Backoff = Quick,
    }, _log)
    {
        MessageReceived = _received.Handle,
        Connected = (connected, ct) =>
        {
            _connects.Enqueue(connected);
            return Task.CompletedTask;
        },
    };

    [Fact]
    public async Task After_the_broker_restarts_the_link_connects_again_and_resubscribes()
    {
        var broker = await InProcessBroker.StartAsync();
        var port = broker.Port;
        await using var running = new RunningLink(NewLink(port));
        await Eventually.True(() => _connects.Count == 1, "the first connection", () => _log.Text);

        await broker.DisposeAsync();
        await Eventually.True(() => !running.Link.IsConnected, "the link to notice the broker is gone");
        await using var again = await InProcessBroker.StartAsync(port);
        await Eventually.True(() => _connects.Count == 2, "a second connection", () => _log.Text);
        await again.PublishAsync("posturesense/v1/desk-1/cmd", "after the restart");

        await Eventually.True(() => _received.Count == 1, "the command on the new broker", () => _log.Text);
        Assert.Equal(["after the restart"], _received.Payloads);
        Assert.True(running.Link.IsConnected);
        Assert.True(_log.Has(Microsoft.Extensions.Logging.LogLevel.Warning, "Disconnected from MQTT broker mqtt://127.0.0.1:" + port), _log.Text);
    }

    [Fact]
    public async Task A_link_that_vanishes_leaves_its_will_and_comes_back()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var wills = new ConcurrentQueue<string>();
        broker.Server.InterceptingPublishAsync += e =>
        {
            if (e.ApplicationMessage.Topic == "posturesense/v1/desk-1/status")
                wills.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var will = new MqttWill("posturesense/v1/desk-1/status", Encoding.UTF8.GetBytes("""{"v":1,"online":false}"""));
        await using var running = new RunningLink(NewLink(broker.Port, will));
        await Eventually.True(() => _connects.Count == 1, "the first connection", () => _log.Text);

        await broker.Server.DisconnectClientAsync("desk-1", new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction });

        await Eventually.True(() => !wills.IsEmpty, "the will", () => _log.Text);
        Assert.Equal("""{"v":1,"online":false}""", wills.Single());
        await Eventually.True(() => _connects.Count == 2 && running.Link.IsConnected, "the link to come back", () => _log.Text);
    }

    [Fact]
    public async Task A_clean_disconnect_leaves_no_will_and_no_warning()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var wills = 0;
        broker.Server.InterceptingPublishAsync += e =>
        {
            if (e.ApplicationMessage.Topic.EndsWith("/status", StringComparison.Ordinal)) Interlocked.Increment(ref wills);
            return Task.CompletedTask;
        };
        var will = new MqttWill("posturesense/v1/desk-1/status", Encoding.UTF8.GetBytes("""{"v":1,"online":false}"""));
        var running = new RunningLink(NewLink(broker.Port, will));
        await Eventually.True(() => _connects.Count == 1, "the first connection", () => _log.Text);

        await running.StopAsync();
        await running.DisposeAsync();

        await Eventually.True(() => !broker.IsClientConnectedAsync("desk-1").Result, "the broker to let the client go");
        Assert.Equal(0, Volatile.Read(ref wills));
        Assert.DoesNotContain("Disconnected from MQTT broker", _log.Text);
    }

    [Fact]
    public async Task A_refused_subscription_is_named_and_the_link_does_not_stay_connected_but_deaf()
    {
        // The MQTTnet broker refuses shared subscriptions; mosquitto takes them.
        await using var broker = await InProcessBroker.StartAsync();
        var link = new MqttLink(new MqttLinkOptions
        {
            Broker = new MqttBrokerAddress("127.0.0.1", broker.Port),
            ClientId = "posturesense-server",
            Subscriptions = ["$share/posturesense/posturesense/v1/+/telemetry"],
            Backoff = Quick,
        }, _log);
        await using var running = new RunningLink(link);

        await Eventually.True(() => _log.Count("subscription refused: $share/posturesense/posturesense/v1/+/telemetry") >= 2,
            "two refused subscriptions", () => _log.Text);
        Assert.True(broker.ConnectAttempts >= 2);
        Assert.DoesNotContain("Connected to MQTT broker", _log.Text);
    }
}
