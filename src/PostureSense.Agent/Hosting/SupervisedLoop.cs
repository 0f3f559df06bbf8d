using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace PostureSense.Agent.Hosting;

/// <summary>
/// Runs one of the agent's loops so that it cannot die unnoticed: a loop that throws is logged by
/// name and restarted after a backoff on the agent's clock; one that keeps failing soon after each
/// restart is given up on, and the task this returns then fails with a <see cref="LoopFailedException"/>
/// naming it, which stops the program.
/// </summary>
public static class SupervisedLoop
{
    /// <summary>Failures in a row after which a loop is given up on.</summary>
    public const int MaxFailures = 5;
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    /// <summary>A loop that ran this long before failing counts as healthy again: its failures start over.</summary>
    public static readonly TimeSpan HealthyAfter = TimeSpan.FromMinutes(1);

    /// <summary>Runs <paramref name="loop"/> until <paramref name="stop"/> is cancelled or it returns.</summary>
    /// <exception cref="LoopFailedException">The loop failed <see cref="MaxFailures"/> times in a row.</exception>
    public static async Task RunAsync(string name, Func<CancellationToken, Task> loop, TimeProvider clock, ILogger log, CancellationToken stop)
    {
        if (stop.IsCancellationRequested) return;
        var failures = 0;
        var started = clock.GetUtcNow();
        var restart = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                // Counted here, not by the retry: a loop that ran for a while before failing starts over.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args =>
                {
                    if (args.Outcome.Exception is not { } ex || ex is OperationCanceledException && stop.IsCancellationRequested)
                        return PredicateResult.False();
                    if (clock.GetUtcNow() - started >= HealthyAfter) failures = 0;
                    failures++;
                    return new ValueTask<bool>(failures < MaxFailures);
                },
                DelayGenerator = _ => new ValueTask<TimeSpan?>(
                    TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << (failures - 1)))),
                OnRetry = args =>
                {
                    log.LogError(args.Outcome.Exception, "The {Loop} loop failed ({Count} in a row); restarting it in {Backoff} s",
                        name, failures, args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        try
        {
            await restart.ExecuteAsync(async ct =>
            {
                started = clock.GetUtcNow();
                await loop(ct).ConfigureAwait(false);
            }, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (failures >= MaxFailures)
        {
            log.LogCritical(ex, "The {Loop} loop failed {Count} times in a row; stopping the agent", name, failures);
            throw new LoopFailedException(name, ex);
        }
    }
}

/// <summary>One of the agent's loops kept failing and was given up on.</summary>
public sealed class LoopFailedException(string loop, Exception inner)
    : Exception($"the {loop} loop failed {SupervisedLoop.MaxFailures} times in a row: {inner.Message}", inner)
{
    public string Loop { get; } = loop;
}
