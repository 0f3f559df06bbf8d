using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostureSense.FirmwareSim.Gpio;

namespace PostureSense.Agent.Simulated;

/// <summary>Enter in the terminal holds the simulated push button for 2.5 s: long enough to calibrate.</summary>
sealed class EnterHoldsButton(SimulatedGpio gpio, int pin, TimeProvider clock, ILogger<EnterHoldsButton> log) : BackgroundService
{
    static readonly TimeSpan Hold = TimeSpan.FromSeconds(2.5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("Press Enter to hold the simulated button for {Seconds} s", Hold.TotalSeconds);
        try
        {
            while (await Console.In.ReadLineAsync(stoppingToken).ConfigureAwait(false) is not null)
            {
                gpio.Press(pin);
                await Task.Delay(Hold, clock, stoppingToken).ConfigureAwait(false);
                gpio.Release(pin);
            }
        }
        catch (OperationCanceledException) { }
    }
}
