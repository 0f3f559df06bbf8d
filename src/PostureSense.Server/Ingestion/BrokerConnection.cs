using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Mqtt;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Receiving;
using PostureSense.Server.Coaching;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// The server's side of the broker, on the shared <see cref="MqttLink"/> (which connects, resubscribes
/// and reconnects with backoff). It keeps a persistent session (clean start off, <c>--session-expiry</c>,
/// 7 days by default) so that messages published while the server is away wait for it, and says so
/// when the broker had dropped it (<see cref="SessionContinuity"/>); hands each message to
/// the ingestion queue, which acknowledges it only once it is stored, in order; and publishes
/// commands and retained configs. On the embedded broker it subscribes to nothing: devices'
/// messages reach ingestion from inside the broker (<see cref="EmbeddedIntake"/>). The link's loop runs as a supervised worker: starting it waits a
/// while for the first subscription, stopping it ends the connection with a DISCONNECT that keeps the session.
/// With subscriptions, commands and configs go out on a second connection of their own (client id
/// <c>ID-commands</c>, a clean session): a broker reads a connection's packets in order, and on the
/// ingest connection a prompt would wait behind thousands of acknowledgements (mosquitto reads about
/// one packet per connection per pass over all its clients, which at 10,000 devices held prompts back
/// for many seconds). The ingest connection leaves the receive window to the broker (mosquitto: 20
/// unacknowledged messages): with a window of 5,000 a single server at 10,000 devices took about a
/// quarter of what it took with 20, so a larger window waits for a measurement that shows it helps.
/// </summary>
public sealed class BrokerConnection : SupervisedWorker, ICommandPublisher, Settings.IConfigPublisher, IAsyncDisposable
{
    readonly MqttLink _link;
    /// <summary>Where commands and configs are published: their own connection when ingesting, else the one link.</summary>
    readonly MqttLink? _commands;
    readonly IngestionQueue _ingest;
    readonly IngestionStats _stats;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly IReadOnlyList<string> _subscriptions;
    readonly TaskCompletionSource _firstSubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _commandsConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TimeSpan _firstConnectWait;
    readonly SessionContinuity? _continuity;
    int _disposed;

    /// <param name="clock">The domain clock, for the time of a rejection; the link's backoff and pings run on real time, as sockets do.</param>
    public BrokerConnection(BrokerConnectionOptions options, IReadOnlyList<string> subscriptions,
        IngestionQueue ingest, IngestionStats stats, TimeProvider clock, ILogger<BrokerConnection> log,
        WorkerHealth health, WorkerRestart restart, SessionContinuity? continuity = null)
        : base("mqtt-link", health, restart, log)
    {
        _continuity = continuity;
        _firstConnectWait = options.FirstConnectWait ?? TimeSpan.FromSeconds(10);
        _subscriptions = subscriptions;
        _ingest = ingest;
        _stats = stats;
        _clock = clock;
        _log = log;
        // The handler is set here, before the first connect: a resumed session delivers its queued
        // messages right after CONNACK, and one arriving with no handler would be acknowledged unseen.
        _link = new MqttLink(new MqttLinkOptions
        {
            Broker = options.Broker,
            ClientId = options.ClientId,
            BrokerCa = options.Broker.Tls ? options.BrokerCa : null,
            Session = MqttSession.Persistent(options.SessionExpiry ?? Configuration.ServerOptions.DefaultSessionExpiry),
            Subscriptions = subscriptions,
            ManualAcknowledge = true,
            CredentialsSource = CredentialsSource,
        }, log)
        {
            MessageReceived = OnMessageAsync,
            Connected = OnConnectedAsync,
        };
        if (subscriptions.Count > 0)
            _commands = new MqttLink(new MqttLinkOptions
            {
                Broker = options.Broker,
                ClientId = CommandsClientId(options.ClientId),
                BrokerCa = options.Broker.Tls ? options.BrokerCa : null,
                CredentialsSource = CredentialsSource,
            }, log)
            {
                Connected = (_, _) =>
                {
                    _commandsConnected.TrySetResult();
                    return Task.CompletedTask;
                },
            };
        else _commandsConnected.TrySetResult();
    }

    const string CredentialsSource = "--mqtt or POSTURESENSE_MQTT (the password also POSTURESENSE_MQTT_PASSWORD or --mqtt-password-file)";

