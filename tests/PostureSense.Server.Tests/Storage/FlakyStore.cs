using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Storage;

/// <summary>A store whose next writes fail as a disk or a database that went away would.</summary>
sealed class FlakyStore(IPostureStore inner) : IPostureStore
{
    int _failNext;
    int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);
    public bool FailReads { get; set; }

    public void FailNext(int writes) => Volatile.Write(ref _failNext, writes);

    Task Write(Func<Task> write)
    {
        Interlocked.Increment(ref _attempts);
        if (Interlocked.Decrement(ref _failNext) >= 0) return Task.FromException(new IOException("disk I/O error"));
        return write();
    }

    Task<T> Read<T>(Func<Task<T>> read) => FailReads ? Task.FromException<T>(new IOException("disk I/O error")) : read();

    public Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) =>
        Write(() => inner.WriteBatchAsync(writes, cancellationToken));
    public Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default) =>
        Write(() => inner.WriteFramesAsync(deviceId, frames, cancellationToken));
    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default) =>
        Write(() => inner.WritePromptAsync(prompt, cancellationToken));
    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) =>
        Write(() => inner.WriteAckAsync(ack, cancellationToken));
    public Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) =>
        Write(() => inner.WriteStatusAsync(deviceId, status, receivedTs, cancellationToken));

    public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        Read(() => inner.ReadFramesAsync(deviceId, fromTs, toTs, cancellationToken));
    public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        Read(() => inner.ReadPromptsAsync(deviceId, fromTs, toTs, cancellationToken));
    public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        Read(() => inner.ReadAcksAsync(deviceId, fromTs, toTs, cancellationToken));
    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default) =>
        Read(() => inner.ListDevicesAsync(cancellationToken));
    public Task<DeviceRecord?> GetDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken = default) =>
        Read(() => inner.GetDeviceAsync(deviceId, cancellationToken));
    public Task<PromptRecord?> LastPromptAsync(DeviceId deviceId, PromptReason reason, CancellationToken cancellationToken = default) =>
        Read(() => inner.LastPromptAsync(deviceId, reason, cancellationToken));

    public bool HeldBeforeOpen(DeviceId deviceId) => inner.HeldBeforeOpen(deviceId);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
