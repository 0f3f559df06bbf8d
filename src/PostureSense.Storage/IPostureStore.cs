using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage;

/// <summary>
/// Where frames, prompts, acks and device status are kept. Backend neutral: SQLite now, a time
/// series database later. Time ranges are Unix epoch milliseconds, from inclusive, to exclusive.
/// A frame's identity is (device, ts): writing it again replaces it, never duplicates it.
/// </summary>
public interface IPostureStore : IAsyncDisposable
{
    /// <summary>
    /// Stores the writes in order, all or nothing: when it returns they are durable and the
    /// messages they came from may be acknowledged; when it throws, none may be.
    /// </summary>
    Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many <see cref="WriteBatchAsync"/> calls are worth running at once. One for a local
    /// file, which writes one transaction at a time anyway; more for a server reached over the
    /// network, which can take the next batch while answering the last.
    /// </summary>
    int WritesInFlight => 1;

    Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default);
    Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default);
    Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default);
    Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default);

    /// <summary>Frames in time order.</summary>
    Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default);
    /// <summary>Prompts in time order.</summary>
    Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default);
    /// <summary>Acks in time order.</summary>
    Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default);
    Task<DeviceRecord?> GetDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// False only when the store is sure it held nothing of this device when this process opened
    /// it: everything there is of the device was then written by this process, so a new coach
    /// has no history to read back. True when unsure.
    /// </summary>
    bool HeldBeforeOpen(DeviceId deviceId);

    /// <summary>The newest prompt for this reason, so a restarted server neither repeats nor forgets it.</summary>
    Task<PromptRecord?> LastPromptAsync(DeviceId deviceId, PromptReason reason, CancellationToken cancellationToken = default);
}

/// <summary>
/// What the store knows of a device: it is recognised on its first message, there is no registration.
/// </summary>
/// <param name="FirstSeenTs">When the server first stored anything from it (server time).</param>
/// <param name="LastFrameTs">Its newest frame's ts, if it sent any.</param>
/// <param name="Status">Its newest status message, if any.</param>
/// <param name="StatusReceivedTs">When that status arrived (server time).</param>
public sealed record DeviceRecord(DeviceId DeviceId, long FirstSeenTs, long? LastFrameTs, DeviceStatus? Status, long? StatusReceivedTs);
