using System.Buffers;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Polly;
using Polly.Retry;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Receiving;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Mqtt;

/// <summary>
/// One MQTT connection that stays up: MQTTnet 5 has no managed client, so connecting, resubscribing
/// and reconnecting with backoff are here. <see cref="RunAsync"/> is the connection loop (a
/// BackgroundService's ExecuteAsync can be just that call); publishing, subscribing and
/// acknowledging work from any thread while it runs. Every wait of its own (backoff, pings) is on
/// the <see cref="TimeProvider"/> it was given; sockets and MQTTnet's timeouts run on real time.
/// </summary>
public sealed class MqttLink : IAsyncDisposable
{
    readonly MqttLinkOptions _options;
    readonly ILogger _log;
    readonly TimeProvider _time;
    readonly IMqttClient _client;
    readonly MqttClientOptions _clientOptions;
    readonly BrokerTrust? _trust;
    readonly ResiliencePipeline _connect;
    readonly List<string> _subscriptions;
    readonly SemaphoreSlim _lost = new(0, 1);
    int _connection;
    int _running;
    volatile bool _closing;
    CancellationToken _stopping;

    public MqttLink(MqttLinkOptions options, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _log = logger;
        _time = time ?? TimeProvider.System;
        _subscriptions = [.. options.Subscriptions];

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Broker.Host, options.Broker.Port)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(options.Session.CleanStart)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.Timeout);
        if (options.ReceiveMaximum is { } window)
        {
            ArgumentOutOfRangeException.ThrowIfZero(window, nameof(options));
            builder = builder.WithReceiveMaximum(window);
        }
        if (!options.Session.CleanStart) builder = builder.WithSessionExpiryInterval((uint)options.Session.Expiry.TotalSeconds);
        if (options.Will is { } will)
            builder = builder.WithWillTopic(will.Topic).WithWillPayload(will.Payload)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithWillRetain(will.Retain);
        if (options.Broker.UserName is not null) builder = builder.WithCredentials(options.Broker.UserName, options.Broker.Password);
        if (options.Broker.Tls)
        {
            _trust = new BrokerTrust(options.BrokerCa, options.CaSource);
            builder = builder.WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(_trust.Validate));
        }
        else if (options.BrokerCa is { Count: > 0 })
        {
            throw new ArgumentException($"a CA certificate only applies to a TLS broker (mqtts://), not {options.Broker}", nameof(options));
        }
        _clientOptions = builder.Build();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SocketBufferBytes, 4096, nameof(options));
        if (_clientOptions.ChannelOptions is MqttClientTcpOptions tcp) tcp.BufferSize = options.SocketBufferBytes;

        _connect = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(options.Backoff.NextDelay(args.AttemptNumber)),
                OnRetry = args =>
                {
                    _log.LogWarning("MQTT broker {Endpoint}: {Error}; retrying in {Delay:0.0} s",
                        Endpoint, Explain(args.Outcome.Exception!), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        _client = new MqttClientFactory().CreateMqttClient();
        // Before the first ConnectAsync: a resumed session delivers its queued messages right
        // after CONNACK, and one arriving with no handler would be acknowledged unseen.
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>The broker's address without the password, for logs.</summary>
    public string Endpoint => _options.Broker.ToString();

    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// Called with each message, one at a time in arrival order, on the receive loop: a slow handler
    /// holds back the next message. The token is the one <see cref="RunAsync"/> was given.
    /// </summary>
    public Func<ReceivedMessage, CancellationToken, Task>? MessageReceived { get; init; }

    /// <summary>
    /// Called after every (re)connect, once the subscriptions are in place: the place to publish a
    /// retained status. If it throws, the connection is dropped and tried again with backoff.
    /// </summary>
    public Func<LinkConnected, CancellationToken, Task>? Connected { get; init; }

    /// <summary>Raised when an established connection is lost (not after <see cref="DisconnectAsync"/>).</summary>
    public event Action? Disconnected;

    /// <summary>
    /// Connects, and reconnects with backoff whenever the connection drops, until
    /// <paramref name="stoppingToken"/> is cancelled. Leaves the connection as it is then, so the
    /// caller can still publish a goodbye before <see cref="DisconnectAsync"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) throw new InvalidOperationException("the link is already running");
        _stopping = stoppingToken;
        _closing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _connect.ExecuteAsync(ConnectOnceAsync, stoppingToken).ConfigureAwait(false);
                await WatchAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Publishes at QoS 1 and waits for the PUBACK.</summary>
    /// <returns>False when the broker refused the message (logged with its reason); throws when it could not be sent.</returns>
    public async Task<bool> PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken) =>
        await PublishForAnswerAsync(topic, payload, retain, cancellationToken).ConfigureAwait(false) == PublishAnswer.Accepted;

    /// <summary>Publishes at QoS 1 and waits for the PUBACK; tells a refusal worth retrying from one for good.</summary>
    /// <returns>The broker's answer (a refusal is logged with its reason); throws when it could not be sent.</returns>
    public async Task<PublishAnswer> PublishForAnswerAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        // No subscriber yet counts as taken (PublishAnswers): a persistent session or the retained copy gets it.
        var answer = PublishAnswers.Of(result.ReasonCode);
        if (answer != PublishAnswer.Accepted)
            _log.LogWarning("MQTT broker {Endpoint} refused a message on {Topic}: {Reason} {Text}", Endpoint, topic, result.ReasonCode, result.ReasonString);
        return answer;
    }

    /// <summary>Adds topic filters, subscribed now if connected and again on every reconnect.</summary>
    public async Task SubscribeAsync(IEnumerable<string> filters, CancellationToken cancellationToken)
    {
        var added = filters.ToList();
        lock (_subscriptions) _subscriptions.AddRange(added);
        if (_client.IsConnected && added.Count > 0) await SubscribeAsync(added, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A clean DISCONNECT: the broker drops the will, and keeps a persistent session for its expiry.
    /// Call after <see cref="RunAsync"/> has returned, or it connects again.
    /// <para>
    /// A ping goes first. The broker reads a connection's packets in order, so its answer means it
    /// has read every acknowledgement sent before. Closing without it could lose the last ones (the
    /// socket closes while the broker still has them unread), and the broker would hand those
    /// messages out again after a restart although they were stored.
    /// </para>
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        _closing = true;
        if (!_client.IsConnected) return;
        using (var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            answer.CancelAfter(_options.Timeout);
            if (!await _client.TryPingAsync(answer.Token).ConfigureAwait(false))
                _log.LogDebug("No answer to the ping before disconnecting from {Endpoint}; disconnecting anyway", Endpoint);
        }
        if (_client.IsConnected)
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await DisconnectAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _log.LogDebug(ex, "Disconnect from {Endpoint} failed", Endpoint);
            }
        }
        _client.Dispose();
        _lost.Dispose();
    }

    async ValueTask ConnectOnceAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected) return;
        _lost.Wait(0, CancellationToken.None); // a signal left from an earlier connection
        var connected = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
            throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
        Interlocked.Increment(ref _connection);
        try
        {
            List<string> filters;
            lock (_subscriptions) filters = [.. _subscriptions];
            if (filters.Count > 0) await SubscribeAsync(filters, cancellationToken).ConfigureAwait(false);
            if (Connected is not null) await Connected(new LinkConnected(connected.IsSessionPresent), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Drop the connection so the next attempt starts over rather than idle connected and deaf.
            try { await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false); }
            catch (Exception ex) { _log.LogDebug(ex, "Dropping the half-made connection to {Endpoint} failed", Endpoint); }
            throw;
        }
        _log.LogInformation("Connected to MQTT broker {Endpoint} as {ClientId} (session {Session})",
            Endpoint, _options.ClientId, connected.IsSessionPresent ? "resumed" : "new");
    }

    async Task SubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters) subscribe = subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        var result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        var refused = result.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
            throw new InvalidOperationException("subscription refused: " +
                string.Join(", ", refused.Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})")));
    }

    /// <summary>Returns once the connection is lost; pings the broker meanwhile.</summary>
    async Task WatchAsync(CancellationToken stop)
    {
        var silent = 0;
        while (true)
        {
            using (var interval = new CancellationTokenSource(_options.PingInterval, _time))
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, interval.Token))
            {
                try
                {
                    await _lost.WaitAsync(wait.Token).ConfigureAwait(false);
                    return;
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                }
            }
            if (_client.IsConnected)
            {
                silent = 0;
                // MQTTnet applies its own timeout only to a call that cannot be cancelled: this one must bring its own.
                using var answer = CancellationTokenSource.CreateLinkedTokenSource(stop);
                answer.CancelAfter(_options.Timeout);
                if (!await _client.TryPingAsync(answer.Token).ConfigureAwait(false) && !stop.IsCancellationRequested)
                    _log.LogWarning("MQTT broker {Endpoint} did not answer a ping", Endpoint);
            }
            // MQTTnet reports every lost connection; this only guards against waiting forever if it did not.
            else if (++silent >= 2)
            {
                return;
            }
        }
    }

    /// <summary>What went wrong, in the words an operator needs to fix it.</summary>
    string Explain(Exception ex)
    {
        if (_trust?.TakeRefusal() is { } refusal) return $"TLS refused: {refusal}";
        if (ex is BrokerRefusedException { IsCredentials: true } refused)
            return $"the broker refused the user name or password ({refused.Code}); check the user and password in {_options.CredentialsSource}";
        if (ex.InnerException is AuthenticationException tls)
            return $"TLS handshake failed ({tls.Message}); is {Endpoint} a TLS listener?";
        return ex.Message;
    }

    async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (_options.ManualAcknowledge) e.AutoAcknowledge = false;
        var m = e.ApplicationMessage;
        var connection = Volatile.Read(ref _connection);
        var message = new ReceivedMessage(m.Topic, m.Payload.ToArray(), m.Retain, m.Dup,
            _options.ManualAcknowledge ? ct => AcknowledgeAsync(e, connection, ct) : null);
        if (MessageReceived is null)
        {
            _log.LogWarning("A message on {Topic} arrived with nothing to handle it", m.Topic);
            return;
        }
        try
        {
            await MessageReceived(message, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: with manual acknowledgement it stays unacknowledged and comes again.
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "Handling a message on {Topic} failed", m.Topic);
        }
    }

    async Task AcknowledgeAsync(MqttApplicationMessageReceivedEventArgs e, int connection, CancellationToken cancellationToken)
    {
        // A PUBACK belongs to the connection that delivered the message; a later one gets it again instead.
        if (connection != Volatile.Read(ref _connection) || !_client.IsConnected) return;
        try
        {
            await e.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_client.IsConnected || connection != Volatile.Read(ref _connection))
        {
            _log.LogDebug(ex, "The connection went before a message on {Topic} was acknowledged; the broker delivers it again", e.ApplicationMessage.Topic);
        }
    }

    Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (!e.ClientWasConnected) return Task.CompletedTask;
        if (!_closing && !_stopping.IsCancellationRequested)
            _log.LogWarning("Disconnected from MQTT broker {Endpoint}: {Reason}", Endpoint, e.Exception?.Message ?? e.Reason.ToString());
        if (!_closing) Disconnected?.Invoke();
        try { _lost.Release(); }
        catch (SemaphoreFullException) { }
        catch (ObjectDisposedException) { }
        return Task.CompletedTask;
    }
}
