using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace PostureSense.TestSupport.Fuzzing;

/// <summary>
/// Publishes a plan's messages through a real broker from several clients at once, at QoS 1: the
/// broker acknowledges each, so every message meant for the server is known to have reached the
/// broker, and the server (subscribed at QoS 1 with a persistent session) must count each one.
/// At QoS 0 a message dropped under load would make the counts disagree with no bug in the server.
/// </summary>
public static class MqttFuzzSender
{
    /// <param name="onQueued">Called on the producer, in order, for each message before it is handed to a client.</param>
    public static async Task<long> SendAsync(string host, int port, IEnumerable<FuzzMessage> messages, Action<FuzzMessage> onQueued,
        int clients, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<FuzzMessage>(new BoundedChannelOptions(clients * 64) { SingleWriter = true });
        long published = 0;
        var publishers = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"fuzz-publisher-{i}")
                .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).Build(), cancellationToken);
            await foreach (var message in queue.Reader.ReadAllAsync(cancellationToken))
            {
                var publish = new MqttApplicationMessageBuilder().WithTopic(message.Topic).WithPayload(message.Payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                try
                {
                    var result = await client.PublishAsync(publish, cancellationToken);
                    // "No matching subscribers" is a success: nobody listens on most junk topics.
                    if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
                        throw new InvalidOperationException($"the broker refused it: {result.ReasonCode} {result.ReasonString}");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"publishing message #{message.Index} ({message.Class}, {message.Payload.Length} bytes) on '{message.Topic}' failed: {ex.Message}", ex);
                }
                Interlocked.Increment(ref published);
            }
            await client.DisconnectAsync(cancellationToken: CancellationToken.None);
        }, cancellationToken)).ToList();

        try
        {
            foreach (var message in messages)
            {
                onQueued(message);
                await queue.Writer.WriteAsync(message, cancellationToken);
            }
        }
        finally
        {
            queue.Writer.TryComplete();
        }
        await Task.WhenAll(publishers);
        return published;
    }
}
