using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PostureSense.Core.Contract;

namespace PostureSense.Server.Cluster;

/// <summary>
/// Hands each stored telemetry batch to its device's grain: one device's batches one after another,
/// in the order they were stored, different devices side by side, and the node's coaching loop
/// waits for none of them (only for room when <see cref="MaxPending"/> are under way). A call that
/// fails is tried again for a while, since the usual reason is a node that died and is not yet
/// declared dead (about 40 s): until then calls to the grains it held fail or hang for the 30 s
/// response timeout. Waiting for such a call in the coaching loop stopped every other device's
/// prompts on the node with it; dropping the batch left the grain without frames the store has.
/// </summary>
public sealed partial class GrainHandoff : IAsyncDisposable
{
    /// <summary>Batches handed over but not yet taken by their grain; past this the caller waits.</summary>
    public const int MaxPending = 5000;

    /// <summary>How long a batch is tried again: past a dead node's ~40 s and its grains' activation elsewhere.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    readonly Func<DeviceId, TelemetryBatch, CancellationToken, Task> _deliver;
    readonly ILogger _log;
    readonly SemaphoreSlim _slots = new(MaxPending, MaxPending);
    readonly Dictionary<DeviceId, Task> _lastOfDevice = [];
    readonly CancellationTokenSource _stop = new();
    readonly ResiliencePipeline _retry;

    /// <summary>Hands batches to the device grains of this node's cluster.</summary>
    public static GrainHandoff ToGrains(IGrainFactory grains, ILogger<GrainHandoff> log) =>
        new((deviceId, batch, ct) => grains.GetGrain<IDeviceGrain>(deviceId.Value).OnBatchStoredAsync(batch, ct), log);

    /// <param name="deliver">One batch to its device's grain.</param>
    /// <param name="retryClock">Times the retries' backoff and the give-up; real time unless a test says otherwise.</param>
    public GrainHandoff(Func<DeviceId, TelemetryBatch, CancellationToken, Task> deliver, ILogger<GrainHandoff> log, TimeProvider? retryClock = null)
    {
        _deliver = deliver;
        _log = log;
        _retry = new ResiliencePipelineBuilder { TimeProvider = retryClock ?? TimeProvider.System }
            .AddTimeout(GiveUpAfter)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => !_stop.IsCancellationRequested && ex is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = args =>
                {
                    LogRetrying(args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Batches handed over and not yet taken by their grain.</summary>
    public int Pending => MaxPending - _slots.CurrentCount;

    /// <summary>Queues the batch behind the device's earlier ones; waits only while <see cref="MaxPending"/> are under way.</summary>
    public async ValueTask HandOverAsync(DeviceId deviceId, TelemetryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task handed;
        lock (_lastOfDevice)
        {
            var before = _lastOfDevice.GetValueOrDefault(deviceId, Task.CompletedTask);
            handed = HandOverAfterAsync(before, deviceId, batch);
            _lastOfDevice[deviceId] = handed;
        }
        _ = handed.ContinueWith(_ => Done(deviceId, handed), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Every batch handed over so far has been taken, or given up on.</summary>
    public Task DrainedAsync()
    {
        lock (_lastOfDevice) return Task.WhenAll(_lastOfDevice.Values);
    }

    async Task HandOverAfterAsync(Task before, DeviceId deviceId, TelemetryBatch batch)
    {
        await before.ConfigureAwait(false);
        try
        {
            await _retry.ExecuteAsync(
                async ct => await _deliver(deviceId, batch, ct).ConfigureAwait(false),
                _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The node is stopping: the batch is stored, and the grain's next activation catches up from the store.
        }
        catch (Exception ex)
        {
            // Stored all the same; the grain catches up from the store when the device's batches pause.
            LogGaveUp(ex, deviceId, batch.Seq, GiveUpAfter);
        }
    }

    void Done(DeviceId deviceId, Task handed)
    {
        lock (_lastOfDevice)
        {
            // Only the device's newest handoff is kept; an older one finishing leaves it.
            if (_lastOfDevice.TryGetValue(deviceId, out var last) && last == handed) _lastOfDevice.Remove(deviceId);
        }
        _slots.Release();
    }

    /// <summary>Stops trying: what is still under way is let go (it is stored; grains catch up from the store).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await DrainedAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handing a batch to its device grain failed (attempt {Attempt}); again in {Delay}")]
    partial void LogRetrying(Exception ex, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up handing batch {Seq} of {DeviceId} to its grain after {Window}; its grain coaches it from the store")]
    partial void LogGaveUp(Exception ex, DeviceId deviceId, long seq, TimeSpan window);
}
