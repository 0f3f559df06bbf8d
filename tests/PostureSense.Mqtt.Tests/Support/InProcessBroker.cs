using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace PostureSense.Mqtt.Tests.Support;

/// <summary>An MQTTnet broker in this process on a loopback port, with persistent sessions; it can be stopped and started again on the same port.</summary>
sealed class InProcessBroker : IAsyncDisposable
{
    int _attempts;

    InProcessBroker(MqttServer server, int port)
    {
        Server = server;
        Port = port;
    }

    public MqttServer Server { get; }
    public int Port { get; }

    /// <summary>CONNECTs seen, refused or not.</summary>
    public int ConnectAttempts => Volatile.Read(ref _attempts);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="refuse">Answer every CONNECT with this reason code instead of accepting it.</param>
    public static async Task<InProcessBroker> StartAsync(int? port = null, MqttConnectReasonCode? refuse = null)
    {
        var listenOn = port ?? FreePort();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(listenOn)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithPersistentSessions().Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var broker = new InProcessBroker(server, listenOn);
        server.ValidatingConnectionAsync += e =>
        {
            Interlocked.Increment(ref broker._attempts);
            if (refuse is { } code) e.ReasonCode = code;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        return broker;
    }

    /// <summary>Publishes as the broker itself, QoS 1.</summary>
    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        Server.InjectApplicationMessage(new InjectedMqttApplicationMessage(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build()) { SenderClientId = "test" });

    public async Task<bool> IsClientConnectedAsync(string clientId) =>
        (await Server.GetClientsAsync()).Any(c => c.Id == clientId);

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        Server.Dispose();
    }
}
