using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Broker;

/// <summary>
/// The zero set-up broker: an MQTTnet server on one address (loopback by default; it has no
/// authentication), with persistent sessions so the server's QoS 1 subscription survives a
/// reconnect, and <see cref="PublishPolicy"/> enforced on every publish.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    readonly MqttServer _server;
    readonly IngestionStats _stats;
    readonly TimeProvider _clock;
    readonly ILogger _log;

    public EmbeddedBroker(IPAddress address, int port, IngestionStats stats, TimeProvider clock, ILogger<EmbeddedBroker> log)
    {
        _stats = stats;
        _clock = clock;
        _log = log;
        var builder = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            // A restarted server can listen again at once, despite connections of the previous run in TIME_WAIT.
            .WithDefaultEndpointReuseAddress()
            .WithPersistentSessions();
        // One listener only: MQTTnet otherwise also listens on IPv6 "any", which would open the
        // broker beyond the address asked for.
        builder = address.AddressFamily == AddressFamily.InterNetworkV6
            ? builder.WithDefaultEndpointBoundIPV6Address(address).WithDefaultEndpointBoundIPAddress(IPAddress.None)
            : builder.WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None);
        Options = builder.Build();
        Address = address;
        _server = new MqttServerFactory().CreateMqttServer(Options);
        _server.InterceptingPublishAsync += OnPublishAsync;
    }

    public MqttServerOptions Options { get; }
    public IPAddress Address { get; }

    /// <summary>The bound port; after <see cref="StartAsync"/> the real one even when 0 was asked for.</summary>
    public int Port => Options.DefaultEndpointOptions.Port;

    public async Task StartAsync()
    {
        try
        {
            await _server.StartAsync();
        }
        catch (SocketException ex)
        {
            throw new IOException($"the embedded MQTT broker cannot listen on {Address}:{Port}: {ex.Message}", ex);
        }
        _log.Listening(Address, Port);
    }

    public async Task StopAsync()
    {
        if (_server.IsStarted) await _server.StopAsync(new MqttServerStopOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server.Dispose();
    }

    Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (PublishPolicy.Check(e.ClientId, topic) is not { } refusal) return Task.CompletedTask;

        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.Response.ReasonString = refusal.Detail;
        _stats.Reject(refusal.Reason, refusal.Detail, topic, _clock.GetUtcNow().ToUnixTimeMilliseconds());
        _log.RefusedPublish(topic, refusal.Detail);
        return Task.CompletedTask;
    }
}
