using Microsoft.Extensions.Logging;
using PostureSense.Server.Clocks;
using PostureSense.Server.Coaching;
using PostureSense.Server.History;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Eviction;

/// <summary>
/// Lets go of what the server holds per device (coach, cached days, its clock's offset) once the
/// device has been idle for the configured time, so memory follows the devices in use and not
/// every device ever seen.
/// Runs on the domain clock: a sweep every quarter of the idle time (at most every minute), so a
/// device is let go at most a quarter late.
/// </summary>
public sealed class IdleDeviceSweep(CoachingService coaching, DaySummaries summaries, TimeSpan idle, TimeProvider clock,
    ILogger<IdleDeviceSweep> log, WorkerHealth health, WorkerRestart restart, DeviceClocks? clocks = null)
    : SupervisedWorker("idle-devices", health, restart, log)
{
    public TimeSpan Every { get; } = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    /// <summary>One sweep; what the loop does every <see cref="Every"/>.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await coaching.EvictAsync(idle, cancellationToken);
        summaries.Evict(idle);
        clocks?.Evict(clock.GetUtcNow(), idle);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Every, clock, stoppingToken);
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
