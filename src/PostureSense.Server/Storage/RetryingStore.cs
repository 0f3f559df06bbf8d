using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Ingestion;

namespace PostureSense.Server.Storage;

/// <summary>
/// Retries failed writes with backoff until they succeed or the server stops. Ingestion
/// acknowledges a message only after its write, so while the store is down the broker keeps the
/// messages queued and nothing is lost; when it comes back, ingestion carries on where it was.
/// Reads are not retried: a dashboard request should fail fast.
/// </summary>
public sealed class RetryingStore(IPostureStore inner, IngestionStats stats, TimeProvider clock, ILogger<RetryingStore> log) : IPostureStore
{
    static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public IPostureStore Inner => inner;

    public int WritesInFlight => inner.WritesInFlight;

    public Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) =>
        RetryAsync($"a batch of {writes.Count} messages", ct => inner.WriteBatchAsync(writes, ct), cancellationToken);

    public Task WriteFramesAsync(string deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default) =>
        RetryAsync("frames of " + deviceId, ct => inner.WriteFramesAsync(deviceId, frames, ct), cancellationToken);

    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default) =>
        RetryAsync("prompt for " + prompt.DeviceId, ct => inner.WritePromptAsync(prompt, ct), cancellationToken);

    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) =>
        RetryAsync("ack from " + ack.DeviceId, ct => inner.WriteAckAsync(ack, ct), cancellationToken);

    public Task WriteStatusAsync(string deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) =>
        RetryAsync("status of " + deviceId, ct => inner.WriteStatusAsync(deviceId, status, receivedTs, ct), cancellationToken);

    public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(string deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        inner.ReadFramesAsync(deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(string deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        inner.ReadPromptsAsync(deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(string deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        inner.ReadAcksAsync(deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default) =>
        inner.ListDevicesAsync(cancellationToken);

    public Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        inner.GetDeviceAsync(deviceId, cancellationToken);

    public Task<PromptRecord?> LastPromptAsync(string deviceId, PromptReason reason, CancellationToken cancellationToken = default) =>
        inner.LastPromptAsync(deviceId, reason, cancellationToken);

    public bool HeldBeforeOpen(string deviceId) => inner.HeldBeforeOpen(deviceId);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    async Task RetryAsync(string what, Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write(cancellationToken);
                if (attempt > 1) log.LogInformation("Stored {What} after {Attempts} attempts", what, attempt);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                stats.Fail(RejectionReasons.StoreFailed, ex.Message, what, clock.GetUtcNow().ToUnixTimeMilliseconds());
                log.LogError(ex, "Could not store {What} (attempt {Attempt}); retrying in {Delay}", what, attempt, delay);
            }
            // Real time, not the injected clock: this waits on a disk or a database, not on the wearer.
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
