using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Hosting;
using PostureSense.Agent.Tests.Support;

namespace PostureSense.Agent.Tests.Hosting;

public class SupervisedLoopTests : IDisposable
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    readonly LogRecorder _log = new();

    [Fact]
    public async Task A_loop_that_throws_is_logged_by_name_and_restarted_after_a_backoff()
    {
        var runs = 0;
        var done = new TaskCompletionSource();
        Task Loop(CancellationToken stop)
        {
            if (++runs <= 2) throw new InvalidOperationException("boom");
            done.SetResult();
            return Task.Delay(Timeout.Infinite, stop);
        }
        using var stop = new CancellationTokenSource();
        var run = SupervisedLoop.RunAsync("sampling", Loop, _clock, _log.CreateLogger("agent"), stop.Token);

        Assert.Equal(1, runs);
        Assert.True(_log.Has(LogLevel.Error, "The sampling loop failed (1 in a row); restarting it in 1 s"));
        await AdvanceUntilAsync(() => runs == 2, notBefore: TimeSpan.FromSeconds(1));
        await WaitForAsync(() => _log.Has(LogLevel.Error, "restarting it in 2 s"));
        await AdvanceUntilAsync(() => done.Task.IsCompleted, notBefore: TimeSpan.FromSeconds(2));

        await stop.CancelAsync();
        await run; // stopping is not a failure
    }

    [Fact]
    public async Task A_loop_that_keeps_failing_is_given_up_on_with_its_name()
    {
        var runs = 0;
        Task Loop(CancellationToken _) => ++runs > 0 ? throw new IOException("disk gone") : Task.CompletedTask;
        var run = SupervisedLoop.RunAsync("batching", Loop, _clock, _log.CreateLogger("agent"), CancellationToken.None);

        while (!run.IsCompleted && runs < SupervisedLoop.MaxFailures)
        {
            var before = runs;
            await AdvanceUntilAsync(() => runs > before, notBefore: SupervisedLoop.FirstBackoff);
        }

        var error = await Assert.ThrowsAsync<LoopFailedException>(() => run);
        Assert.Equal(("batching", SupervisedLoop.MaxFailures), (error.Loop, runs));
        Assert.Contains("disk gone", error.Message);
        Assert.True(_log.Has(LogLevel.Critical, "The batching loop failed 5 times in a row; stopping the agent"));
    }

    /// <summary>
    /// Moves the fake clock on in small steps until <paramref name="condition"/> holds, and checks it
    /// did not hold sooner than <paramref name="notBefore"/>. Steps, not one jump: the retry puts its
    /// delay on the clock a moment after its log line, and a jump made before that would be lost,
    /// leaving the loop waiting for a time that has already passed.
    /// </summary>
    async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan notBefore)
    {
        var from = _clock.GetUtcNow();
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        await WaitForAsync(condition);
        Assert.True(_clock.GetUtcNow() - from >= notBefore, $"restarted after {(_clock.GetUtcNow() - from).TotalSeconds} s, before its {notBefore.TotalSeconds} s backoff");
    }

    static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.True(condition());
    }

    public void Dispose()
    {
        _log.Dispose();
        GC.SuppressFinalize(this);
    }
}
