using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using PostureSense.Agent;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Time;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>
/// The agent against mosquitto with a TLS listener and a password file, as a broker reachable
/// from the internet would be set up: a private CA and a server certificate made here, the CA
/// handed to the agent as a PEM file (--mqtt-ca).
/// </summary>
public sealed class AgentTlsTests : IAsyncLifetime
{
    const string Device = "desk-a";
    const string Server = "posturesense-server";
    static readonly Dictionary<string, string> Users = new() { [Device] = "desk-a-secret", [Server] = "server-secret" };

    readonly AgentLog _log = new();
    TlsMosquitto _tls = null!;

    MosquittoServer Broker => _tls.Broker;
    string CaFile => _tls.CaFile;
    string OtherCaFile => _tls.OtherCaFile;

    public async ValueTask InitializeAsync() => _tls = await TlsMosquitto.StartAsync(Users, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null) await _tls.DisposeAsync();
    }

    PostureAgent NewAgent(string password, string? caFile, out RecordingMotor motor)
    {
        var clock = new AcceleratedTimeProvider(DateTimeOffset.UtcNow, 10);
        motor = new RecordingMotor(clock);
        var options = new AgentOptions
        {
            DeviceId = PostureSense.Core.Contract.DeviceId.Parse(Device),
            Broker = MqttBrokerAddress.Parse($"mqtts://{Device}:{password}@{Broker.Host}:{Broker.Port}", allowTls: true),
            BrokerCa = caFile is null ? null : BrokerTrust.LoadCa(caFile),
        };
        return new PostureAgent(options, new SimulatedMpu6050(new ConstantWearer(0, 0), clock), motor, clock, _log);
    }

    /// <summary>The server's side of the broker, over TLS too, recording what devices publish.</summary>
    async Task<(IMqttClient Client, ConcurrentQueue<(string Topic, string Payload)> Seen)> ObserveAsync()
    {
        var seen = new ConcurrentQueue<(string, string)>();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            seen.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        var trust = new BrokerTrust(BrokerTrust.LoadCa(CaFile));
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Host, Broker.Port)
            .WithClientId($"{Server}-{Guid.NewGuid():N}")
            .WithCredentials(Server, Users[Server])
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(trust.Validate))
            .Build(), TestContext.Current.CancellationToken);
        await client.SubscribeAsync($"posturesense/v1/{Device}/#", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return (client, seen);
    }

    static async Task Until(Func<bool> condition, string what, Func<string> context)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}:\n{context()}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Over_tls_with_its_password_the_agent_connects_and_publishes()
    {
        var (observer, seen) = await ObserveAsync();
        using (observer)
        {
            await using var agent = NewAgent(Users[Device], CaFile, out _);
            await agent.StartAsync(TestContext.Current.CancellationToken);

            await Until(() => seen.Any(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)), "telemetry over TLS", () => _log.Text + Broker.Log);

            Assert.True(agent.IsConnected);
            Assert.Contains(seen, m => m.Topic == Topics.For(DeviceId.Parse(Device), Topics.Status) && m.Payload.Contains("\"online\":true"));
            var batch = WireFormat.ParseTelemetry(Encoding.UTF8.GetBytes(seen.First(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)).Payload), DateTimeOffset.UtcNow.AddHours(1));
            Assert.True(batch.Ok, batch.Error);
            Assert.Contains($"Connected to MQTT broker mqtts://{Device}@127.0.0.1:{Broker.Port}", _log.Text);
            Assert.DoesNotContain(Users[Device], _log.Text);
        }
    }

    [Fact]
    public async Task A_wrong_password_is_said_plainly_and_the_agent_keeps_trying_less_and_less_often()
    {
        await using var agent = NewAgent("not-the-password", CaFile, out _);
        await agent.StartAsync(TestContext.Current.CancellationToken);

        const string Refused = "the broker refused the user name or password";
        await Until(() => _log.Count(Refused) >= 4, "four refused attempts", () => _log.Text + Broker.Log);

        Assert.False(agent.IsConnected);
        var delays = _log.RetryDelays(Refused);
        Assert.True(delays[2] > delays[0], $"the delay between attempts should grow: {string.Join(", ", delays)}");
        Assert.DoesNotContain("not-the-password", _log.Text);
    }

    [Theory]
    [InlineData(true, "is not signed by the CA in --mqtt-ca")]
    [InlineData(false, "is not trusted by this system")]
    public async Task A_broker_certificate_the_agent_cannot_trust_is_refused_plainly_and_retried(bool giveOtherCa, string reason)
    {
        await using var agent = NewAgent(Users[Device], giveOtherCa ? OtherCaFile : null, out _);
        await agent.StartAsync(TestContext.Current.CancellationToken);

        await Until(() => _log.Count(reason) >= 2, "two refused handshakes", () => _log.Text + Broker.Log);

        Assert.False(agent.IsConnected);
        Assert.Contains("TLS refused: the broker's certificate (CN=127.0.0.1, issued by CN=PostureSense test CA)", _log.Text);
        Assert.DoesNotContain($"as {Device}", Broker.Log); // the agent never logged in, so never sent its password
    }

    /// <summary>The agent's log lines as an operator reads them.</summary>
    sealed class AgentLog : ILoggerFactory, ILoggerProvider, ILogger
    {
        readonly ConcurrentQueue<string> _lines = new();

        public string Text => string.Join('\n', _lines) + '\n';
        public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

        /// <summary>The "retrying in N s" of the lines that say <paramref name="text"/>, in order.</summary>
        public double[] RetryDelays(string text) =>
        [
            .. _lines.Where(l => l.Contains(text, StringComparison.Ordinal))
                .Select(l => Regex.Match(l, @"retrying in ([0-9.]+) s"))
                .Where(m => m.Success)
                .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
        ];

        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
        public void Dispose() { }
    }
}
