using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Tests.Support;

/// <summary>
/// A real server in-process: embedded broker and HTTP on free loopback ports, SQLite in a temp
/// file, coaching on a fake clock. MQTTnet itself runs on real time; event time is the frames'.
/// </summary>
public sealed class ServerHarness : IAsyncDisposable
{
    readonly List<TestDevice> _devices = [];
    readonly ILoggerFactory _loggers;

    ServerHarness(PostureServer server, FakeTimeProvider clock, string dbPath, TestLoggerProvider logs, ILoggerFactory loggers)
    {
        Server = server;
        Clock = clock;
        DbPath = dbPath;
        Logs = logs;
        _loggers = loggers;
        Http = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        server.PromptSent += (id, cmd) => PromptsSent.Enqueue((id, cmd));
        server.AckReceived += (id, ack) => AcksReceived.Enqueue((id, ack));
    }

    public PostureServer Server { get; }
    public FakeTimeProvider Clock { get; }
    public string DbPath { get; }
    public TestLoggerProvider Logs { get; }
    public HttpClient Http { get; }
    public ConcurrentQueue<(string DeviceId, DeviceCommand Command)> PromptsSent { get; } = new();
    public ConcurrentQueue<(string DeviceId, CommandAck Ack)> AcksReceived { get; } = new();

    public static async Task<ServerHarness> StartAsync(string dbPath, FakeTimeProvider? clock = null)
    {
        clock ??= new FakeTimeProvider(TestFrames.Morning);
        var logs = new TestLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var options = new ServerOptions
        {
            EmbeddedBrokerAddress = IPAddress.Loopback,
            EmbeddedBrokerPort = 0,
            Http = new HttpEndpoint(IPAddress.Loopback, 0),
            Store = StoreLocation.Parse("sqlite:" + dbPath),
        };
        var server = new PostureServer(options, clock, loggers);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new ServerHarness(server, clock, dbPath, logs, loggers);
    }

    /// <summary>A device client connected with its own id as client id, subscribed to its cmd topic.</summary>
    public async Task<TestDevice> ConnectDeviceAsync(string clientId, string? deviceId = null, DeviceStatus? will = null)
    {
        var device = await TestDevice.ConnectAsync(Server.MqttPort, clientId, deviceId ?? clientId, will);
        _devices.Add(device);
        return device;
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

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync();
        Http.Dispose();
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
