using PostureSense.Core.Contract;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Accounts;
using PostureSense.Accounts.Devices;
using PostureSense.Core.Configuration;
using PostureSense.Server.Broker;
using PostureSense.Server.Configuration;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Ingestion;

/// <summary>
/// The server against a broker it does not own (here a standalone embedded broker standing in
/// for mosquitto): the persistent session keeps what arrives while the server is down, and the
/// link reconnects when the broker comes back.
/// </summary>
public sealed class BrokerConnectionTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _clock = new(TestFrames.Morning);
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long Now = TestFrames.Morning.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _brokerDb?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dir.Dispose();
    }

    [Fact]
    public async Task Messages_published_while_the_server_is_down_are_stored_when_it_comes_back()
    {
        await using var broker = await StartBrokerAsync(0);
        var options = ServerOn(broker.Port);
        var device = await TestDevice.ConnectAsync(broker.Port, "desk-1", "desk-1");
        try
        {
            await using (var first = new PostureServer(options, _clock))
            {
                await first.StartAsync(Ct);
            }
            // The server is away: its session on the broker queues these.
            var missed = TestFrames.Run(Now - 120_000, 120, pitch: 7);
            foreach (var batch in missed.Batches()) await device.PublishTelemetryAsync(batch);

            await using var second = new PostureServer(options, _clock);
            await second.StartAsync(Ct);
            await Eventually.TrueAsync(() => second.Stats.FramesStored == 120, "the queued batches");

            Assert.Equal(missed, await second.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 120_000, Now, Ct));
        }
        finally
        {
            await device.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_server_reconnects_when_the_broker_restarts()
    {
        var broker = await StartBrokerAsync(0);
        var port = broker.Port;
        await using var server = new PostureServer(ServerOn(port), _clock);
        await server.StartAsync(Ct);

        await broker.DisposeAsync();
        await using var restarted = await StartBrokerAsync(port);
        await using var device = await TestDevice.ConnectAsync(port, "desk-1", "desk-1");
        // The link needs a moment to notice and resubscribe; the device keeps sending meanwhile,
        // and what it sends before then has no subscriber on the fresh broker.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var second = 0; server.Stats.FramesStored == 0; second++)
        {
            Assert.True(DateTime.UtcNow < deadline, "no frame was stored through the restarted broker");
            await device.PublishTelemetryAsync(TestFrames.Run(Now - 60_000 + second * 1000L, 1, pitch: 5));
            await Task.Delay(100, Ct);
        }
    }

    ServerOptions ServerOn(int port) => new()
    {
        Mqtt = new MqttBrokerAddress("127.0.0.1", port, _serverCredential.UserName, _serverCredential.Password),
        Http = new HttpEndpoint(IPAddress.Loopback, 0),
        Management = new HttpEndpoint(IPAddress.Loopback, 0),
        Store = StoreLocation.Parse("sqlite:" + _dir.File("server.db")),
    };

    /// <summary>The same credential across the broker's restarts, as an external broker keeps its users.</summary>
    readonly ServerCredential _serverCredential = new();

    async Task<EmbeddedBroker> StartBrokerAsync(int port)
    {
        _brokerDb ??= await AppDatabase.OpenAsync(_dir.File("broker-app.db"), Ct);
        var access = new BrokerAccess(new DeviceRegistry(_brokerDb, _clock), _serverCredential, allowUnprovisioned: true);
        var broker = new EmbeddedBroker(IPAddress.Loopback, port, new IngestionStats(), _clock, NullLogger<EmbeddedBroker>.Instance, access);
        await broker.StartAsync();
        return broker;
    }

    AppDatabase? _brokerDb;
}
