using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server.Broker;
using PostureSense.Server.Coaching;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Server.Workers;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Ingestion;

/// <summary>
/// The embedded broker's hand-over to ingestion: an answer only once stored, a refusal when there
/// is no room or no write in time, nothing when nobody waits; and what was given up is not stored late.
/// </summary>
public sealed class EmbeddedIntakeTests : IAsyncLifetime
{
    static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(5);
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _time = new();
    SqliteStore _store = null!;
    IngestionQueue _queue = null!;
    IngestionStoreWorker _storing = null!;
    EmbeddedIntake _intake = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteStore.OpenAsync(_dir.File("intake.db"));
        var stats = new IngestionStats();
        var coaching = new CoachingService(_store, new NoCommands(), stats, TimeProvider.System, NullLogger<CoachingService>.Instance);
        var pipeline = new IngestionPipeline(_store, coaching, stats, TimeProvider.System, NullLogger<IngestionPipeline>.Instance);
        _queue = new IngestionQueue(pipeline, NullLogger<IngestionQueue>.Instance);
        _storing = new IngestionStoreWorker(_queue, new WorkerHealth(), new WorkerRestart(), NullLogger<IngestionStoreWorker>.Instance);
        _intake = new EmbeddedIntake(_queue, HoldLimit, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _storing.StopAsync(default);
        _storing.Dispose();
        await _queue.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_message_is_answered_only_once_it_is_stored()
    {
        var taking = _intake.TakeAsync(Topic, Batch(1), default);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(taking.IsCompleted, "no answer before the store loop has written it");

        await _storing.StartAsync(default);

        Assert.Equal(IntakeVerdict.Stored, await taking.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Single(await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), 0, long.MaxValue, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_message_not_stored_in_time_is_refused_and_not_stored_late()
    {
        var taking = _intake.TakeAsync(Topic, Batch(1), default);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        _time.Advance(HoldLimit);
        Assert.Equal(IntakeVerdict.NotStoredInTime, await taking.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        // The device sends it again; the one it gave up on is skipped, not written besides.
        await _storing.StartAsync(default);
        Assert.Equal(IntakeVerdict.Stored, await _intake.TakeAsync(Topic, Batch(2), default).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal([Ts(2)], (await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), 0, long.MaxValue, TestContext.Current.CancellationToken)).Select(f => f.Ts));
        Assert.Equal(0, _queue.Waiting);
    }

    [Fact]
    public async Task A_message_nobody_waits_for_any_more_is_abandoned()
    {
        using var connectionGone = new CancellationTokenSource();
        var taking = _intake.TakeAsync(Topic, Batch(1), connectionGone.Token);
        await connectionGone.CancelAsync();
        Assert.Equal(IntakeVerdict.Abandoned, await taking.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Past_the_queue_limit_a_message_is_refused_at_once()
    {
        for (var i = 0; i < IngestionQueue.MaxInFlight; i++)
            Assert.True(_queue.TryEnqueue(new InboundMessage(Topic, Batch(i)), _ => Task.CompletedTask, default));

        Assert.Equal(IntakeVerdict.Full, await _intake.TakeAsync(Topic, Batch(-1), default).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    static readonly string Topic = Topics.For(DeviceId.Parse("desk-1"), Topics.Telemetry);
    static readonly long Start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;

    static long Ts(long seq) => Start + seq * 1000;

    static byte[] Batch(long seq) =>
        WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, Math.Max(1, seq), [new PostureFrame(Ts(seq), 5, 0, 0.01, 0)]));

    sealed class NoCommands : ICommandPublisher
    {
        public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
