using System.Device.I2c;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Hosting;
using PostureSense.Agent.Motor;
using PostureSense.Core.Device;

// The agent on the Raspberry Pi: the MPU-6050 on an I2C bus, the motor on a GPIO pin or a PWM
// channel. The simulated wearable is another program (PostureSense.Agent.Simulated), so that
// this one carries no simulator.
const string Name = "PostureSense.Agent";

if (AgentProgram.ReadSettings(Name, args, simulated: false, out var exitCode) is not { } setup) return exitCode;
var settings = setup.Settings;
var clock = TimeProvider.System;

if (settings.CalibrateAccel)
{
    I2cDevice device;
    try { device = I2cDevice.Create(new I2cConnectionSettings(settings.I2cBus, settings.I2cAddress)); }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
    {
        Console.Error.WriteLine($"{Name}: cannot open I2C bus {settings.I2cBus} for the MPU-6050 at 0x{settings.I2cAddress:x2}: {ex.Message}");
        return AgentProgram.Failed;
    }
    return PostureSense.Agent.AccelCalibration.AccelCalibrationCommand.Run(settings, device, Console.In, Console.Out, Thread.Sleep, clock);
}

var builder = AgentProgram.CreateBuilder();
builder.Services.AddPostureAgent(setup.Options, settings.ButtonPin, clock,
    sensor: _ =>
    {
        try { return I2cDevice.Create(new I2cConnectionSettings(settings.I2cBus, settings.I2cAddress)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot open I2C bus {settings.I2cBus} (/dev/i2c-{settings.I2cBus}) for the MPU-6050 at 0x{settings.I2cAddress:x2}: {ex.Message}", ex);
        }
    },
    motor: services =>
    {
        var output = settings.MotorPwm is { } pwm ? $"PWM channel {pwm}" : $"GPIO {settings.MotorPin}";
        PulsedMotor motor;
        try
        {
            motor = settings.MotorPwm is { } channel
                ? PwmVibrationMotor.Open(channel.Chip, channel.Channel, clock)
                : new GpioVibrationMotor(settings.MotorPin, clock);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new IOException($"cannot open the vibration motor on {output}: {ex.Message}", ex);
        }
        services.GetRequiredService<ILoggerFactory>().CreateLogger(Name).LogInformation("Vibration motor on {Output}",
            settings.MotorPwm is null ? $"{output} (full strength)" : $"{output} (vibration strength applies)");
        return motor;
    },
    // A Pi has no real-time clock: frames wait until network time has set it.
    clockSync: new PostureSense.Agent.Clock.KernelClockSync());
using var host = builder.Build();
return await AgentProgram.RunAsync(Name, setup, host);
