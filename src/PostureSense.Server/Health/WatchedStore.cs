using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Health;

/// <summary>Whether the store took its latest write, for <c>/readyz</c>.</summary>
public sealed class StoreHealth
{
    volatile string? _problem;

    /// <summary>Why the latest write attempt failed; null when it succeeded, or none was made yet.</summary>
    public string? Problem => _problem;

    public void Wrote() => _problem = null;
    public void Failed(string problem) => _problem = problem;
}

/// <summary>
/// Sits between the retries and the store itself, so it sees every attempt and knows whether the
/// latest one went through (<see cref="StoreHealth"/>).
/// </summary>
public sealed class WatchedStore(IPostureStore inner, StoreHealth health) : IPostureStore
{
    public IPostureStore Inner => inner;

    public int WritesInFlight => inner.WritesInFlight;

    public Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) =>
        WatchAsync(inner.WriteBatchAsync(writes, cancellationToken));

    public Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default) =>
        WatchAsync(inner.WriteFramesAsync(deviceId, frames, cancellationToken));

    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default) =>
        WatchAsync(inner.WritePromptAsync(prompt, cancellationToken));

    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) =>
        WatchAsync(inner.WriteAckAsync(ack, cancellationToken));

    public Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) =>
        WatchAsync(inner.WriteStatusAsync(deviceId, status, receivedTs, cancellationToken));

    public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        inner.ReadFramesAsync(deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        inner.ReadPromptsAsync(deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        inner.ReadAcksAsync(deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default) =>
        inner.ListDevicesAsync(cancellationToken);

    public Task<DeviceRecord?> GetDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken = default) =>
        inner.GetDeviceAsync(deviceId, cancellationToken);

    public Task<PromptRecord?> LastPromptAsync(DeviceId deviceId, PromptReason reason, CancellationToken cancellationToken = default) =>
        inner.LastPromptAsync(deviceId, reason, cancellationToken);

    public bool HeldBeforeOpen(DeviceId deviceId) => inner.HeldBeforeOpen(deviceId);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    // How long each attempt took is the store's own metric (StoreMetrics, recorded by the retrying store).
    async Task WatchAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            health.Failed(ex.Message);
            throw;
        }
        health.Wrote();
    }
}