    /// <summary>The client id of the connection that publishes commands, beside the ingesting one.</summary>
    public static string CommandsClientId(string clientId) => clientId + "-commands";

    MqttLink Publisher => _commands ?? _link;

    /// <summary>The broker's address without the password.</summary>
    public string Endpoint => _link.Endpoint;
    public bool IsConnected => _link.IsConnected && (_commands?.IsConnected ?? true);

    /// <summary>Starts connecting and waits a while for the first subscription; keeps trying in the background after that.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        try
        {
            await Task.WhenAll(_firstSubscribed.Task, _commandsConnected.Task).WaitAsync(_firstConnectWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            _log.BrokerNotReachableYet(Endpoint);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _continuity?.Disconnecting();
        // A normal disconnect keeps the session (its expiry interval is set), so the broker
        // queues what arrives while the server is down.
        try { await _link.DisconnectAsync(cancellationToken); }
        catch (Exception ex) { _log.DisconnectFailed(ex, Endpoint); }
        if (_commands is null) return;
        try { await _commands.DisconnectAsync(cancellationToken); }
        catch (Exception ex) { _log.DisconnectFailed(ex, Endpoint); }
    }

    protected override Task RunAsync(CancellationToken stoppingToken) =>
        _commands is null ? _link.RunAsync(stoppingToken) : Task.WhenAll(_link.RunAsync(stoppingToken), _commands.RunAsync(stoppingToken));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        base.Dispose();
        await _link.DisposeAsync();
        if (_commands is not null) await _commands.DisposeAsync();
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215", Justification = "DisposeAsync, which this waits on, calls base.Dispose().")]
    public override void Dispose()
    {
        // The container disposes asynchronously; this is for a caller that cannot. Stopped first,
        // the link has no connection left to close, so this does not wait on the network.
        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken) =>
        PublishAsync(Topics.For(deviceId, Topics.Command), WireFormat.Serialize(command), retain: false, "command", cancellationToken);

    /// <summary>Retained, so a device that connects later, or again, gets its newest settings at once.</summary>
    public Task PublishConfigAsync(DeviceId deviceId, DeviceConfig config, CancellationToken cancellationToken) =>
        PublishAsync(Topics.For(deviceId, Topics.Config), WireFormat.Serialize(config), retain: true, "config", cancellationToken);

    async Task PublishAsync(string topic, byte[] payload, bool retain, string what, CancellationToken cancellationToken)
    {
        // The link logs the broker's reason; the caller learns the message did not go.
        if (!await Publisher.PublishAsync(topic, payload, retain, cancellationToken))
            throw new InvalidOperationException($"broker {Endpoint} refused the {what} on {topic}");
    }

    Task OnConnectedAsync(LinkConnected connected, CancellationToken cancellationToken)
    {
        _continuity?.Connected(connected.SessionResumed, Endpoint);
        if (_subscriptions.Count == 0) _log.ConnectedToPublish(Endpoint);
        else if (_log.IsEnabled(LogLevel.Information)) _log.Subscribed(Endpoint, string.Join(", ", _subscriptions));
        _firstSubscribed.TrySetResult();
        return Task.CompletedTask;
    }

    async Task OnMessageAsync(ReceivedMessage message, CancellationToken stopping)
    {
        _continuity?.Held();
        try
        {
            // Acknowledged by the ingestion queue once the message is stored, in order. Cancelled
            // when stopping: then it stays unacknowledged, and the broker delivers it again.
            await _ingest.EnqueueAsync(new InboundMessage(message.Topic, message.Payload), message.AcknowledgeAsync, stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            _stats.Fail(RejectionReasons.InternalError, ex.Message, message.Topic, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            _log.TakeFailed(ex, message.Topic);
        }
    }
}

/// <summary>Where the server's connection goes and as whom.</summary>
/// <param name="BrokerCa">With an mqtts:// broker: CA certificates to trust besides the system's (<c>--mqtt-ca</c>).</param>
/// <param name="FirstConnectWait">How long starting waits for the first subscription before carrying on in the background; null: 10 s.</param>
/// <param name="SessionExpiry">How long the broker keeps the session while the server is away; null: 7 days.</param>
public sealed record BrokerConnectionOptions(MqttBrokerAddress Broker, string ClientId, X509Certificate2Collection? BrokerCa = null,
    TimeSpan? FirstConnectWait = null, TimeSpan? SessionExpiry = null);
