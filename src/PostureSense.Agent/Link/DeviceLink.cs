using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Outbox;
using PostureSense.Core.Contract;
using PostureSense.Mqtt;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Receiving;

namespace PostureSense.Agent.Link;

/// <summary>
/// The device's side of the broker, on an <see cref="MqttLink"/> (which connects and reconnects):
/// will message and retained online status, the cmd and retained config subscriptions, telemetry from the
/// <see cref="TelemetryOutbox"/> in seq order (removed only after PUBACK, paced by
/// <see cref="ReplayPacer"/>; a batch the broker refuses for now stays and is sent again after a
/// backoff), and acks. Network timing (backoff, pings, pacing) runs on real
/// time whatever clock the posture pipeline runs on: sockets and the broker live in real time.
/// </summary>
internal sealed class DeviceLink : IAsyncDisposable
{
    /// <summary>How long the sender idles before looking at the outbox again without being woken.</summary>
    static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);

    readonly AgentOptions _options;
    readonly TelemetryOutbox _outbox;
    readonly ReplayPacer _pacer;
    readonly TimeProvider _pacingClock;
    // After a refusal for now: 1 s, doubling up to a minute, so a fleet catching up backs off the broker together.
    readonly ReconnectBackoff _refusalBackoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    int _refusals;
    readonly Func<DeviceStatus> _status;
    readonly ILogger _log;
    readonly MqttLink _link;
    readonly string _statusTopic, _telemetryTopic, _ackTopic, _commandTopic, _configTopic;
    readonly Channel<DeviceCommand> _commands = Channel.CreateBounded<DeviceCommand>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    readonly SemaphoreSlim _wake = new(0, 1);
    readonly TimeProvider _clock;
    readonly CancellationTokenSource _stop = new();
    Task? _loop;
    // Set once this connection's online status is out: telemetry must not overtake it.
    volatile bool _announced;

    /// <param name="pacingClock">The clock replay pacing counts seconds on; real time unless a test says otherwise.</param>
    /// <param name="clock">The device's clock, which a command's or config's ts must not run ahead of; real time unless given.</param>
    public DeviceLink(AgentOptions options, TelemetryOutbox outbox, Func<DeviceStatus> status, ILogger log, TimeProvider? pacingClock = null,
        TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options;
        _outbox = outbox;
        _pacingClock = pacingClock ?? TimeProvider.System;
        _pacer = new ReplayPacer(options.ReplayBatchesPerSecond, _pacingClock);
        _status = status;
        _log = log;
        var id = options.DeviceId;
        (_statusTopic, _telemetryTopic, _ackTopic, _commandTopic, _configTopic) =
            (Topics.For(id, Topics.Status), Topics.For(id, Topics.Telemetry), Topics.For(id, Topics.Ack), Topics.For(id, Topics.Command),
             Topics.For(id, Topics.Config));

        _link = new MqttLink(new MqttLinkOptions
        {
            Broker = options.Broker,
            ClientId = id.Value,
            BrokerCa = options.Broker.Tls ? options.BrokerCa : null,
            // A clean session: a resumed one left publishes waiting for PUBACKs that never came
            // (MQTTnet 5.2 server, after a takeover). Commands sent while away are therefore lost.
            Session = MqttSession.Clean,
            Will = new MqttWill(_statusTopic, WireFormat.Serialize(new DeviceStatus(ContractLimits.Version, Online: false)), Retain: true),
            // Our own status too: a will from the previous connection may land after this one's
            // "online" (the broker publishes it when it notices the old connection is gone).
            Subscriptions = [_commandTopic, _configTopic, _statusTopic],
            CredentialsSource = "--mqtt or POSTURESENSE_MQTT",
        }, log)
        {
            MessageReceived = OnMessageAsync,
            Connected = OnConnectedAsync,
        };
        _link.Disconnected += () => _announced = false;
    }

    public bool IsConnected => _link.IsConnected;
    public string Endpoint => _link.Endpoint;

    /// <summary>Valid commands, in arrival order.</summary>
    public ChannelReader<DeviceCommand> Commands => _commands.Reader;

    /// <summary>Raised after the broker acknowledged (PUBACK) a batch.</summary>
    public event Action<TelemetryBatch>? BatchPublished;

    /// <summary>
    /// A valid config arrived (the retained one on every connect, then each change), raised on the
    /// MQTT receive thread; an invalid one is logged with its reason and not raised.
    /// </summary>
    public event Action<DeviceConfig>? ConfigReceived;

    public void Start() => _loop ??= Task.WhenAll(
        Task.Run(() => _link.RunAsync(_stop.Token)),
        Task.Run(() => SendLoopAsync(_stop.Token)));

    /// <summary>Something new to send: wake the sender.</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    public async Task<bool> PublishAckAsync(CommandAck ack, CancellationToken cancellationToken) =>
        await _link.PublishAsync(_ackTopic, WireFormat.Serialize(ack), retain: false, cancellationToken);

    public async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        if (_link.IsConnected) await _link.PublishAsync(_statusTopic, OnlineStatus(), retain: true, cancellationToken);
    }

    /// <summary>Sends what is pending (for up to <paramref name="drain"/>), says goodbye with a retained offline status, disconnects.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _commands.Writer.TryComplete();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        if (!_link.IsConnected) return;
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
            await _link.PublishAsync(_statusTopic, WireFormat.Serialize(new DeviceStatus(ContractLimits.Version, Online: false)), retain: true, goodbye.Token);
            await _link.DisconnectAsync(goodbye.Token);
        }
        catch (Exception ex)
        {
            _log.LogDebug(ex, "Clean disconnect from {Endpoint} failed; the will message says offline instead", Endpoint);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        await _link.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Every connection says online first, with the outbox's state; then the backlog may go.</summary>
    async Task OnConnectedAsync(LinkConnected connected, CancellationToken cancellationToken)
    {
        await _link.PublishAsync(_statusTopic, OnlineStatus(), retain: true, cancellationToken);
        _announced = true;
        Wake();
    }

    async Task SendLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_announced) await SendPendingAsync(stop);
                await _wake.WaitAsync(IdleCheck, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The link reconnects; the batch stays in the outbox and goes first once it has.
                if (_link.IsConnected) _log.SendFailed(Endpoint, ex.Message);
                else _log.SendStopped(Endpoint, ex.Message);
                try { await _wake.WaitAsync(IdleCheck, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (_link.IsConnected && _outbox.Count > 0)
        {
            await _pacer.WaitAsync(cancellationToken);
            // Peeked after the wait: the bound may have dropped the batch we would have sent.
            if (!_outbox.TryPeek(out var batch)) break;
            var answer = await _link.PublishForAnswerAsync(_telemetryTopic, WireFormat.Serialize(batch), retain: false, cancellationToken);
            if (answer == PublishAnswer.RefusedForNow)
            {
                // The broker could not take it yet (its store is behind): it stays first in line, tried again after a while.
                var delay = _refusalBackoff.NextDelay(_refusals);
                _refusals = Math.Min(_refusals + 1, 30);
                _log.BatchRefusedForNow(batch.Seq, delay.TotalSeconds);
                await Task.Delay(delay, _pacingClock, cancellationToken);
                continue;
            }
            _refusals = 0;
            if (answer == PublishAnswer.Refused) _log.BatchRefused(batch.Seq);
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

    Task OnMessageAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var payload = message.Payload;
        if (message.Topic == _statusTopic)
        {
            if (!_stop.IsCancellationRequested && WireFormat.ParseStatus(payload, _clock.GetUtcNow()).Value is { Online: false })
            {
                _log.LogInformation("The broker says this device is offline (a late will); saying online again");
                _ = Task.Run(() => PublishStatusAsync(_stop.Token), CancellationToken.None).ContinueWith(
                    t => _log.LogDebug(t.Exception, "Re-publishing online status failed"), TaskContinuationOptions.OnlyOnFaulted);
            }
            return Task.CompletedTask;
        }
        if (message.Topic == _configTopic)
        {
            OnConfig(payload);
            return Task.CompletedTask;
        }
        if (message.Topic != _commandTopic) return Task.CompletedTask;
        var parsed = WireFormat.ParseCommand(payload, _clock.GetUtcNow());
        if (!parsed.Ok)
            _log.LogWarning("Ignored a command on {Topic}: {Error}", _commandTopic, parsed.Error);
        else if (!_commands.Writer.TryWrite(parsed.Value!))
            _log.LogWarning("Ignored command {Id}: the agent is stopping", parsed.Value!.Id);
        // Handled elsewhere, so the receive loop is never blocked by a motor or an ack's PUBACK.
        return Task.CompletedTask;
    }

    void OnConfig(ReadOnlySpan<byte> payload)
    {
        var parsed = WireFormat.ParseConfig(payload, _clock.GetUtcNow());
        if (!parsed.Ok)
        {
            _log.LogWarning("Ignored a config on {Topic}: {Error}; the settings in use stay", _configTopic, parsed.Error);
            return;
        }
        try { ConfigReceived?.Invoke(parsed.Value!); }
        catch (Exception ex) { _log.LogError(ex, "Applying a config failed"); }
    }
}
