using System.Collections.Concurrent;
using System.Text;
using PostureSense.Mqtt.Receiving;

namespace PostureSense.Mqtt.Tests.Support;

/// <summary>What a link's handler was given, in order.</summary>
sealed class Received
{
    readonly ConcurrentQueue<ReceivedMessage> _messages = new();

    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];
    public IReadOnlyList<string> Payloads => [.. _messages.Select(m => Encoding.UTF8.GetString(m.Payload))];
    public int Count => _messages.Count;

    public Task Handle(ReceivedMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }
}
