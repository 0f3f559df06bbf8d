using PostureSense.Core.Contract;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Storage;
using PostureSense.Storage.DeadLetters;

namespace PostureSense.Server.Tests.Storage;

public sealed class RetryingStoreTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _clock = new(TestFrames.Morning);
    readonly FakeTimeProvider _backoff = new(TestFrames.Morning);
    readonly Failures _failures = new();
    FlakyStore _flaky = null!;
    RetryingStore _store = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync()
    {
        _flaky = new FlakyStore(await SqliteStore.OpenAsync(_dir.File("store.db"), _clock, Ct));
        _store = new RetryingStore(_flaky, _failures, _clock, NullLogger<RetryingStore>.Instance, _backoff);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_write_that_fails_for_a_while_is_stored_once_the_store_comes_back()
    {
        _flaky.FailNext(3);
        var frames = TestFrames.Run(T0, 5, pitch: 10);

        var write = _store.WriteBatchAsync([new FramesWrite(DeviceId.Parse("desk-1"), frames)], Ct);
        await WaitUntilAsync(() => _failures.Count == 1);
        // The backoff waits on its clock: without time passing, nothing is retried, nothing acknowledged.
        Assert.False(write.IsCompleted);
        await AdvanceUntilDoneAsync(write);

        Assert.Equal(4, _flaky.Attempts);
        Assert.Equal(frames, await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
        Assert.Equal([1, 2, 3], _failures.All.Select(f => f.Attempt));
        Assert.All(_failures.All, f =>
        {
            Assert.Equal("a batch of 1 messages", f.What);
            Assert.IsType<IOException>(f.Error);
            Assert.InRange(f.RetryIn, TimeSpan.Zero, RetryingStore.MaxDelay);
            Assert.Equal(T0, f.Ts);
        });
    }

    [Fact]
    public async Task Retries_and_write_times_are_counted_on_the_PostureSense_meter()
    {
        long retries = 0, timedWrites = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (instrument.Name == "posturesense.store.write.retries" && tag is { Key: "retried.by", Value: "store" })
                    Interlocked.Add(ref retries, value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "posturesense.store.write.duration") Interlocked.Increment(ref timedWrites);
        });
        listener.Start();
        _flaky.FailNext(2);

        await AdvanceUntilDoneAsync(_store.WriteFramesAsync(DeviceId.Parse("desk-1"), TestFrames.Run(T0, 2, pitch: 10), Ct));

        // At least: the meter is shared, and other tests may write at the same time.
        Assert.True(Interlocked.Read(ref retries) >= 2);
        Assert.True(Interlocked.Read(ref timedWrites) >= 3);
    }

    [Fact]
    public async Task A_stopping_server_gives_up_without_saying_the_write_was_stored()
    {
        _flaky.FailNext(int.MaxValue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var write = _store.WritePromptAsync(new PostureSense.Core.History.PromptRecord(DeviceId.Parse("desk-1"), "c1", T0,
            PostureSense.Core.Exercises.PromptReason.Hunch, "cat-cow", "pulse", T0), stop.Token);
        await WaitUntilAsync(() => _failures.Count >= 2, advance: true);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Empty(await _store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0, T0 + 1, Ct));
    }

    [Fact]
    public async Task A_message_the_store_refuses_for_good_is_dead_lettered_and_the_rest_of_its_batch_is_stored()
    {
        var good1 = TestFrames.Run(T0, 5, pitch: 10);
        var good2 = TestFrames.Run(T0, 5, pitch: 20);
        // SQLite cannot store NaN (its driver refuses to bind it): a refusal no retry can change.
        var refused = new FramesWrite(DeviceId.Parse("desk-bad"), [new PostureSense.Core.Posture.PostureFrame(T0, double.NaN, 0, 0, 0)]);

        // Never advances the backoff clock: a retry would hang here, so finishing proves there was none.
        await _store.WriteBatchAsync([new FramesWrite(DeviceId.Parse("desk-1"), good1), refused, new FramesWrite(DeviceId.Parse("desk-2"), good2)], Ct);

        Assert.Equal(good1, await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
        Assert.Equal(good2, await _store.ReadFramesAsync(DeviceId.Parse("desk-2"), T0, T0 + 10_000, Ct));
        var letter = Assert.Single(_store.DeadLetters.ReadAll());
        Assert.Equal((DeviceId.Parse("desk-bad"), "frames", "out-of-range", T0), (letter.DeviceId, letter.Kind, letter.Reason, letter.Ts));
        Assert.Contains("NaN", letter.Error);
        Assert.Contains("\"deviceId\":\"desk-bad\"", letter.Write);
        Assert.Equal(0, _failures.Count);
        Assert.Equal(["out-of-range"], _failures.DeadLetters.Select(d => d.Reason));
        Assert.Equal(1, _store.DeadLetters.Count);
    }

    [Fact]
    public async Task A_single_write_refused_for_good_is_dead_lettered_and_not_retried()
    {
        await _store.WriteFramesAsync(DeviceId.Parse("desk-bad"), [new PostureSense.Core.Posture.PostureFrame(T0, 10, double.NaN, 0, 0)], Ct);

        Assert.Equal("out-of-range", Assert.Single(_store.DeadLetters.ReadAll()).Reason);
        Assert.Equal(1, _flaky.Attempts);
    }

    [Fact]
    public async Task A_failure_that_may_pass_is_still_retried_and_not_dead_lettered()
    {
        _flaky.FailNext(2);
        var frames = TestFrames.Run(T0, 2, pitch: 10);

        await AdvanceUntilDoneAsync(_store.WriteBatchAsync([new FramesWrite(DeviceId.Parse("desk-1"), frames)], Ct));

        Assert.Equal(frames, await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
        Assert.Empty(_store.DeadLetters.ReadAll());
        Assert.Equal(2, _failures.Count);
    }

    [Fact]
    public async Task Reads_are_not_retried()
    {
        _flaky.FailReads = true;

        await Assert.ThrowsAsync<IOException>(() => _store.ListDevicesAsync(Ct));

        Assert.Equal(0, _failures.Count);
    }

    async Task AdvanceUntilDoneAsync(Task write)
    {
        for (var i = 0; i < 1000 && !write.IsCompleted; i++)
        {
            _backoff.Advance(RetryingStore.MaxDelay);
            await Task.Delay(5, Ct);
        }
        await write;
    }

    async Task WaitUntilAsync(Func<bool> condition, bool advance = false)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            if (advance) _backoff.Advance(RetryingStore.MaxDelay);
            await Task.Delay(5, Ct);
        }
        Assert.True(condition());
    }

    sealed class Failures : IStoreObserver
    {
        readonly List<StoreWriteFailure> _all = [];
        public int Count { get { lock (_all) return _all.Count; } }
        public IReadOnlyList<StoreWriteFailure> All { get { lock (_all) return [.. _all]; } }
        public void WriteFailed(StoreWriteFailure failure) { lock (_all) _all.Add(failure); }
        readonly List<DeadLetter> _dead = [];
        public IReadOnlyList<DeadLetter> DeadLetters { get { lock (_dead) return [.. _dead]; } }
        public void WriteDeadLettered(DeadLetter letter, long kept) { lock (_dead) _dead.Add(letter); }
    }
}
