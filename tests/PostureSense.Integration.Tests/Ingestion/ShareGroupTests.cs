using System.Net.Http.Json;
using System.Text.Json;
using PostureSense.FirmwareSim.Load;

namespace PostureSense.Integration.Tests.Ingestion;

/// <summary>
/// Scale-out: two servers in one share group behind mosquitto (the shipped config, with its
/// $share ACL lines) each take part of the fleet's messages, and together store every frame.
/// </summary>
public sealed class ShareGroupTests
{
    [Fact]
    public async Task Two_servers_in_a_share_group_split_the_fleet_and_store_every_frame()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new FleetOptions
        {
            Host = "127.0.0.1", Port = 0, Devices = 20, FramesPerBatch = 5, BatchesPerDevice = 30,
            Credentials = id => (id, "pw-" + id),
        };
        var users = Enumerable.Range(0, options.Devices).Select(options.DeviceId).ToDictionary(id => id, id => "pw-" + id);
        users["posturesense-server"] = "server-pw";
        await using var broker = await MosquittoServer.StartAsync(users, cancellationToken: ct);
        await using var influx = await InfluxDbServer.StartAsync("posturesense", cancellationToken: ct);
        var mqtt = $"mqtt://posturesense-server:server-pw@127.0.0.1:{broker.Port}";
        var store = $"influxdb://127.0.0.1:{influx.HttpPort}/posturesense";
        // Each server needs its own MQTT client id; the group shares the subscription.
        await using var first = await PostureServerProcess.StartAsync(mqtt, store, ct, "--mqtt-share", "ingest", "--mqtt-client-id", "posturesense-server-a");
        await using var second = await PostureServerProcess.StartAsync(mqtt, store, ct, "--mqtt-share", "ingest", "--mqtt-client-id", "posturesense-server-b");

        await using var fleet = await DeviceFleet.ConnectAsync(options with { Port = broker.Port }, ct);
        await fleet.RunAsync(ct);
        var total = (long)options.Devices * options.FramesPerDevice;

        long stored = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (stored < total && DateTime.UtcNow < deadline)
        {
            using var count = await influx.QueryAsync("SELECT count(pitch) FROM posture", ct);
            var series = count.RootElement.GetProperty("results")[0];
            stored = series.TryGetProperty("series", out var s) ? s[0].GetProperty("values")[0][1].GetInt64() : 0;
            if (stored < total) await Task.Delay(250, ct);
        }
        Assert.Equal(total, stored);
        var byFirst = await FramesStoredAsync(first, ct);
        var bySecond = await FramesStoredAsync(second, ct);
        Assert.True(byFirst > 0 && bySecond > 0, $"both servers take part: {byFirst} and {bySecond} frames");
        // Shared delivery sends each message to one member: no frame is written twice.
        Assert.Equal(total, byFirst + bySecond);
    }

    static async Task<long> FramesStoredAsync(PostureServerProcess server, CancellationToken ct)
    {
        using var http = await server.OperatorClientAsync(ct);
        var stats = await http.GetFromJsonAsync<JsonElement>("/api/stats", ct);
        return stats.GetProperty("framesStored").GetInt64();
    }
}
