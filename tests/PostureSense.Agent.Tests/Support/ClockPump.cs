using Microsoft.Extensions.Time.Testing;

namespace PostureSense.Agent.Tests.Support;

/// <summary>Moves a fake clock forward in small steps in the background, about 10x real time.</summary>
sealed class ClockPump : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _run;

    public ClockPump(FakeTimeProvider clock)
    {
        _run = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                clock.Advance(TimeSpan.FromMilliseconds(20));
                try { await Task.Delay(2, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _run;
        _stop.Dispose();
    }
}

static class Eventually
{
    /// <summary>Waits for a condition; the timeout is generous because it only bounds a failure.</summary>
    public static Task True(Func<bool> condition, string what, double seconds = 30) => True(condition, () => what, seconds);

    /// <summary>As above, with a description made when it fails: a program's output as it was at the timeout, not at the start.</summary>
    public static async Task True(Func<bool> condition, Func<string> what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what()}");
            await Task.Delay(20);
        }
    }
}
