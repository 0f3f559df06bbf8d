using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage.DeadLetters;

namespace PostureSense.Storage;

/// <summary>
/// Retries failed writes with backoff until they succeed or the server stops. Ingestion
/// acknowledges a message only after its write, so while the store is down the broker keeps the
/// messages queued and nothing is lost; when it comes back, ingestion carries on where it was.
/// Reads are not retried: a dashboard request should fail fast.
/// A write that can never succeed (<see cref="StoreRefusals"/>: a point out of range, a 400, a
/// constraint) is not retried either: the batch it is in is halved until it stands alone, the rest
/// is stored, and it is kept as a dead letter, so one bad message holds up nothing else.
/// </summary>
/// <param name="observer">Told of every failed attempt (the server counts them in its stats).</param>
/// <param name="clock">Stamps the failures.</param>
/// <param name="backoffClock">Times the backoff; real time unless a test says otherwise. Not the
/// wearer's clock: this waits on a disk or a database, and an accelerated demo day must not hammer it.</param>
/// <param name="deadLetters">Where refused writes are kept; in memory unless given.</param>
public sealed class RetryingStore(IPostureStore inner, IStoreObserver observer, TimeProvider clock, ILogger<RetryingStore> log,
    TimeProvider? backoffClock = null, DeadLetterFile? deadLetters = null) : IPostureStore
{
    // NaN and infinities spelled out: a value the store could not take may well be one of them.
    static readonly JsonSerializerOptions WriteJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    readonly ConcurrentDictionary<string, bool> _reasonsLogged = new(StringComparer.Ordinal);

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    static readonly ResiliencePropertyKey<string> What = new("posturesense.store.what");

    readonly TimeProvider _backoffClock = backoffClock ?? TimeProvider.System;

    // Every failure but the caller's cancellation and a refusal for good is worth another try: the
    // write is idempotent (a frame is its device and ts), and giving up would mean acknowledging
    // what is not stored.
    readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder { TimeProvider = backoffClock ?? TimeProvider.System }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException && StoreRefusals.PermanentReason(ex) is null),
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

    /// <summary>Writes refused for good, kept.</summary>
    public DeadLetterFile DeadLetters { get; } = deadLetters ?? new DeadLetterFile(null);

    public int WritesInFlight => inner.WritesInFlight;

    public async Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        try
        {
            await RetryAsync($"a batch of {writes.Count} messages", ct => inner.WriteBatchAsync(writes, ct), cancellationToken);
        }
        catch (Exception ex) when (StoreRefusals.PermanentReason(ex) is { } reason)
        {
            if (writes.Count == 1)
            {
                Dead(writes[0], reason, ex);
                return;
            }
            // Which message is refused is not known: halves, each halved again, until it stands alone.
            // Writing again what the store already took changes nothing.
            var middle = writes.Count / 2;
            await WriteBatchAsync([.. writes.Take(middle)], cancellationToken);
            await WriteBatchAsync([.. writes.Skip(middle)], cancellationToken);
        }
    }

    public Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default) =>
        WriteOneAsync(new FramesWrite(deviceId, frames), "frames of " + deviceId, ct => inner.WriteFramesAsync(deviceId, frames, ct), cancellationToken);

    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default) =>
        WriteOneAsync(new PromptWrite(prompt), "prompt for " + prompt.DeviceId, ct => inner.WritePromptAsync(prompt, ct), cancellationToken);

    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) =>
        WriteOneAsync(new AckWrite(ack), "ack from " + ack.DeviceId, ct => inner.WriteAckAsync(ack, ct), cancellationToken);

    public Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) =>
        WriteOneAsync(new StatusWrite(deviceId, status, receivedTs), "status of " + deviceId,
            ct => inner.WriteStatusAsync(deviceId, status, receivedTs, ct), cancellationToken);

    async Task WriteOneAsync(StoreWrite write, string what, Func<CancellationToken, Task> op, CancellationToken cancellationToken)
    {
        try
        {
            await RetryAsync(what, op, cancellationToken);
        }
        catch (Exception ex) when (StoreRefusals.PermanentReason(ex) is { } reason)
        {
            Dead(write, reason, ex);
        }
    }

    /// <summary>Sets a write aside for good: kept, counted, and logged once per reason (then at debug level).</summary>
    void Dead(StoreWrite write, string reason, Exception error)
    {
        var letter = new DeadLetter(clock.GetUtcNow().ToUnixTimeMilliseconds(), write.DeviceId, Kind(write), reason, error.Message, Json(write));
        var kept = DeadLetters.Keep(letter);
        observer.WriteDeadLettered(letter, DeadLetters.Count);
        var where = DeadLetters.Path ?? "memory";
        if (_reasonsLogged.TryAdd(reason, true))
            log.StoreDeadLettered(error, letter.Kind, write.DeviceId, reason,
                kept ? "kept as a dead letter in" : "could not keep it as a dead letter in", where);
        else
            log.StoreDeadLetteredAgain(letter.Kind, write.DeviceId, reason, error.Message);
    }

    static string Json(StoreWrite write)
    {
        try { return JsonSerializer.Serialize(write, write.GetType(), WriteJson); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException) { return write.ToString(); }
    }

    static string Kind(StoreWrite write) => write switch
    {
        FramesWrite => "frames",
        StatusWrite => "status",
        AckWrite => "ack",
        PromptWrite => "prompt",
        _ => write.GetType().Name,
    };

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
