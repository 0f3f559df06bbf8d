using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace PostureSense.Server.Workers;

/// <summary>
/// A long-running loop of the server, run by the host. A loop that throws is logged with its
/// name, reported down to <c>/readyz</c>, and started again after a backoff (<see cref="WorkerRestart"/>),
/// so one bad message or a bug met once does not leave the server serving with a dead part.
/// </summary>
public abstract class SupervisedWorker : BackgroundService
{
    readonly WorkerHealth _health;
    readonly ILogger _log;
    readonly ResiliencePipeline _restart;

    protected SupervisedWorker(string name, WorkerHealth health, WorkerRestart restart, ILogger log)
    {
        Name = name;
        _health = health;
        _log = log;
        _restart = new ResiliencePipelineBuilder { TimeProvider = restart.Clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = restart.FirstDelay,
                MaxDelay = restart.MaxDelay,
                OnRetry = args =>
                {
                    _log.LogError(args.Outcome.Exception, "Worker {Worker} failed; restarting it in {Delay} (restart {Attempt})",
                        Name, args.RetryDelay, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Named in logs and in <c>/readyz</c>.</summary>
    public string Name { get; }

    /// <summary>The loop: runs until <paramref name="stoppingToken"/> is cancelled; throwing means it failed.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _restart.ExecuteAsync(async ct =>
            {
                _health.Running(Name);
                try
                {
                    await RunAsync(ct);
                    if (!ct.IsCancellationRequested) throw new InvalidOperationException($"worker {Name} ended on its own");
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Down from the moment it fails until the restart begins to run it again.
                    _health.Down(Name, ex.Message);
                    throw;
                }
            }, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _health.Stopped(Name);
        }
    }
}
