using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Integration.Tests.Broker;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Three server nodes in one share group on mosquitto, clustered through Redis, storing to one
/// InfluxDB, and a fleet of devices each listening on its command topic, as the wearable does.
/// </summary>
sealed class ClusterFleet : IAsyncDisposable
{
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "server-pw";

    readonly List<IAsyncDisposable> _owned = [];
    readonly List<MqttTestClient> _devices = [];

    ClusterFleet(int devices) => DeviceIds = [.. Enumerable.Range(0, devices).Select(i => $"fleet-{i:D2}")];

    public IReadOnlyList<string> DeviceIds { get; }
    public InfluxDbServer Influx { get; private set; } = null!;
    public PostureServerProcess[] Nodes { get; private set; } = [];

    /// <summary>Each device's commands as it received them (the broker may deliver one twice: at least once).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<DeviceCommand>> Received { get; } = new();

    /// <summary>Every node's output, for failure messages.</summary>
    public string Logs => string.Concat(Nodes.Select((node, n) => $"\n--- node {n}:\n{node.Output}"));

    public static async Task<ClusterFleet> StartAsync(int devices, CancellationToken ct)
    {
        var fleet = new ClusterFleet(devices);
        try
        {
            await fleet.StartAsync(ct);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    async Task StartAsync(CancellationToken ct)
    {
        var users = DeviceIds.ToDictionary(id => id, id => "pw-" + id);
        users[ServerUser] = ServerPassword;
        var redis = Own(await RedisServer.StartAsync(ct));
        var broker = Own(await MosquittoServer.StartAsync(users, cancellationToken: ct));
        Influx = Own(await InfluxDbServer.StartAsync("posturesense", cancellationToken: ct));
        var appDir = new TempDirectory();
        _owned.Add(new DisposeAsAsync(appDir));
        var mqtt = $"mqtt://{ServerUser}:{ServerPassword}@127.0.0.1:{broker.Port}";
        var store = $"influxdb://127.0.0.1:{Influx.HttpPort}/posturesense";

        // Each node its own MQTT client id, the same share group and cluster; started together.
        var starting = new[] { "a", "b", "c" }.Select(name => PostureServerProcess.StartAsync(mqtt, store, ct,
            "--mqtt-share", "ingest", "--mqtt-client-id", $"posturesense-server-{name}", "--cluster", redis.Url,
            // Each its own app database: nodes opening one at the same moment would race to make its schema.
            "--app-db", appDir.File($"app-{name}.db"))).ToList();
        try
        {
            Nodes = await Task.WhenAll(starting);
        }
        finally
        {
            // The nodes that did start must not outlive the test.
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) _owned.Add(await node);
        }

        foreach (var id in DeviceIds)
        {
            var device = await MqttTestClient.ConnectAsync(broker, id, users[id]);
            _devices.Add(device);
            var commands = Received.GetOrAdd(id, _ => new ConcurrentQueue<DeviceCommand>());
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
    }

    T Own<T>(T server) where T : IAsyncDisposable
    {
        _owned.Add(server);
        return server;
    }

    /// <summary>
    /// Publishes a device's batches in order (seq from <paramref name="firstSeq"/>), each at QoS 1;
    /// throws unless the broker acknowledged every one of them.
    /// </summary>
    /// <param name="published">Called after each acknowledged batch.</param>
    public async Task PublishAsync(int device, IEnumerable<List<PostureFrame>> batches, long firstSeq, Action? published = null)
    {
        var topic = Topics.For(DeviceId.Parse(DeviceIds[device]), Topics.Telemetry);
        var seq = firstSeq;
        foreach (var batch in batches)
        {
            var result = await _devices[device].PublishAsync(topic, Encoding.UTF8.GetString(TestFrames.Batch(seq++, batch)));
            Assert.True(result.IsSuccess, $"{DeviceIds[device]}: the broker refused batch {seq - 1}: {result.ReasonCode}");
            published?.Invoke();
        }
    }

    /// <summary>Waits until every device got a command, then long enough that a second one would have come too.</summary>
    public async Task WaitForPromptsAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received.Values.Any(q => q.IsEmpty) && DateTime.UtcNow < deadline) await Task.Delay(200, ct);
        // Longer than a grain waits for a missing batch: a second prompt would have come by now.
        await Task.Delay(TimeSpan.FromSeconds(6), ct);
    }

    /// <summary>
    /// Asserts each device got exactly one stretch command, for <paramref name="reasons"/>' reason,
    /// counted by command id (a redelivery of the same command is not a second prompt), and that
    /// the store holds that one prompt.
    /// </summary>
    public async Task AssertOnePromptEachAsync(IReadOnlyDictionary<string, string> reasons, CancellationToken ct)
    {
        foreach (var (id, reason) in reasons)
        {
            var commands = Received[id].DistinctBy(c => c.Id).ToArray();
            Assert.True(commands.Length == 1, $"{id}: {commands.Length} commands ({string.Join(", ", commands.Select(c => $"{c.Reason} {c.Id}"))}), expected one {reason}{Logs}");
            Assert.Equal((DeviceCommand.Types.Stretch, reason), (commands[0].Type, commands[0].Reason));
        }
        // Stored once, as the command the device got.
        var stored = await StoredPromptsAsync(ct);
        foreach (var (id, reason) in reasons)
            Assert.Equal([(Received[id].First().Id, reason)], stored.GetValueOrDefault(id) ?? []);
    }

    /// <summary>Each device's stored prompts: command id and reason.</summary>
    async Task<Dictionary<string, List<(string Id, string Reason)>>> StoredPromptsAsync(CancellationToken ct)
    {
        using var result = await Influx.QueryAsync("SELECT command_id FROM prompt GROUP BY device, reason", ct);
        var prompts = new Dictionary<string, List<(string, string)>>();
        foreach (var s in Series(result))
        {
            var tags = s.GetProperty("tags");
            var device = tags.GetProperty("device").GetString()!;
            var reason = tags.GetProperty("reason").GetString()!;
            var list = prompts.TryGetValue(device, out var l) ? l : prompts[device] = [];
            foreach (var row in s.GetProperty("values").EnumerateArray()) list.Add((row[1].GetString()!, reason));
        }
        return prompts;
    }

    /// <summary>Each device's frames in the store (a frame stored twice is one point).</summary>
    public async Task<Dictionary<string, long>> StoredFramesAsync(CancellationToken ct)
    {
        using var result = await Influx.QueryAsync("SELECT count(pitch) FROM posture GROUP BY device", ct);
        return Series(result).ToDictionary(
            s => s.GetProperty("tags").GetProperty("device").GetString()!,
            s => s.GetProperty("values")[0][1].GetInt64());
    }

    static List<JsonElement> Series(JsonDocument result)
    {
        var first = result.RootElement.GetProperty("results")[0];
        return first.TryGetProperty("series", out var series) ? series.EnumerateArray().ToList() : [];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync();
        // Nodes first, then what they use.
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
    }
}
