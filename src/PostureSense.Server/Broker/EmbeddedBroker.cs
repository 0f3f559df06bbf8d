using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PostureSense.Server.Configuration;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Broker;

/// <summary>
/// The zero set-up broker: an MQTTnet server on one address (loopback by default), with persistent
/// sessions for clients that ask for them. <see cref="BrokerAccess"/>
/// decides every connect and subscription, <see cref="PublishPolicy"/> every publish, and a client
/// that publishes more than <see cref="MaxPacketSize"/> is disconnected. Devices' telemetry, status
/// and acks go to the <see cref="IPublishIntake"/> inside the publish interception, and are
/// acknowledged only once stored (<see cref="IntakeAnswer"/>).
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    readonly MqttServer _server;
    readonly IngestionStats _stats;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly BrokerAccess _access;
    readonly IPublishIntake? _intake;
    readonly CancellationTokenSource _stopping = new();
    // Kept apart from its source: a will can still be published while the broker is disposed.
    readonly CancellationToken _stoppingToken;

    public EmbeddedBroker(IPAddress address, int port, IngestionStats stats, TimeProvider clock, ILogger<EmbeddedBroker> log,
        BrokerAccess access, int maxPacketSize = ServerOptions.DefaultMaxPacketSize, BrokerTlsListener? tls = null, IPublishIntake? intake = null)
    {
        // Devices send their passwords in CONNECT: in clear, only where nobody else can listen.
        if (!IPAddress.IsLoopback(address))
            throw new PostureSense.Core.Configuration.OptionsException(BrokerListeners.PlainBeyondLoopback($"the embedded broker's plain listener on {address}"));
        _access = access;
        _intake = intake;
        _stoppingToken = _stopping.Token;
        MaxPacketSize = maxPacketSize;
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
        if (tls is not null)
        {
            builder = builder.WithEncryptedEndpoint().WithEncryptedEndpointPort(tls.Port).WithEncryptionCertificate(tls.Certificate)
                .WithTlsEndpointReuseAddress();
            builder = tls.Address.AddressFamily == AddressFamily.InterNetworkV6
                ? builder.WithEncryptedEndpointBoundIPV6Address(tls.Address).WithEncryptedEndpointBoundIPAddress(IPAddress.None)
                : builder.WithEncryptedEndpointBoundIPAddress(tls.Address).WithEncryptedEndpointBoundIPV6Address(IPAddress.None);
        }
        Tls = tls;
        Options = builder.Build();
        Address = address;
        _server = new MqttServerFactory().CreateMqttServer(Options);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += OnConnectAsync;
        _server.InterceptingSubscriptionAsync += OnSubscribeAsync;
        _server.InterceptingInboundPacketAsync += OnInboundPacketAsync;
    }

    /// <summary>The largest publish (topic and payload) a client may send.</summary>
    public int MaxPacketSize { get; }

    /// <summary>How the server's own client signs in.</summary>
    public ServerCredential ServerCredential => _access.Server;

    public MqttServerOptions Options { get; }
    public IPAddress Address { get; }

    /// <summary>The bound port; after <see cref="StartAsync"/> the real one even when 0 was asked for.</summary>
    public int Port => Options.DefaultEndpointOptions.Port;

    /// <summary>The TLS listener asked for; null: plain on loopback only.</summary>
    public BrokerTlsListener? Tls { get; }

    /// <summary>The TLS listener's bound port (the real one after <see cref="StartAsync"/>); null without one.</summary>
    public int? TlsPort => Tls is null ? null : Options.TlsEndpointOptions.Port;

    public async Task StartAsync()
    {
        try
        {
            await _server.StartAsync();
        }
        catch (SocketException ex)
        {
            var also = Tls is null ? "" : $" and TLS on {Tls.Address}:{Tls.Port}";
            throw new IOException($"the embedded MQTT broker cannot listen on {Address}:{Port}{also}: {ex.Message}", ex);
        }
        _log.Listening(Address, Port);
        if (Tls is not null) _log.ListeningTls(Tls.Address, Options.TlsEndpointOptions.Port, Tls.Certificate.Subject, Tls.Certificate.NotAfter);
    }

    public async Task StopAsync()
    {
        // Publishes still waiting for their store write end unacknowledged: their devices keep them.
        await _stopping.CancelAsync();
        if (_server.IsStarted) await _server.StopAsync(new MqttServerStopOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server.Dispose();
        _stopping.Dispose();
    }

    async Task OnConnectAsync(ValidatingConnectionEventArgs e)
    {
        var verdict = await _access.CheckConnectAsync(e.ClientId, e.UserName, e.Password, CancellationToken.None);
        if (verdict.Refusal is null) return;
        e.ReasonCode = verdict.ReasonCode;
        _log.RefusedConnection(e.RemoteEndPoint?.ToString(), verdict.Refusal);
    }

    Task OnSubscribeAsync(InterceptingSubscriptionEventArgs e)
    {
        if (BrokerAccess.CheckSubscribe(e.ClientId, e.TopicFilter.Topic) is not { } refusal) return Task.CompletedTask;
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        e.ReasonString = refusal;
        _log.RefusedSubscription(refusal);
        return Task.CompletedTask;
    }

    /// <summary>
    /// MQTTnet has no limit of its own: a publish past it is dropped and its client disconnected,
    /// as MQTT 5 asks of a server whose maximum packet size was exceeded.
    /// </summary>
    Task OnInboundPacketAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is not MqttPublishPacket publish) return Task.CompletedTask;
        var size = publish.Payload.Length + System.Text.Encoding.UTF8.GetByteCount(publish.Topic ?? "");
        if (size <= MaxPacketSize) return Task.CompletedTask;
        e.ProcessPacket = false;
        _stats.Reject(RejectionReasons.Oversized, $"a publish of {size} bytes from client '{e.ClientId}' is over the broker's {MaxPacketSize}",
            publish.Topic ?? "", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        _log.DisconnectingOversized(e.ClientId, size, MaxPacketSize);
        var clientId = e.ClientId;
        // Not awaited here: the disconnect waits for this packet's loop to end.
        _ = Task.Run(async () =>
        {
            try { await _server.DisconnectClientAsync(clientId, MqttDisconnectReasonCode.PacketTooLarge); }
            catch (Exception ex) { _log.GoneBeforeDisconnect(ex, clientId); }
        });
        return Task.CompletedTask;
    }

    async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (PublishPolicy.Check(e.ClientId, topic) is { } refusal)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = refusal.Detail;
            _stats.Reject(refusal.Reason, refusal.Detail, topic, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            _log.RefusedPublish(topic, refusal.Detail);
            return;
        }
        if (_intake is null || !IntakeAnswer.Ingested(topic, out var keepForSubscribers)) return;

        // Wills come with no token of their own; every wait ends when the broker stops.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(e.CancellationToken, _stoppingToken);
        var verdict = await _intake.TakeAsync(topic, e.ApplicationMessage.Payload.ToArray(), abandon.Token);
        IntakeAnswer.Apply(e, verdict, keepForSubscribers);
        if (verdict is IntakeVerdict.Full or IntakeVerdict.NotStoredInTime) _log.RefusedUnstored(e.ClientId, topic, e.Response.ReasonString);
    }
}
