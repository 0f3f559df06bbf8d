using System.Security.Cryptography;
using System.Text;
using PostureSense.Core.Configuration;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Tests.Support;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Mqtt.Tests.Tls;

/// <summary>
/// The link against mosquitto with a TLS listener and a password file, as a broker reachable from
/// the internet would be set up: a private CA and a server certificate made here.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    const string User = "desk-a";
    const string Password = "desk-a-secret";
    static readonly ReconnectBackoff Quick = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));

    readonly LogLines _log = new();
    TlsMosquitto _tls = null!;

    MosquittoServer Broker => _tls.Broker;
    string CaFile => _tls.CaFile;
    string OtherCaFile => _tls.OtherCaFile;

    public async ValueTask InitializeAsync() => _tls = await TlsMosquitto.StartAsync(new Dictionary<string, string> { [User] = Password }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null) await _tls.DisposeAsync();
    }

    RunningLink Run(string password, string? caFile, Received? received = null) => new(new MqttLink(new MqttLinkOptions
    {
        Broker = MqttBrokerAddress.Parse($"mqtts://{User}:{password}@{Broker.Host}:{Broker.Port}", allowTls: true),
        ClientId = User,
        BrokerCa = caFile is null ? null : BrokerTrust.LoadCa(caFile),
        Subscriptions = ["posturesense/v1/desk-a/cmd"],
        Backoff = Quick,
    }, _log)
    {
        MessageReceived = received is null ? null : received.Handle,
    });

    [Fact]
    public async Task With_the_private_ca_and_its_password_the_link_connects_publishes_and_receives()
    {
        var received = new Received();
        await using var running = Run(Password, CaFile, received);
        await Eventually.True(() => _log.Count("Connected to MQTT broker") == 1, "a connection over TLS", () => _log.Text + Broker.Log);

        Assert.True(await running.Link.PublishAsync("posturesense/v1/desk-a/cmd", Encoding.UTF8.GetBytes("over tls"), retain: false, TestContext.Current.CancellationToken));

        await Eventually.True(() => received.Count == 1, "its own message back", () => _log.Text + Broker.Log);
        Assert.Equal(["over tls"], received.Payloads);
        Assert.Contains($"Connected to MQTT broker mqtts://{User}@127.0.0.1:{Broker.Port} as {User}", _log.Text);
        Assert.DoesNotContain(Password, _log.Text);
    }

    [Theory]
    [InlineData(true, "is not signed by the CA in --mqtt-ca")]
    [InlineData(false, "is not trusted by this system")]
    public async Task A_broker_certificate_it_cannot_trust_is_refused_plainly_and_retried(bool giveOtherCa, string reason)
    {
        await using var running = Run(Password, giveOtherCa ? OtherCaFile : null);

        await Eventually.True(() => _log.Count(reason) >= 2, "two refused handshakes", () => _log.Text + Broker.Log);

        Assert.False(running.Link.IsConnected);
        Assert.Contains("TLS refused: the broker's certificate (CN=127.0.0.1, issued by CN=PostureSense test CA)", _log.Text);
        Assert.DoesNotContain($"as {User}", Broker.Log); // never logged in, so never sent its password
    }

    [Fact]
    public async Task A_wrong_password_is_said_plainly_never_logged_and_retried()
    {
        await using var running = Run("not-the-password", CaFile);

        const string Refused = "the broker refused the user name or password";
        await Eventually.True(() => _log.Count(Refused) >= 2, "two refused attempts", () => _log.Text + Broker.Log);

        Assert.False(running.Link.IsConnected);
        Assert.Contains("check the user and password in --mqtt", _log.Text);
        Assert.DoesNotContain("not-the-password", _log.Text);
    }
}
