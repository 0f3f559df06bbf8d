using System.Device.Pwm;

namespace PostureSense.Agent.Motor;

/// <summary>
/// A vibration motor on a hardware PWM channel (through a transistor): the duty cycle is the
/// wearer's vibration strength. The channel runs all the time at duty 0 between pulses.
/// </summary>
public sealed class PwmVibrationMotor : PulsedMotor
{
    /// <summary>Above hearing, so the motor does not whine; far below what the transistor can switch.</summary>
    public const int FrequencyHz = 20_000;

    readonly PwmChannel _channel;

    /// <param name="channel">An open channel; the motor owns and disposes it.</param>
    public PwmVibrationMotor(PwmChannel channel, TimeProvider clock) : base(clock)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _channel.DutyCycle = 0;
        _channel.Start();
    }

    /// <summary>Opens <c>/sys/class/pwm/pwmchip{chip}/pwm{channel}</c> (Linux sysfs PWM).</summary>
    public static PwmVibrationMotor Open(int chip, int channel, TimeProvider clock) =>
        new(PwmChannel.Create(chip, channel, FrequencyHz, 0), clock);

    protected override void Drive(double duty) => _channel.DutyCycle = duty;

    protected override void Release()
    {
        _channel.Stop();
        _channel.Dispose();
    }
}
