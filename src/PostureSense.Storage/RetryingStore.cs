using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage;

/// <summary>
/// Retries failed writes with backoff until they succeed or the server stops. Ingestion
/// acknowledges a message only after its write, so while the store is down the broker keeps the
/// messages queued and nothing is lost; when it comes back, ingestion carries on where it was.
/// Reads are not retried: a dashboard request should fail fast.
/// </summary>
/// <param name="observer">Told of every failed attempt (the server counts them in its stats).</param>
/// <param name="clock">Stamps the failures.</param>
/// <param name="backoffClock">Times the backoff; real time unless a test says otherwise. Not the
/// wearer's clock: this waits on a disk or a database, and an accelerated demo day must not hammer it.</param>
public sealed class RetryingStore(IPostureStore inner, IStoreObserver observer, TimeProvider clock, ILogger<RetryingStore> log,
    TimeProvider? backoffClock = null) : IPostureStore
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    static readonly ResiliencePropertyKey<string> What = new("posturesense.store.what");

    readonly TimeProvider _backoffClock = backoffClock ?? TimeProvider.System;

    // Every failure but the caller's cancellation is worth another try: the write is idempotent
    // (a frame is its device and ts), and giving up would mean acknowledging what is not stored.
    readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder { TimeProvider = backoffClock ?? TimeProvider.System }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstDelay,
            MaxDelay = MaxDelay,
            OnRetry = args =>
            {
                var what = args.Context.Properties.GetValue(What, "a write");
                var error = args.Outcome.Exception!;
                StoreMetrics.RecordRetry("store");
                observer.WriteFailed(new StoreWriteFailure(what, args.AttemptNumber + 1, error, args.RetryDelay,
                    clock.GetUtcNow().ToUnixTimeMilliseconds()));
                log.StoreRetrying(error, what, args.AttemptNumber + 1, args.RetryDelay);
                return default;
            },
        })
        .Build();

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
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(What, what);
        var attempts = 0;
        try
        {
            await _retry.ExecuteAsync(async ctx =>
            {
                attempts++;
                var started = _backoffClock.GetTimestamp();
                try
                {
                    await write(ctx.CancellationToken);
                    StoreMetrics.RecordWrite(_backoffClock.GetElapsedTime(started), null);
                }
                catch (Exception ex)
                {
                    StoreMetrics.RecordWrite(_backoffClock.GetElapsedTime(started), ex);
                    throw;
                }
            }, context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        if (attempts > 1) log.StoredAfterRetries(what, attempts);
    }
}
