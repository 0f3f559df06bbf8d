using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Accounts.Devices;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.TestSupport.Server;

/// <summary>
/// A real server in-process: embedded broker and HTTP on free loopback ports, SQLite in a temp
/// file, coaching on a fake clock. MQTTnet itself runs on real time; event time is the frames'.
/// </summary>
public sealed class ServerHarness : IAsyncDisposable
{
    readonly List<TestDevice> _devices = [];
    readonly ILoggerFactory _loggers;

    readonly List<HttpClient> _clients = [];

    public const string WearerEmail = "wearer@example.org";
    public const string WearerPassword = "correct horse battery";

    ServerHarness(PostureServer server, FakeTimeProvider clock, string dbPath, TestLoggerProvider logs, ILoggerFactory loggers)
    {
        Server = server;
        Clock = clock;
        DbPath = dbPath;
        Logs = logs;
        _loggers = loggers;
        Http = NewClient();
        Anonymous = NewClient();
        server.PromptSent += (id, cmd) => PromptsSent.Enqueue((id.Value, cmd));
        server.AckReceived += (id, ack) => AcksReceived.Enqueue((id.Value, ack));
    }

    public PostureServer Server { get; }
    public FakeTimeProvider Clock { get; }
    public string DbPath { get; }
    public TestLoggerProvider Logs { get; }
    /// <summary>Signed in as <see cref="WearerEmail"/>, who owns the devices given at start.</summary>
    public HttpClient Http { get; }
    /// <summary>No session.</summary>
    public HttpClient Anonymous { get; }
    /// <summary>On the management address (health, metrics).</summary>
    public HttpClient Management => _management ??= new HttpClient { BaseAddress = Server.ManagementUrl, Timeout = TimeSpan.FromSeconds(30) };
    HttpClient? _management;
    public long WearerId { get; private set; }
    public ConcurrentQueue<(string DeviceId, DeviceCommand Command)> PromptsSent { get; } = new();
    public ConcurrentQueue<(string DeviceId, CommandAck Ack)> AcksReceived { get; } = new();

