namespace PostureSense.Mqtt.Receiving;

/// <summary>
/// A message from the broker. Its payload is a copy, so it may be kept after the handler returns.
/// With <see cref="Connecting.MqttLinkOptions.ManualAcknowledge"/> it stays unacknowledged until
/// <see cref="AcknowledgeAsync"/>; acknowledge in the order messages arrived.
/// </summary>
public sealed class ReceivedMessage
{
    readonly Func<CancellationToken, Task>? _acknowledge;

    public ReceivedMessage(string topic, byte[] payload, bool retained, bool duplicate, Func<CancellationToken, Task>? acknowledge)
    {
        Topic = topic;
        Payload = payload;
        Retained = retained;
        Duplicate = duplicate;
        _acknowledge = acknowledge;
    }

    public string Topic { get; }
    public byte[] Payload { get; }
    public bool Retained { get; }

    /// <summary>The broker may have delivered this one before (to an earlier connection).</summary>
    public bool Duplicate { get; }

    /// <summary>
    /// Sends the PUBACK. Does nothing when the link acknowledges by itself, or when the connection
    /// that delivered the message is gone: the broker then delivers it again.
    /// </summary>
    public Task AcknowledgeAsync(CancellationToken cancellationToken) => _acknowledge?.Invoke(cancellationToken) ?? Task.CompletedTask;
}
