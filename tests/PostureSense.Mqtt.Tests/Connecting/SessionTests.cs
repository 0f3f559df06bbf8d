using PostureSense.Core.Configuration;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Tests.Support;

namespace PostureSense.Mqtt.Tests.Connecting;

/// <summary>What waits for a link while it is away: everything with a persistent session, nothing with a clean one.</summary>
public sealed class SessionTests
{
    const string Telemetry = "posturesense/v1/+/telemetry";
    readonly LogLines _log = new();

    MqttLink NewLink(int port, MqttSession session, Received received) => new(new MqttLinkOptions
    {
        Broker = new MqttBrokerAddress("127.0.0.1", port),
        ClientId = "posturesense-server",
        Session = session,
        Subscriptions = [Telemetry],
    }, _log)
    {
        MessageReceived = received.Handle,
    };

    /// <summary>Connects once, so the broker knows the subscription, and leaves cleanly.</summary>
    async Task VisitAsync(int port, MqttSession session)
    {
        var running = new RunningLink(NewLink(port, session, new Received()));
        await Eventually.True(() => _log.Count("Connected to MQTT broker") == 1, "a first connection, subscribed", () => _log.Text);
        await running.StopAsync();
        await running.DisposeAsync();
    }

    [Fact]
    public async Task A_persistent_session_gets_what_was_published_while_it_was_away_in_order()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var session = MqttSession.Persistent(TimeSpan.FromHours(1));
        await VisitAsync(broker.Port, session);

        foreach (var n in new[] { "1", "2", "3" }) await broker.PublishAsync("posturesense/v1/desk-1/telemetry", n);
        var received = new Received();
        await using var back = new RunningLink(NewLink(broker.Port, session, received));

        await Eventually.True(() => received.Count >= 3, "the three messages sent while away", () => _log.Text);
        Assert.Equal(["1", "2", "3"], received.Payloads);
        Assert.Contains("(session resumed)", _log.Text);
    }

    [Fact]
    public async Task A_clean_session_starts_afresh_without_what_was_published_while_away()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await VisitAsync(broker.Port, MqttSession.Clean);

        await broker.PublishAsync("posturesense/v1/desk-1/telemetry", "while away");
        var received = new Received();
        await using var back = new RunningLink(NewLink(broker.Port, MqttSession.Clean, received));
        await Eventually.True(() => _log.Count("Connected to MQTT broker") == 2, "the second connection, subscribed", () => _log.Text);
        await broker.PublishAsync("posturesense/v1/desk-1/telemetry", "after");

        await Eventually.True(() => received.Count >= 1, "the message sent after connecting", () => _log.Text);
        Assert.Equal(["after"], received.Payloads);
        Assert.DoesNotContain("(session resumed)", _log.Text);
    }
}
