using Microsoft.Extensions.Hosting;

namespace PostureSense.Agent.Simulated;

/// <summary>Stops the program when the scenario's day is over (on the simulated clock).</summary>
sealed class ScenarioEnd(TimeSpan duration, TimeProvider clock, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(duration, clock, stoppingToken).ConfigureAwait(false);
            lifetime.StopApplication();
        }
        catch (OperationCanceledException) { }
    }
}
