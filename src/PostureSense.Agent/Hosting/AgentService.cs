using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PostureSense.Agent.Hosting;

/// <summary>
/// Runs the <see cref="PostureAgent"/> in the host. The agent starts (sensor initialised, first
/// calibration under way) before the host counts as started, so that under systemd the unit is
/// ready only with the sensor answering, and a missing sensor fails the start. A loop given up on
/// stops the host with exit code 1; stopping (SIGTERM, Ctrl+C) sends what the outbox holds,
/// announces the device offline and disconnects.
/// </summary>
public sealed class AgentService(PostureAgent agent, IHostApplicationLifetime lifetime, ILogger<AgentService> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await agent.StartAsync(cancellationToken).ConfigureAwait(false);
        log.LogInformation("Agent {DeviceId} running; broker {Broker}", agent.Options.DeviceId, agent.Options.Broker);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await agent.Failure.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (LoopFailedException ex)
        {
            log.LogCritical("Agent {DeviceId} stops: {Error}", agent.Options.DeviceId, ex.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await agent.StopAsync().ConfigureAwait(false);
    }
}