    /// <param name="owned">The devices the harness's wearer claims.</param>
    public static async Task<ServerHarness> StartAsync(string dbPath, FakeTimeProvider? clock = null, IReadOnlyList<string>? owned = null,
        Func<ServerOptions, ServerOptions>? configure = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        clock ??= new FakeTimeProvider(TestFrames.Morning);
        var logs = new TestLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var options = new ServerOptions
        {
            EmbeddedBrokerAddress = IPAddress.Loopback,
            EmbeddedBrokerPort = 0,
            Http = new HttpEndpoint(IPAddress.Loopback, 0),
            Management = new HttpEndpoint(IPAddress.Loopback, 0),
            Store = StoreLocation.Parse("sqlite:" + dbPath),
            AlertDelivery = new PostureSense.Server.Configuration.AlertDeliveryOptions { FirstDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5) },
        };
        var server = new PostureServer(configure is null ? options : configure(options), clock, loggers, configureServices);
        await server.StartAsync(TestContext.Current.CancellationToken);
        var harness = new ServerHarness(server, clock, dbPath, logs, loggers);
        harness.WearerId = await harness.AddWearerAsync(WearerEmail, WearerPassword, owned ?? ["desk-1"]);
        await harness.SignInAsync(harness.Http, WearerEmail, WearerPassword);
        return harness;
    }

    /// <summary>A wearer (made, or found when the database already has them) who claims <paramref name="devices"/>.</summary>
    public async Task<long> AddWearerAsync(string email, string password, IReadOnlyList<string> devices)
    {
        var accounts = Server.Accounts;
        var made = await accounts.SignUpAsync(email, password, TestContext.Current.CancellationToken);
        var wearer = made.Wearer ?? await accounts.SignInAsync(email, password, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"cannot make or find {email}: {string.Join("; ", made.Problems)}");
        foreach (var device in devices)
            Assert.True((await accounts.AssignAsync(wearer.Id, device, TestContext.Current.CancellationToken)).Succeeded, $"claim {device}");
        return wearer.Id;
    }

    /// <summary>A client with its own cookie jar, which keeps Secure cookies too (<see cref="ProxiedCookies"/>); not signed in.</summary>
    public HttpClient NewClient()
    {
        var client = new HttpClient(new ProxiedCookies())
        {
            BaseAddress = Server.HttpUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _clients.Add(client);
        return client;
    }

    public async Task SignInAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/account/login", new { email, password }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"sign in as {email}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A device client connected with its own id as client id, subscribed to its cmd topic; the
    /// client id is provisioned first, as an operator would, and connects with its password.
    /// </summary>
    public async Task<TestDevice> ConnectDeviceAsync(string clientId, string? deviceId = null, DeviceStatus? will = null)
    {
        var secrets = await ProvisionAsync(clientId);
        var device = await TestDevice.ConnectAsync(Server.MqttPort, clientId, deviceId ?? clientId, will, secrets.Password, Clock);
        _devices.Add(device);
        return device;
    }

    /// <summary>The device's broker password and pairing code, provisioned once per harness (as <c>posturesense device add</c> does).</summary>
    public async Task<DeviceSecrets> ProvisionAsync(string deviceId)
    {
        if (_provisioned.TryGetValue(deviceId, out var known)) return known;
        var secrets = await Server.Accounts.Devices.ProvisionAsync(DeviceId.Parse(deviceId), cancellationToken: TestContext.Current.CancellationToken);
        return _provisioned.GetOrAdd(deviceId, secrets);
    }

    readonly ConcurrentDictionary<string, DeviceSecrets> _provisioned = new(StringComparer.Ordinal);

    /// <summary>Claims the device through the API as the client's wearer: with its pairing code (provisioning it) unless another is given.</summary>
    public async Task<HttpResponseMessage> ClaimAsync(HttpClient client, string deviceId, string? pairingCode = null)
    {
        pairingCode ??= (await ProvisionAsync(deviceId)).PairingCode;
        return await client.PostAsJsonAsync($"/api/devices/{deviceId}/claim", new { pairingCode }, TestContext.Current.CancellationToken);
    }

    /// <summary>Waits (real time) until ingestion has reached a verdict on this many messages in total.</summary>
    public Task WaitForProcessedAsync(long count) =>
        Eventually.TrueAsync(() => Server.Stats.Processed >= count, $"ingestion to process {count} messages (at {Server.Stats.Processed})");

    /// <summary>
    /// Publishes frames the way a live device does: batch by batch, the clock moved to just after
    /// each batch's last frame, each batch processed before the next.
    /// </summary>
    public async Task SendLiveAsync(TestDevice device, IReadOnlyList<PostureFrame> frames)
    {
        foreach (var batch in frames.Batches())
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(batch[^1].Ts + 1000);
            if (now > Clock.GetUtcNow()) Clock.SetUtcNow(now);
            await SendAsync(device, batch);
        }
    }

    /// <summary>Publishes frames without touching the clock (a backlog, or frames made for it).</summary>
    public async Task SendAsync(TestDevice device, IReadOnlyList<PostureFrame> frames)
    {
        foreach (var batch in frames.Batches())
        {
            var before = Server.Stats.Processed;
            await device.PublishTelemetryAsync(batch);
            await WaitForProcessedAsync(before + 1);
        }
    }

    /// <summary>Connects a fresh client to the broker and waits for the device's retained config that matches.</summary>
    public async Task<DeviceConfig> RetainedConfigAsync(string deviceId, Func<DeviceConfig, bool> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        DeviceConfig? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var received = new ConcurrentQueue<(bool Retained, byte[] Payload)>();
            using var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e =>
            {
                received.Enqueue((e.ApplicationMessage.Retain, e.ApplicationMessage.Payload.ToArray()));
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Server.MqttPort)
                .WithClientId(deviceId).WithCredentials(deviceId, (await ProvisionAsync(deviceId)).Password)
                .WithProtocolVersion(MqttProtocolVersion.V500).Build(), TestContext.Current.CancellationToken);
            await client.SubscribeAsync(Topics.For(DeviceId.Parse(deviceId), Topics.Config), MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
            await Task.Delay(200, TestContext.Current.CancellationToken);
            await client.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);
            foreach (var (retained, payload) in received)
            {
                var parsed = WireFormat.ParseConfig(payload, Clock.GetUtcNow());
                Assert.True(parsed.Ok, parsed.Error);
                Assert.True(retained, "the config arrives as a retained message");
                last = parsed.Value!;
                if (expected(last)) return last;
            }
        }
        Assert.Fail($"no retained config for {deviceId} as expected; last seen: {last}");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync();
        foreach (var client in _clients) client.Dispose();
        _management?.Dispose();
        await Server.DisposeAsync();
        _loggers.Dispose();
    }
}

public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
