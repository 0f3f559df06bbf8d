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
        _clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => runs == 2);
        Assert.True(_log.Has(LogLevel.Error, "restarting it in 2 s"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        await done.Task.WaitAsync(TestContext.Current.CancellationToken);

        await stop.CancelAsync();
        await run; // stopping is not a failure
    }

    [Fact]
    public async Task A_loop_that_keeps_failing_is_given_up_on_with_its_name()
    {
        var runs = 0;
        Task Loop(CancellationToken _) => ++runs > 0 ? throw new IOException("disk gone") : Task.CompletedTask;
        var run = SupervisedLoop.RunAsync("batching", Loop, _clock, _log.CreateLogger("agent"), CancellationToken.None);

        for (var i = 0; i < SupervisedLoop.MaxFailures && !run.IsCompleted; i++)
        {
            await WaitForAsync(() => runs > i);
            _clock.Advance(SupervisedLoop.MaxBackoff);
        }

        var error = await Assert.ThrowsAsync<LoopFailedException>(() => run);
        Assert.Equal(("batching", SupervisedLoop.MaxFailures), (error.Loop, runs));
        Assert.Contains("disk gone", error.Message);
        Assert.True(_log.Has(LogLevel.Critical, "The batching loop failed 5 times in a row; stopping the agent"));
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
