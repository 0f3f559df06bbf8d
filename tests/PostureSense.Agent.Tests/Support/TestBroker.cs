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

/// <summary>An in-process MQTTnet broker on a free loopback port, with a client that records everything under posturesense/.</summary>
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

    public static async Task<TestBroker> StartAsync()
    {
        var port = FreePort();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithPersistentSessions().Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync();
        var observer = new MqttClientFactory().CreateMqttClient();
        var broker = new TestBroker(server, port, observer);
        observer.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            broker.Messages.Enqueue(new Seen(m.Topic, Encoding.UTF8.GetString(m.Payload), m.Retain));
            return Task.CompletedTask;
        };
        await observer.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("observer").Build());
        await observer.SubscribeAsync("posturesense/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return broker;
    }

    public IEnumerable<Seen> On(string deviceId, string suffix) =>
        Messages.Where(m => m.Topic == $"posturesense/v1/{deviceId}/{suffix}");

    public Task PublishAsync(string topic, string payload) =>
        _observer.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async ValueTask DisposeAsync()
    {
        if (_observer.IsConnected) await _observer.DisconnectAsync();
        _observer.Dispose();
        await Server.StopAsync();
        Server.Dispose();
    }
}
