using PostureSense.FirmwareSim.Load;

namespace PostureSense.Integration.Tests.Ingestion;

/// <summary>
/// Nothing lost, nothing doubled, from broker to store, with the parts people deploy: the shipped
/// mosquitto config with real credentials, InfluxDB, and the server as its own process. A fleet
/// publishes at QoS 1 while the server is killed or the store is down; afterwards every frame the
/// broker acknowledged is in InfluxDB exactly once.
/// </summary>
public sealed class AtLeastOnceTests
{
    const string ServerUser = "posturesense-server";
    const string Database = "posturesense";
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_server_killed_and_restarted_under_load_loses_and_doubles_no_frame()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(devices: 20, batchesPerDevice: 60, ct);
        var run = setup.Fleet.RunAsync(ct);

        await WaitForAsync(() => setup.Fleet.FramesAcknowledged >= setup.Total / 3, "a third of the load to be published", ct);
        await setup.Server.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await setup.Server.RestartAsync(ct);
        await run;

        await setup.AssertEveryFrameStoredOnceAsync(ct);
    }

    [Fact]
    public async Task InfluxDB_down_for_30_seconds_under_load_loses_no_frame()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(devices: 20, batchesPerDevice: 60, ct);
        var run = setup.Fleet.RunAsync(ct);

        await WaitForAsync(() => setup.Fleet.FramesAcknowledged >= setup.Total / 4, "a quarter of the load to be published", ct);
        await setup.Influx.StopAsync();
        var storedAtOutage = setup.Fleet.FramesAcknowledged;
        await Task.Delay(TimeSpan.FromSeconds(30), ct);
        // The broker kept taking the devices' batches while the store was down.
        Assert.True(setup.Fleet.FramesAcknowledged > storedAtOutage, "devices could still publish during the outage");
        await setup.Influx.RestartAsync(ct);
        await run;

        await setup.AssertEveryFrameStoredOnceAsync(ct);
    }

    static async Task WaitForAsync(Func<bool> condition, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20, ct);
        }
    }

    sealed class Setup : IAsyncDisposable
    {
        public required MosquittoServer Broker { get; init; }
        public required InfluxDbServer Influx { get; init; }
        public required PostureServerProcess Server { get; init; }
        public required DeviceFleet Fleet { get; init; }
        public long Total => (long)Fleet.Options.Devices * Fleet.Options.FramesPerDevice;

        public static async Task<Setup> StartAsync(int devices, int batchesPerDevice, CancellationToken ct)
        {
            var options = new FleetOptions
            {
                Host = "127.0.0.1", Port = 0, Devices = devices, FramesPerBatch = 5, BatchesPerDevice = batchesPerDevice,
                // Paced so the run lasts long enough to kill the server in the middle of it.
                Interval = TimeSpan.FromMilliseconds(50),
                Credentials = id => (id, "pw-" + id),
            };
            var users = Enumerable.Range(0, devices).Select(options.DeviceId).ToDictionary(id => id, id => "pw-" + id);
            users[ServerUser] = "server-pw";
            var broker = await MosquittoServer.StartAsync(users, cancellationToken: ct);
            var influx = await InfluxDbServer.StartAsync(Database, cancellationToken: ct);
            var server = await PostureServerProcess.StartAsync($"mqtt://{ServerUser}:server-pw@127.0.0.1:{broker.Port}",
                $"influxdb://127.0.0.1:{influx.HttpPort}/{Database}", ct);
            var fleet = await DeviceFleet.ConnectAsync(options with { Port = broker.Port }, ct);
            return new Setup { Broker = broker, Influx = influx, Server = server, Fleet = fleet };
        }

        public async Task AssertEveryFrameStoredOnceAsync(CancellationToken ct)
        {
            Assert.Equal(Total, Fleet.FramesAcknowledged);
            Dictionary<string, long> stored = [];
            var deadline = DateTime.UtcNow + Settle;
            while (true)
            {
                stored = await CountByDeviceAsync(ct);
                if (stored.Values.Sum() >= Total || DateTime.UtcNow > deadline) break;
                await Task.Delay(250, ct);
            }
            Assert.True(stored.Values.Sum() == Total,
                $"InfluxDB holds {stored.Values.Sum()} frames of the {Total} the broker acknowledged.\nServer output:\n{Server.Output}");
            foreach (var (device, published) in Fleet.AcknowledgedByDevice)
                Assert.Equal(published, stored.GetValueOrDefault(device));
        }

        async Task<Dictionary<string, long>> CountByDeviceAsync(CancellationToken ct)
        {
            // A point is (device, time): the count is of distinct frames, so a frame stored twice counts once
            // and a lost one is missing.
            using var result = await Influx.QueryAsync("SELECT count(pitch) FROM posture GROUP BY device", ct);
            var counts = new Dictionary<string, long>();
            if (!result.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series)) return counts;
            foreach (var s in series.EnumerateArray())
                counts[s.GetProperty("tags").GetProperty("device").GetString()!] = s.GetProperty("values")[0][1].GetInt64();
            return counts;
        }

        public async ValueTask DisposeAsync()
        {
            await Fleet.DisposeAsync();
            await Server.DisposeAsync();
            await Influx.DisposeAsync();
            await Broker.DisposeAsync();
        }
    }
}
