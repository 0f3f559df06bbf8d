using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Server.Coaching;
using PostureSense.Server.Hosting;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// The server's one MQTT client. It keeps a persistent session (clean start off, a day's session
/// expiry) so that messages published while the server is away wait for it; subscribes at QoS 1;
/// hands each message to the ingestion queue, which acknowledges it only once it is stored.
/// MQTTnet 5 has no managed client, so reconnecting is done here, in a worker the host runs:
/// starting it waits a while for the first subscription, stopping it ends the session cleanly.
/// </summary>
public sealed class MqttLink : SupervisedWorker, ICommandPublisher, Settings.IConfigPublisher
{
    static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    const uint SessionExpirySeconds = 24 * 60 * 60;

    readonly IMqttClient _client;
    readonly MqttClientOptions _options;
    readonly IReadOnlyList<string> _subscriptions;
    readonly IngestionQueue _ingest;
    readonly IngestionStats _stats;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly SemaphoreSlim _wake = new(0, 1);
    readonly TaskCompletionSource _firstSubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CancellationTokenSource _stop = new();
    readonly TimeSpan _firstConnectWait;

    public MqttLink(MqttLinkOptions options, IReadOnlyList<string> subscriptions,
        IngestionQueue ingest, IngestionStats stats, TimeProvider clock, ILogger<MqttLink> log,
        WorkerHealth health, WorkerRestart restart)
        : base("mqtt-link", health, restart, log)
    {
        _firstConnectWait = options.FirstConnectWait ?? TimeSpan.FromSeconds(10);
        _subscriptions = subscriptions;
        _ingest = ingest;
        _stats = stats;
        _clock = clock;
        _log = log;
        Endpoint = $"{options.Host}:{options.Port}";
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (options.UserName is not null) builder = builder.WithCredentials(options.UserName, options.Password);
        _options = builder.Build();

        _client = new MqttClientFactory().CreateMqttClient();
        // Attached before the first ConnectAsync: a resumed session delivers its queued messages
        // right after CONNACK, and a message arriving with no handler would be acknowledged unseen.
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public string Endpoint { get; }
    public bool IsConnected => _client.IsConnected;

    /// <summary>Starts connecting and waits a while for the first subscription; keeps trying in the background after that.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        try
        {
            await _firstSubscribed.Task.WaitAsync(_firstConnectWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            _log.LogWarning("MQTT broker {Endpoint} not reachable yet; retrying in the background", Endpoint);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            // A normal disconnect keeps the session (its expiry interval is set), so the broker
            // queues what arrives while the server is down.
            try { await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken); }
            catch (Exception ex) { _log.LogDebug(ex, "Disconnect from {Endpoint} failed", Endpoint); }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }

    public Task PublishCommandAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken) =>
        PublishAsync(Topics.For(deviceId, Topics.Command), WireFormat.Serialize(command), retain: false, "command", cancellationToken);

    /// <summary>Retained, so a device that connects later, or again, gets its newest settings at once.</summary>
    public Task PublishConfigAsync(string deviceId, DeviceConfig config, CancellationToken cancellationToken) =>
        PublishAsync(Topics.For(deviceId, Topics.Config), WireFormat.Serialize(config), retain: true, "config", cancellationToken);

    async Task PublishAsync(string topic, byte[] payload, bool retain, string what, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        // NoMatchingSubscribers is fine: the device may be offline, and a persistent session
        // (or the retained copy) still gets it; anything else means the broker did not take it.
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            throw new InvalidOperationException($"broker refused the {what}: {result.ReasonCode} {result.ReasonString}");
    }

    async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Acknowledged by the ingestion queue once the message is stored, in order.
        e.AutoAcknowledge = false;
        var topic = e.ApplicationMessage.Topic;
        try
        {
            // A copy: the client may reuse the payload's buffer once this handler returns.
            var message = new InboundMessage(topic, e.ApplicationMessage.Payload.ToArray());
            await _ingest.EnqueueAsync(message, ct => e.AcknowledgeAsync(ct), _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping: left unacknowledged, so the broker delivers it again.
        }
        catch (Exception ex)
        {
            _stats.Fail(RejectionReasons.InternalError, ex.Message, topic, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            _log.LogError(ex, "Failed to take a message on {Topic}", topic);
        }
    }

    Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (!_stop.IsCancellationRequested)
        {
            _log.LogWarning("Disconnected from MQTT broker {Endpoint}: {Reason}", Endpoint, e.Exception?.Message ?? e.Reason.ToString());
            Wake();
        }
        return Task.CompletedTask;
    }

    void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Connects, and reconnects with backoff whenever the connection drops, until stopped.</summary>
    protected override async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stop);
                    backoff = TimeSpan.FromMilliseconds(500);
                }
                // Real time: MQTTnet's keep-alive and sockets run on it whatever clock the server coaches on.
                await _wake.WaitAsync(PingInterval, stop);
                if (_client.IsConnected && !await _client.TryPingAsync(stop))
                    _log.LogWarning("MQTT broker {Endpoint} did not answer a ping", Endpoint);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _log.LogWarning("Cannot reach MQTT broker {Endpoint}: {Error}; retrying in {Delay}", Endpoint, ex.Message, backoff);
                try { await Task.Delay(backoff, stop); }
                catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var connected = await _client.ConnectAsync(_options, cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"connection refused: {connected.ResultCode} {connected.ReasonString}");

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in _subscriptions)
            subscribe = subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        var result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        var refused = result.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
        {
            // Drop the connection so the next attempt subscribes again rather than idling connected and deaf.
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            throw new InvalidOperationException("subscription refused: " +
                string.Join(", ", refused.Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})")));
        }

        _log.LogInformation("Connected to MQTT broker {Endpoint} as {ClientId} (session {Session}), subscribed to {Topics}",
            Endpoint, _options.ClientId, connected.IsSessionPresent ? "resumed" : "new", string.Join(", ", _subscriptions));
        _firstSubscribed.TrySetResult();
    }
}

/// <summary>Where the link connects and as whom.</summary>
/// <param name="FirstConnectWait">How long starting waits for the first subscription before carrying on in the background; null: 10 s.</param>
public sealed record MqttLinkOptions(string Host, int Port, string ClientId, string? UserName = null, string? Password = null,
    TimeSpan? FirstConnectWait = null);
