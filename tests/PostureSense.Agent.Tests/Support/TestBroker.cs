using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace PostureSense.Agent.Tests.Support;

/// <summary>A message as a subscriber saw it.</summary>
sealed record Seen(string Topic, string Payload, bool Retained);

/// <summary>An in-process MQTTnet broker on a free loopback port, with a client (persistent session, QoS 1) that records everything under posturesense/.</summary>
sealed class TestBroker : IAsyncDisposable
{
    readonly IMqttClient _observer;

    TestBroker(MqttServer server, int port, IMqttClient observer)
    {
        Server = server;
        Port = port;
        _observer = observer;
    }

    public MqttServer Server { get; }
    public int Port { get; }
    public ConcurrentQueue<Seen> Messages { get; } = new();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="port">A given port, e.g. one an agent is already trying to reach; default a free one.</param>
    public static async Task<TestBroker> StartAsync(int? port = null)
    {
        var listenOn = port ?? FreePort();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(listenOn)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithPersistentSessions().Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        // Devices wait until the observer listens, so that it sees everything they send.
        var observing = false;
        TestBroker? created = null;
        server.ValidatingConnectionAsync += e =>
        {
            if ((!Volatile.Read(ref observing) && e.ClientId != "observer") || created?._refused.ContainsKey(e.ClientId) == true)
                e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        var observer = new MqttClientFactory().CreateMqttClient();
        var broker = created = new TestBroker(server, listenOn, observer);
        observer.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            broker.Messages.Enqueue(new Seen(m.Topic, Encoding.UTF8.GetString(m.Payload), m.Retain));
            return Task.CompletedTask;
        };
        await observer.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", listenOn).WithClientId("observer")
            .WithCleanSession(false).Build());
        await observer.SubscribeAsync("posturesense/#", MqttQualityOfServiceLevel.AtLeastOnce);
        Volatile.Write(ref observing, true);
        return broker;
    }

    readonly ConcurrentDictionary<string, bool> _refused = new();

    /// <summary>Refuses this client's connections until <see cref="Admit"/>, as a broker that is down for it would.</summary>
    public void Refuse(string clientId) => _refused[clientId] = true;

    public void Admit(string clientId) => _refused.TryRemove(clientId, out _);

    public IEnumerable<Seen> On(string deviceId, string suffix) =>
        Messages.Where(m => m.Topic == $"posturesense/v1/{deviceId}/{suffix}");

    /// <param name="retain">Kept by the broker for clients that subscribe later, like a server's <c>config</c>.</param>
    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        _observer.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());

    public async ValueTask DisposeAsync()
    {
        if (_observer.IsConnected) await _observer.DisconnectAsync();
        _observer.Dispose();
        await Server.StopAsync();
        Server.Dispose();
    }
}
