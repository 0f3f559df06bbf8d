using System.Buffers;
using System.Text;
using System.Threading.Channels;
using PostureSense.Core.Contract;
using PostureSense.Integration.Tests.Broker;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Two server nodes, a and b, sharing one app database, one broker share group, one InfluxDB and a
/// cluster through Redis, and one device connected to the broker, listening on its command topic
/// as the wearable does.
/// </summary>
sealed class TwoNodeCluster : IAsyncDisposable
{
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "server-pw";
    const string DevicePassword = "device-pw";

    readonly List<IAsyncDisposable> _owned = [];
    readonly Channel<DeviceCommand> _commands = Channel.CreateUnbounded<DeviceCommand>();
    MqttTestClient _device = null!;
    long _seq;

    TwoNodeCluster(string device) => Device = DeviceId.Parse(device);

    public DeviceId Device { get; }
    public PostureServerProcess A { get; private set; } = null!;
    public PostureServerProcess B { get; private set; } = null!;

    /// <summary>Both nodes' output, for failure messages.</summary>
    public string Logs => $"\n--- node a:\n{A.Output}\n--- node b:\n{B.Output}";

    /// <param name="prepareAppDb">Makes the accounts in the app database before the nodes start, as an operator would.</param>
    /// <param name="nodeOptions">More options for node a or b, such as its silo's TLS.</param>
    public static async Task<TwoNodeCluster> StartAsync(string device, Func<string, Task> prepareAppDb, CancellationToken ct,
        Func<string, IEnumerable<string>>? nodeOptions = null)
    {
        var cluster = new TwoNodeCluster(device);
        try
        {
            await cluster.StartAsync(prepareAppDb, nodeOptions ?? (_ => []), ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    async Task StartAsync(Func<string, Task> prepareAppDb, Func<string, IEnumerable<string>> nodeOptions, CancellationToken ct)
    {
        var users = new Dictionary<string, string> { [Device.Value] = DevicePassword, [ServerUser] = ServerPassword };
        var redis = Own(await RedisServer.StartAsync(ct));
        var broker = Own(await MosquittoServer.StartAsync(users, cancellationToken: ct));
        var influx = Own(await InfluxDbServer.StartAsync("posturesense", cancellationToken: ct));
        var appDir = new TempDirectory();
        _owned.Add(new DisposeAsAsync(appDir));
        var appDb = appDir.File("app.db");
        await prepareAppDb(appDb);
        var mqtt = $"mqtt://{ServerUser}:{ServerPassword}@127.0.0.1:{broker.Port}";
        var store = $"influxdb://127.0.0.1:{influx.HttpPort}/posturesense";

        // Both on the one app database, started together.
        var starting = new[] { "a", "b" }.Select(name => PostureServerProcess.StartAsync(mqtt, store, ct,
            ["--mqtt-share", "ingest", "--mqtt-client-id", $"posturesense-server-{name}", "--cluster", redis.Url, "--app-db", appDb, .. nodeOptions(name)])).ToList();
        try
        {
            var nodes = await Task.WhenAll(starting);
            (A, B) = (nodes[0], nodes[1]);
        }
        finally
        {
            // The nodes that did start must not outlive the test.
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) _owned.Add(await node);
        }

        _device = Own(await MqttTestClient.ConnectAsync(broker, Device.Value, DevicePassword));
        var commandTopic = Topics.For(Device, Topics.Command);
        _device.Client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == commandTopic)
                _commands.Writer.TryWrite(WireFormat.ParseCommand(e.ApplicationMessage.Payload.ToArray(), DateTimeOffset.UtcNow).Value!);
            return Task.CompletedTask;
        };
        Assert.True((int)await _device.SubscribeAsync(commandTopic) <= 2, "the device may read its commands");
    }

    /// <summary>Hunched for <paramref name="length"/> ending now, in 30 s batches the broker hands round robin to the nodes.</summary>
    public async Task PublishHunchAsync(TimeSpan length)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        var telemetry = Topics.For(Device, Topics.Telemetry);
        foreach (var batch in TestFrames.Run(now - (long)length.TotalMilliseconds, (int)length.TotalSeconds, pitch: 30).Batches(30))
            await _device.PublishAsync(telemetry, Encoding.UTF8.GetString(TestFrames.Batch(++_seq, batch)));
    }

    /// <summary>
    /// The last <paramref name="seconds"/> s in one batch, as a device whose clock is
    /// <paramref name="behind"/> slow stamps them; published every <paramref name="seconds"/> s, a live stream.
    /// </summary>
    public async Task PublishLiveBatchAsync(TimeSpan behind, int seconds, double pitch)
    {
        var newest = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)behind.TotalMilliseconds - 1000;
        var frames = TestFrames.Run(newest - (seconds - 1) * 1000L, seconds, pitch);
        await _device.PublishAsync(Topics.For(Device, Topics.Telemetry), Encoding.UTF8.GetString(TestFrames.Batch(++_seq, frames)));
    }

    /// <summary>The next stretch command for <paramref name="reason"/> the device gets (others are passed over).</summary>
    public async Task<DeviceCommand> NextPromptAsync(string reason, TimeSpan timeout, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(timeout);
        try
        {
            DeviceCommand command;
            do command = await _commands.Reader.ReadAsync(wait.Token);
            while (command.Type != DeviceCommand.Types.Stretch || command.Reason != reason);
            return command;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"no {reason} prompt within {timeout.TotalSeconds:0} s{Logs}");
            throw;
        }
    }

    T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        // Device and nodes first, then what they use.
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
    }
}
