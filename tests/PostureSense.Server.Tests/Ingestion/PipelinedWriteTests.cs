using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Coaching;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Storage;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Tests.Ingestion;

/// <summary>
/// With two store writes in flight, a later write may finish first; the broker must still get
/// acknowledgements in arrival order, and none before its own write is stored.
/// </summary>
public class PipelinedWriteTests
{
    [Fact]
    public async Task A_later_write_finishing_first_does_not_acknowledge_ahead_of_an_earlier_one()
    {
        using var dir = new TempDirectory();
        await using var sqlite = await SqliteStore.OpenAsync(dir.File("pipe.db"));
        var store = new GatedStore(sqlite);
        var stats = new IngestionStats();
        var coaching = new CoachingService(store, new NoCommands(), stats, TimeProvider.System, NullLogger<CoachingService>.Instance);
        var pipeline = new IngestionPipeline(store, coaching, stats, TimeProvider.System, NullLogger<IngestionPipeline>.Instance);
        await using var queue = new IngestionQueue(pipeline, NullLogger<IngestionQueue>.Instance, writesInFlight: 2);
        // The loops as the server's host runs them.
        using var storing = new IngestionStoreWorker(queue, new WorkerHealth(), new WorkerRestart(), NullLogger<IngestionStoreWorker>.Instance);
        using var coach = new IngestionCoachWorker(queue, new WorkerHealth(), new WorkerRestart(), NullLogger<IngestionCoachWorker>.Instance);
        await storing.StartAsync(default);
        await coach.StartAsync(default);

        var acked = new ConcurrentQueue<long>();
        await queue.EnqueueAsync(Batch(1), _ => { acked.Enqueue(1); return Task.CompletedTask; }, default);
        await store.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await queue.EnqueueAsync(Batch(2), _ => { acked.Enqueue(2); return Task.CompletedTask; }, default);

        // The second write runs and completes while the first is held...
        await store.SecondWriteDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.Empty(acked);

        // ...and once the first is stored, both are acknowledged, first things first.
        store.ReleaseFirst.SetResult();
        await Eventually.TrueAsync(() => acked.Count == 2, "both messages acknowledged");
        Assert.Equal([1L, 2L], acked.ToArray());
        Assert.Equal(2, (await sqlite.ReadFramesAsync(DeviceId.Parse("desk-1"), 0, long.MaxValue)).Count);
        await storing.StopAsync(default);
        await coach.StopAsync(default);
    }

    static InboundMessage Batch(long seq)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000 + seq * 1000;
        return new InboundMessage(Topics.For(DeviceId.Parse("desk-1"), Topics.Telemetry),
            WireFormat.Serialize(new TelemetryBatch(1, seq, [new PostureFrame(ts, 5, 0, 0.01, 0)])));
    }

    sealed class NoCommands : ICommandPublisher
    {
        public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A real store whose first batch write is held until the test lets it go.</summary>
    sealed class GatedStore(IPostureStore inner) : IPostureStore
    {
        int _writes;
        public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource SecondWriteDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
        {
            var n = Interlocked.Increment(ref _writes);
            if (n == 1)
            {
                FirstWriteStarted.SetResult();
                await ReleaseFirst.Task.WaitAsync(cancellationToken);
            }
            await inner.WriteBatchAsync(writes, cancellationToken);
            if (n == 2) SecondWriteDone.SetResult();
        }

        public Task WriteFramesAsync(DeviceId d, IReadOnlyList<PostureFrame> f, CancellationToken c = default) => inner.WriteFramesAsync(d, f, c);
        public Task WritePromptAsync(PromptRecord p, CancellationToken c = default) => inner.WritePromptAsync(p, c);
        public Task WriteAckAsync(AckRecord a, CancellationToken c = default) => inner.WriteAckAsync(a, c);
        public Task WriteStatusAsync(DeviceId d, DeviceStatus s, long r, CancellationToken c = default) => inner.WriteStatusAsync(d, s, r, c);
        public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId d, long f, long t, CancellationToken c = default) => inner.ReadFramesAsync(d, f, t, c);
        public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId d, long f, long t, CancellationToken c = default) => inner.ReadPromptsAsync(d, f, t, c);
        public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId d, long f, long t, CancellationToken c = default) => inner.ReadAcksAsync(d, f, t, c);
        public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken c = default) => inner.ListDevicesAsync(c);
        public Task<DeviceRecord?> GetDeviceAsync(DeviceId d, CancellationToken c = default) => inner.GetDeviceAsync(d, c);
        public bool HeldBeforeOpen(DeviceId d) => inner.HeldBeforeOpen(d);
        public Task<PromptRecord?> LastPromptAsync(DeviceId d, PromptReason r, CancellationToken c = default) => inner.LastPromptAsync(d, r, c);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
