using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Integration.Tests.Broker;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Three server nodes in one share group on mosquitto, clustered through Redis, storing to one
/// InfluxDB: each device's batches are spread over the nodes, yet its coach is one (a grain), so
/// every episode gets one prompt, neither missed nor repeated.
/// </summary>
public sealed class ClusterPromptTests
{
    const int Devices = 12;
    const int FramesPerBatch = 30;
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "server-pw";

    static string DeviceName(int i) => $"fleet-{i:D2}";

    /// <summary>Even devices hunch for 6 minutes (a hunch prompt at 5); odd ones sit upright and still for 31 (a sitting prompt at 30).</summary>
    static (string Reason, List<PostureFrame> Frames) DayEndingNow(int i, long now) =>
        i % 2 == 0
            ? ("hunch", TestFrames.Run(now - 6 * 60_000, 6 * 60, pitch: 30))
            : ("sitting", TestFrames.Run(now - 31 * 60_000, 31 * 60, pitch: 5));

    [Fact]
    public async Task Each_device_is_prompted_exactly_once_whichever_nodes_its_batches_reach()
    {
        var ct = TestContext.Current.CancellationToken;
        var users = Enumerable.Range(0, Devices).Select(DeviceName).ToDictionary(id => id, id => "pw-" + id);
        users[ServerUser] = ServerPassword;
        await using var redis = await RedisServer.StartAsync(ct);
        await using var broker = await MosquittoServer.StartAsync(users, cancellationToken: ct);
        await using var influx = await InfluxDbServer.StartAsync("posturesense", cancellationToken: ct);
        using var appDir = new TempDirectory();
        var mqtt = $"mqtt://{ServerUser}:{ServerPassword}@127.0.0.1:{broker.Port}";
        var store = $"influxdb://127.0.0.1:{influx.HttpPort}/posturesense";

        // Each node its own MQTT client id, the same share group and cluster; started together.
        var starting = new[] { "a", "b", "c" }.Select(name => PostureServerProcess.StartAsync(mqtt, store, ct,
            "--mqtt-share", "ingest", "--mqtt-client-id", $"posturesense-server-{name}", "--cluster", redis.Url,
            // Each its own app database: nodes opening one at the same moment would race to make its schema.
            "--app-db", appDir.File($"app-{name}.db"))).ToList();
        PostureServerProcess[] nodes;
        try
        {
            nodes = await Task.WhenAll(starting);
        }
        catch
        {
            // The nodes that did start must not outlive the test.
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) await (await node).DisposeAsync();
            throw;
        }
        await using var first = nodes[0];
        await using var second = nodes[1];
        await using var third = nodes[2];

        var received = new ConcurrentDictionary<string, ConcurrentQueue<DeviceCommand>>();
        var devices = new List<MqttTestClient>();
        try
        {
            for (var i = 0; i < Devices; i++)
            {
                var id = DeviceName(i);
                var device = await MqttTestClient.ConnectAsync(broker, id, users[id]);
                devices.Add(device);
                var commands = received.GetOrAdd(id, _ => new ConcurrentQueue<DeviceCommand>());
                var commandTopic = Topics.For(DeviceId.Parse(id), Topics.Command);
                device.Client.ApplicationMessageReceivedAsync += e =>
                {
                    if (e.ApplicationMessage.Topic == commandTopic)
                        commands.Enqueue(WireFormat.ParseCommand(e.ApplicationMessage.Payload.ToArray(), DateTimeOffset.UtcNow).Value
                                         ?? throw new InvalidOperationException("the server sent an invalid command"));
                    return Task.CompletedTask;
                };
                Assert.True((int)await device.SubscribeAsync(commandTopic) <= 2, $"{id} may read its commands");
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
            var expected = Enumerable.Range(0, Devices).ToDictionary(DeviceName, i => DayEndingNow(i, now));
            // Every device at once, each its batches in order: the broker hands them round robin to the nodes.
            await Task.WhenAll(devices.Select(async (device, i) =>
            {
                var id = DeviceName(i);
                var topic = Topics.For(DeviceId.Parse(id), Topics.Telemetry);
                var seq = 0L;
                foreach (var batch in expected[id].Frames.Batches(FramesPerBatch))
                    await device.PublishAsync(topic, Encoding.UTF8.GetString(TestFrames.Batch(++seq, batch)));
            }));

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (received.Values.Any(q => q.IsEmpty) && DateTime.UtcNow < deadline) await Task.Delay(200, ct);
            // Longer than a grain waits for a missing batch: a second prompt would have come by now.
            await Task.Delay(TimeSpan.FromSeconds(6), ct);

            var logs = string.Concat(nodes.Select((node, n) => $"\n--- node {n}:\n{node.Output}"));
            foreach (var (id, (reason, _)) in expected)
            {
                var commands = received[id].ToArray();
                Assert.True(commands.Length == 1, $"{id}: {commands.Length} commands ({string.Join(", ", commands.Select(c => c.Reason))}), expected one {reason}{logs}");
                Assert.Equal((DeviceCommand.Types.Stretch, reason), (commands[0].Type, commands[0].Reason));
            }

            // Stored once, as the command the device got.
            var stored = await StoredPromptsAsync(influx, ct);
            foreach (var (id, (reason, _)) in expected)
                Assert.Equal([(received[id].Single().Id, reason)], stored.GetValueOrDefault(id) ?? []);

            var byNode = new List<long>();
            foreach (var node in nodes) byNode.Add(await FramesStoredAsync(node, ct));
            Assert.True(byNode.All(n => n > 0), $"every node takes part: {string.Join(", ", byNode)} frames");
            Assert.Equal(expected.Values.Sum(e => (long)e.Frames.Count), byNode.Sum());
        }
        finally
        {
            foreach (var device in devices) await device.DisposeAsync();
        }
    }

    /// <summary>Each device's stored prompts: command id and reason.</summary>
    static async Task<Dictionary<string, List<(string Id, string Reason)>>> StoredPromptsAsync(InfluxDbServer influx, CancellationToken ct)
    {
        using var result = await influx.QueryAsync("SELECT command_id FROM prompt GROUP BY device, reason", ct);
        var prompts = new Dictionary<string, List<(string, string)>>();
        var first = result.RootElement.GetProperty("results")[0];
        if (!first.TryGetProperty("series", out var series)) return prompts;
        foreach (var s in series.EnumerateArray())
        {
            var tags = s.GetProperty("tags");
            var device = tags.GetProperty("device").GetString()!;
            var reason = tags.GetProperty("reason").GetString()!;
            var list = prompts.TryGetValue(device, out var l) ? l : prompts[device] = [];
            foreach (var row in s.GetProperty("values").EnumerateArray()) list.Add((row[1].GetString()!, reason));
        }
        return prompts;
    }

    static async Task<long> FramesStoredAsync(PostureServerProcess server, CancellationToken ct)
    {
        using var http = await server.OperatorClientAsync(ct);
        var stats = await http.GetFromJsonAsync<JsonElement>("/api/stats", ct);
        return stats.GetProperty("framesStored").GetInt64();
    }
}
