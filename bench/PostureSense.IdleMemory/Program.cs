using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

// Whether the server's memory goes back down once a fleet has gone quiet: every device sends one
// batch over MQTT, then the domain clock moves past --device-idle and the sweep lets them go.
// The server runs in-process so its managed heap can be read after a full collection.
var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
const int Parallel = 32;
var idle = TimeSpan.FromMinutes(10);

var folder = Directory.CreateTempSubdirectory("posturesense-idle-memory-").FullName;
try
{
    var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
    var server = new PostureServer(new ServerOptions
    {
        EmbeddedBrokerAddress = IPAddress.Loopback,
        EmbeddedBrokerPort = 0,
        Http = new HttpEndpoint(IPAddress.Loopback, 0),
        Management = new HttpEndpoint(IPAddress.Loopback, 0),
        Store = StoreLocation.Parse("sqlite:" + Path.Combine(folder, "store.db")),
        AppDatabase = Path.Combine(folder, "app.db"),
        DeviceIdle = idle,
        // What is measured is the state the server builds per device as it sends, not the credentials
        // an operator provisioned (those stay for good, by design).
        AllowUnprovisionedDevices = true,
    }, clock, NullLoggerFactory.Instance);
    await server.StartAsync();
    await using var _ = server;
    var coaching = server.Services.GetRequiredService<CoachingService>();

    var start = Heap();
    Console.WriteLine($"{devices} devices, one 5-frame batch each, idle limit {idle}");
    Console.WriteLine($"start:           {Mb(start)}");

    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) <= devices) await SendOneBatchAsync(server.MqttPort, $"idle-{i}", clock.GetUtcNow());
    }));
    while (server.Stats.Processed < devices) await Task.Delay(100);
    while (coaching.HeldDevices < devices) await Task.Delay(100);
    var peak = Heap();
    Console.WriteLine($"peak:            {Mb(peak)} ({coaching.HeldDevices} devices held)");

    // Time passes a minute at a time: the sweep runs every minute of the domain clock.
    for (var minute = 0; coaching.HeldDevices > 0 && minute < 60; minute++)
    {
        clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(200);
    }
    var after = Heap();
    Console.WriteLine($"after eviction:  {Mb(after)} ({coaching.HeldDevices} devices held)");
    Console.WriteLine($"after / start:   {after / (double)start:0.00}; peak / start: {peak / (double)start:0.00}");
    return after <= start * 1.2 ? 0 : 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static long Heap()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

static async Task SendOneBatchAsync(int port, string deviceId, DateTimeOffset now)
{
    using var client = new MqttClientFactory().CreateMqttClient();
    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(deviceId)
        .WithProtocolVersion(MqttProtocolVersion.V500).Build());
    var t0 = now.ToUnixTimeMilliseconds() - 5000;
    var frames = Enumerable.Range(0, 5).Select(s => new PostureFrame(t0 + s * 1000, 5, 0, 0.01, 0)).ToList();
    await client.PublishAsync(new MqttApplicationMessageBuilder()
        .WithTopic(Topics.For(DeviceId.Parse(deviceId), Topics.Telemetry))
        .WithPayload(WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, 1, frames)))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build());
    await client.DisconnectAsync();
}
