using System.Device.Gpio;
using System.Device.I2c;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Button;
using PostureSense.Agent.Clock;
using PostureSense.Core.Device;

namespace PostureSense.Agent.Hosting;

/// <summary>How both agent programs, on the Pi and simulated, put the agent together.</summary>
public static class AgentServices
{
    /// <summary>
    /// Registers the agent and its <see cref="AgentService"/>, given how to open its sensor and
    /// motor. The parts are opened when the host starts, the sensor first, so that a missing bus
    /// is the error reported; the agent owns the sensor, the container disposes the motor (off)
    /// and the button after the agent.
    /// </summary>
    /// <param name="buttonGpio">The GPIO chip of the push button; null: the machine's.</param>
    /// <param name="clockSync">Whether <paramref name="clock"/> tells the true time yet; null: it is trusted.</param>
    public static IServiceCollection AddPostureAgent(this IServiceCollection services, AgentOptions options, int? buttonPin, TimeProvider clock,
        Func<IServiceProvider, I2cDevice> sensor, Func<IServiceProvider, IVibrationMotor> motor, Func<IServiceProvider, GpioController>? buttonGpio = null,
        IClockSync? clockSync = null)
    {
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IVibrationMotor>(motor);
        if (buttonPin is { } pin)
        {
            services.AddSingleton(_ => new LongPressDetector(clock));
            services.AddSingleton(sp => OpenButton(sp, pin, clock, buttonGpio?.Invoke(sp)));
        }
        services.AddSingleton(sp =>
        {
            var device = sensor(sp);
            try
            {
                var loggers = sp.GetRequiredService<ILoggerFactory>();
                var vibration = sp.GetRequiredService<IVibrationMotor>();
                LongPressDetector? presses = null;
                if (buttonPin is not null)
                {
                    sp.GetRequiredService<GpioButton>();
                    presses = sp.GetRequiredService<LongPressDetector>();
                }
                PostureAgent agent;
                try { agent = new PostureAgent(options, device, vibration, clock, loggers, presses, clockSync); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
                {
                    throw new IOException($"cannot open the outbox in {options.DataDirectory}: {ex.Message}", ex);
                }
                loggers.CreateLogger<PostureAgent>().LogInformation("Outbox in {Directory}", options.DataDirectory ?? "memory");
                return agent;
            }
            catch
            {
                device.Dispose();
                throw;
            }
        });
        services.AddHostedService<AgentService>();
        return services;
    }

    static GpioButton OpenButton(IServiceProvider services, int pin, TimeProvider clock, GpioController? gpio)
    {
        var presses = services.GetRequiredService<LongPressDetector>();
        var button = new GpioButton(pin, presses, clock, gpio);
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger<GpioButton>();
        if (button.ReadsPressed)
            log.LogWarning("The button on GPIO {Pin} reads pressed at start; presses count only from its next release (check the wiring: a switch to ground)", pin);
        else
            log.LogInformation("Button on GPIO {Pin}: hold it {Seconds:0} s, sitting upright, to calibrate", pin, presses.LongPress.TotalSeconds);
        return button;
    }
}
