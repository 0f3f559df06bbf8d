using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Outbox;

namespace PostureSense.Agent.Tests.Outbox;

public class ReplayPacerTests
{
    [Fact]
    public async Task At_most_the_rate_goes_per_second_of_the_clock_after_a_first_seconds_worth()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var pacer = new ReplayPacer(20, clock);
        var passed = 0;
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await pacer.WaitAsync(stop.Token);
                    Interlocked.Increment(ref passed);
                }
            }
            catch (OperationCanceledException) { }
        });

        // Blocked on the fake clock, the count cannot creep up while we look.
        async Task<int> SettledCount(int expected)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Volatile.Read(ref passed) < expected && DateTime.UtcNow < deadline) await Task.Delay(5);
            await Task.Delay(100);
            return Volatile.Read(ref passed);
        }

        var counts = new List<int> { await SettledCount(20) };
        foreach (var step in new[] { 1.0, 1.0, 0.5, 0.05 })
        {
            var before = counts[^1];
            clock.Advance(TimeSpan.FromSeconds(step));
            counts.Add(await SettledCount(before + (int)Math.Round(step * 20)));
        }

        Assert.Equal([20, 40, 60, 70, 71], counts);
        await stop.CancelAsync();
        await sender;
    }
}
