namespace PostureSense.Server.Broker;

/// <summary>
/// Where the embedded broker hands a device's telemetry, status and acks, inside its publish
/// interception: the broker answers the publish (PUBACK) only once this has returned, with what
/// it returned. So a device drops a batch from its outbox only after the batch is stored, and a
/// device that sends faster than the store writes is slowed down instead of losing batches.
/// </summary>
public interface IPublishIntake
{
    /// <summary>Completes once the message is stored (or rejected for good), or with why it was not taken.</summary>
    /// <param name="payload">A copy: it is kept after the publish has been answered.</param>
    /// <param name="abandon">Cancelled when nobody waits for the answer any more (the connection went, the server stops).</param>
    Task<IntakeVerdict> TakeAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken abandon);
}

/// <summary>What became of a publish handed to <see cref="IPublishIntake"/>.</summary>
public enum IntakeVerdict
{
    /// <summary>Stored, or rejected for good and counted: acknowledged.</summary>
    Stored,

    /// <summary>Too many messages wait to be stored already: refused, the device sends it again later.</summary>
    Full,

    /// <summary>Not stored within the time a device waits for its PUBACK (the store is slow or down): refused, sent again later.</summary>
    NotStoredInTime,

    /// <summary>Nobody waits for the answer any more (connection gone, server stopping): not acknowledged at all.</summary>
    Abandoned,
}
