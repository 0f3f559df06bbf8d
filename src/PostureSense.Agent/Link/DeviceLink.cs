using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Agent.Outbox;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Link;

/// <summary>
/// The device's MQTT connection (MQTTnet 5 has no managed client, so reconnecting is here):
/// will message and retained online status, the cmd and retained config subscriptions, telemetry from the
/// <see cref="TelemetryOutbox"/> in seq order (removed only after PUBACK, paced by
/// <see cref="ReplayPacer"/>), and acks. Network timing (backoff, pings, pacing) runs on real
/// time whatever clock the posture pipeline runs on: sockets and the broker live in real time.
/// </summary>
internal sealed class DeviceLink : IAsyncDisposable
{
    static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);
    static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    readonly AgentOptions _options;
    readonly TelemetryOutbox _outbox;
    readonly ReplayPacer _pacer;
    readonly Func<DeviceStatus> _status;
    readonly ILogger _log;
    readonly IMqttClient _client;
    readonly MqttClientOptions _clientOptions;
    readonly BrokerTrust? _trust;
    readonly string _statusTopic, _telemetryTopic, _ackTopic, _commandTopic, _configTopic;
    readonly Channel<DeviceCommand> _commands = Channel.CreateBounded<DeviceCommand>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    readonly SemaphoreSlim _wake = new(0, 1);
    readonly CancellationTokenSource _stop = new();
    Task? _loop;

    /// <param name="pacingClock">The clock replay pacing counts seconds on; real time unless a test says otherwise.</param>
    public DeviceLink(AgentOptions options, TelemetryOutbox outbox, Func<DeviceStatus> status, ILogger log, TimeProvider? pacingClock = null)
    {
        _options = options;
        _outbox = outbox;
        _pacer = new ReplayPacer(options.ReplayBatchesPerSecond, pacingClock ?? TimeProvider.System);
        _status = status;
        _log = log;
        var id = options.DeviceId;
        (_statusTopic, _telemetryTopic, _ackTopic, _commandTopic, _configTopic) =
            (Topics.For(id, Topics.Status), Topics.For(id, Topics.Telemetry), Topics.For(id, Topics.Ack), Topics.For(id, Topics.Command),
             Topics.For(id, Topics.Config));

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Broker.Host, options.Broker.Port)
            .WithClientId(id)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // A clean session: a resumed one left publishes waiting for PUBACKs that never came
            // (MQTTnet 5.2 server, after a takeover). Commands sent while away are therefore lost.
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(_statusTopic)
            .WithWillPayload(WireFormat.Serialize(new DeviceStatus(ContractLimits.Version, Online: false)))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain();
        if (options.Broker.UserName is not null) builder = builder.WithCredentials(options.Broker.UserName, options.Broker.Password);
        if (options.Broker.Tls)
        {
            _trust = new BrokerTrust(options.BrokerCa);
            builder = builder.WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(_trust.Validate));
        }
        _clientOptions = builder.Build();

        _client = new MqttClientFactory().CreateMqttClient();
        // Before the first connect: a resumed session delivers queued commands right after CONNACK.
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public bool IsConnected => _client.IsConnected;
    public string Endpoint => _options.Broker.ToString();

    /// <summary>Valid commands, in arrival order.</summary>
    public ChannelReader<DeviceCommand> Commands => _commands.Reader;

    /// <summary>Raised after the broker acknowledged (PUBACK) a batch.</summary>
    public event Action<TelemetryBatch>? BatchPublished;

    /// <summary>
    /// A valid config arrived (the retained one on every connect, then each change), raised on the
    /// MQTT receive thread; an invalid one is logged with its reason and not raised.
    /// </summary>
    public event Action<DeviceConfig>? ConfigReceived;

    public void Start() => _loop ??= Task.Run(() => SuperviseAsync(_stop.Token));

    /// <summary>Something new to send: wake the sender.</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    public async Task<bool> PublishAckAsync(CommandAck ack, CancellationToken cancellationToken) =>
        await PublishAsync(_ackTopic, WireFormat.Serialize(ack), retain: false, cancellationToken);

    public async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected) await PublishAsync(_statusTopic, OnlineStatus(), retain: true, cancellationToken);
    }

    /// <summary>Sends what is pending (for up to <paramref name="drain"/>), says goodbye with a retained offline status, disconnects.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _commands.Writer.TryComplete();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        if (!_client.IsConnected) return;
        using var timeout = new CancellationTokenSource(drain);
        try
        {
            await SendPendingAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            _log.LogWarning("Stopping with {Count} telemetry batches unsent, kept in the outbox for the next start: {Error}", _outbox.Count, ex.Message);
        }
        try
        {
            using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await PublishAsync(_statusTopic, WireFormat.Serialize(new DeviceStatus(ContractLimits.Version, Online: false)), retain: true, goodbye.Token);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), goodbye.Token);
        }
        catch (Exception ex)
        {
            _log.LogDebug(ex, "Clean disconnect from {Endpoint} failed; the will message says offline instead", Endpoint);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        _client.Dispose();
        _stop.Dispose();
    }

    async Task SuperviseAsync(CancellationToken stop)
    {
        var backoff = FirstBackoff;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stop);
                    backoff = FirstBackoff;
                }
                await SendPendingAsync(stop);
                if (await _wake.WaitAsync(PingInterval, stop)) continue;
                if (_client.IsConnected && !await _client.TryPingAsync(stop))
                    _log.LogWarning("MQTT broker {Endpoint} did not answer a ping", Endpoint);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Jitter: a fleet that lost its broker at once must not come back at once.
                var delay = backoff / 2 + backoff / 2 * Random.Shared.NextDouble();
                _log.LogWarning("MQTT broker {Endpoint}: {Error}; retrying in {Delay:0.0} s", Endpoint, Explain(ex), delay.TotalSeconds);
                try { await Task.Delay(delay, stop); }
                catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>What went wrong, in the words an operator needs to fix it.</summary>
    string Explain(Exception ex)
    {
        if (_trust?.TakeRefusal() is { } refusal) return $"TLS refused: {refusal}";
        if (ex is BrokerRefusedException { Code: MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized } refused)
            return $"the broker refused the user name or password ({refused.Code}); check the user and password in --mqtt or POSTURESENSE_MQTT";
        if (ex.InnerException is System.Security.Authentication.AuthenticationException tls)
            return $"TLS handshake failed ({tls.Message}); is {Endpoint} a TLS listener?";
        return ex.Message;
    }

    async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var connected = await _client.ConnectAsync(_clientOptions, cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
            throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
        // Our own status too: a will from the previous connection may land after this one's
        // "online" (the broker publishes it when it notices the old connection is gone).
        var subscribed = await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_commandTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_configTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_statusTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(),
            cancellationToken);
        if (subscribed.Items.Any(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
        {
            // Reconnect and try again rather than stay connected but deaf to commands.
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            throw new InvalidOperationException($"subscription to {_commandTopic} or {_configTopic} refused");
        }
        await PublishAsync(_statusTopic, OnlineStatus(), retain: true, cancellationToken);
        _log.LogInformation("Connected to MQTT broker {Endpoint} as {DeviceId} (session {Session})",
            Endpoint, _options.DeviceId, connected.IsSessionPresent ? "resumed" : "new");
    }

    async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (_client.IsConnected && _outbox.Count > 0)
        {
            await _pacer.WaitAsync(cancellationToken);
            // Peeked after the wait: the bound may have dropped the batch we would have sent.
            if (!_outbox.TryPeek(out var batch)) break;
            if (!await PublishAsync(_telemetryTopic, WireFormat.Serialize(batch), retain: false, cancellationToken))
                _log.LogError("Broker refused telemetry batch {Seq}; dropping it", batch.Seq);
            // Only now, after the PUBACK: a batch that did not make it stays for the next attempt.
            _outbox.Remove(batch.Seq);
            sent++;
            BatchPublished?.Invoke(batch);
        }
        if (sent > 1 && _outbox.Count == 0)
        {
            // A backlog went out: the retained status should stop saying it is waiting.
            _log.LogInformation("Outbox drained ({Sent} batches)", sent);
            await PublishStatusAsync(cancellationToken);
        }
    }

    /// <summary>The online status with the outbox's state.</summary>
    byte[] OnlineStatus() => WireFormat.Serialize(_status() with { Outbox = _outbox.Count, Dropped = _outbox.Dropped });

    /// <returns>False when the broker refused the message; throws when it could not be sent.</returns>
    async Task<bool> PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        // No subscriber yet is fine: the broker took it.
        return result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers;
    }

    Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var payload = e.ApplicationMessage.Payload;
        if (e.ApplicationMessage.Topic == _statusTopic)
        {
            if (!_stop.IsCancellationRequested && WireFormat.ParseStatus(payload.ToArray()).Value is { Online: false })
            {
                _log.LogInformation("The broker says this device is offline (a late will); saying online again");
                _ = Task.Run(() => PublishStatusAsync(_stop.Token)).ContinueWith(
                    t => _log.LogDebug(t.Exception, "Re-publishing online status failed"), TaskContinuationOptions.OnlyOnFaulted);
            }
            return Task.CompletedTask;
        }
        if (e.ApplicationMessage.Topic == _configTopic)
        {
            OnConfig(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
            return Task.CompletedTask;
        }
        if (e.ApplicationMessage.Topic != _commandTopic) return Task.CompletedTask;
        var parsed = payload.IsSingleSegment
            ? WireFormat.ParseCommand(payload.FirstSpan)
            : WireFormat.ParseCommand(payload.ToArray());
        if (!parsed.Ok)
            _log.LogWarning("Ignored a command on {Topic}: {Error}", _commandTopic, parsed.Error);
        else if (!_commands.Writer.TryWrite(parsed.Value!))
            _log.LogWarning("Ignored command {Id}: the agent is stopping", parsed.Value!.Id);
        // Handled elsewhere, so the receive loop is never blocked by a motor or an ack's PUBACK.
        return Task.CompletedTask;
    }

    void OnConfig(ReadOnlySpan<byte> payload)
    {
        var parsed = WireFormat.ParseConfig(payload);
        if (!parsed.Ok)
        {
            _log.LogWarning("Ignored a config on {Topic}: {Error}; the settings in use stay", _configTopic, parsed.Error);
            return;
        }
        try { ConfigReceived?.Invoke(parsed.Value!); }
        catch (Exception ex) { _log.LogError(ex, "Applying a config failed"); }
    }

    Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (!_stop.IsCancellationRequested && e.ClientWasConnected)
        {
            _log.LogWarning("Disconnected from MQTT broker {Endpoint}: {Reason}", Endpoint, e.Exception?.Message ?? e.Reason.ToString());
            Wake();
        }
        return Task.CompletedTask;
    }
}

/// <summary>The broker answered the CONNECT with a refusal (CONNACK reason code).</summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode code, string? reason)
    : Exception($"connection refused: {code}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}")
{
    public MqttClientConnectResultCode Code { get; } = code;
}
