using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>An MQTTnet client on a test broker that records what it receives, with bounded waits.</summary>
sealed class MqttTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    readonly Channel<(string Topic, string Payload)> _received = Channel.CreateUnbounded<(string, string)>();

    MqttTestClient(IMqttClient client)
    {
        Client = client;
        // Attached before connecting so nothing that arrives on connect is missed.
        client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Writer.TryWrite((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    /// <param name="persistentSession">A fixed client id (<paramref name="user"/>) and a session that outlives the connection.</param>
    public static MqttClientOptions Options(
        MosquittoServer broker, string? user, string? password, MqttProtocolVersion version = MqttProtocolVersion.V500, bool persistentSession = false)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(persistentSession ? user : $"{user ?? "anonymous"}-{Guid.NewGuid():N}")
            .WithProtocolVersion(version)
            .WithTimeout(Wait);
        if (persistentSession) builder.WithCleanSession(false).WithSessionExpiryInterval(3600);
        if (user is not null) builder.WithCredentials(user, password);
        return builder.Build();
    }

    public static async Task<MqttTestClient> ConnectAsync(
        MosquittoServer broker, string user, string password, MqttProtocolVersion version = MqttProtocolVersion.V500, bool persistentSession = false)
    {
        var client = new MqttTestClient(new MqttClientFactory().CreateMqttClient());
        var result = await client.Client.ConnectAsync(Options(broker, user, password, version, persistentSession), Timeout());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var options = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await Client.SubscribeAsync(options, Timeout());
        return Assert.Single(result.Items).ResultCode;
    }

    public async Task<MqttClientPublishResult> PublishAsync(string topic, string payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return await Client.PublishAsync(message, Timeout());
    }

    /// <summary>The next message received, failing the test if none comes within <see cref="Wait"/>.</summary>
    public async Task<(string Topic, string Payload)> NextAsync()
    {
        try
        {
            return await _received.Reader.ReadAsync(Timeout());
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no message within {Wait.TotalSeconds} s");
        }
    }

    /// <summary>
    /// Messages up to and including the first on <paramref name="fenceTopic"/>. mosquitto hands a message to
    /// its subscribers before it acknowledges the publish, and keeps each subscriber's order; so once a
    /// fence published after that acknowledgement arrives, anything the message would have produced is
    /// already here. Non-delivery is proved without sleeping.
    /// </summary>
    public async Task<List<(string Topic, string Payload)>> UntilAsync(string fenceTopic)
    {
        var seen = new List<(string Topic, string Payload)>();
        while (true)
        {
            var message = await NextAsync();
            seen.Add(message);
            if (message.Topic == fenceTopic) return seen;
        }
    }

    static CancellationToken Timeout()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Wait);
        return cts.Token;
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            using var cts = new CancellationTokenSource(Wait);
            try { await Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cts.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException) { }
        }
        Client.Dispose();
    }
}
