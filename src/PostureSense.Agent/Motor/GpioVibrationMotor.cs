using System.Device.Gpio;

namespace PostureSense.Agent.Motor;

/// <summary>
/// A vibration motor switched by one GPIO pin (through a transistor). A plain pin is on or off,
/// so every strength plays at full; <see cref="PwmVibrationMotor"/> can play softer.
/// </summary>
public sealed class GpioVibrationMotor : PulsedMotor
{
    readonly GpioController _gpio;
    readonly bool _ownsController;
    readonly int _pin;

    public GpioVibrationMotor(int pin, TimeProvider clock, GpioController? controller = null) : base(clock)
    {
        _pin = pin;
        _ownsController = controller is null;
        _gpio = controller ?? new GpioController();
        _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
    }

    protected override void Drive(double duty) => _gpio.Write(_pin, duty > 0 ? PinValue.High : PinValue.Low);

    protected override void Release()
    {
        _gpio.ClosePin(_pin);
        if (_ownsController) _gpio.Dispose();
    }
}
