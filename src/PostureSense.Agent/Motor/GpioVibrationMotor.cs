using System.Device.Gpio;
using PostureSense.Core.Device;

namespace PostureSense.Agent.Motor;

/// <summary>
/// A vibration motor switched by one GPIO pin (through a transistor). Patterns play one at a
/// time, timed on the injected clock, and the pin is left low whatever happens.
/// </summary>
public sealed class GpioVibrationMotor : IVibrationMotor, IDisposable
{
    readonly GpioController _gpio;
    readonly bool _ownsController;
    readonly int _pin;
    readonly TimeProvider _clock;
    readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public GpioVibrationMotor(int pin, TimeProvider clock, GpioController? controller = null)
    {
        _pin = pin;
        _clock = clock;
        _ownsController = controller is null;
        _gpio = controller ?? new GpioController();
        _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
    }

    public async ValueTask PlayAsync(VibrationPattern pattern, CancellationToken cancellationToken)
    {
        var pulses = VibrationPatterns.Pulses(pattern).ToArray();
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var pulse in pulses)
            {
                _gpio.Write(_pin, PinValue.High);
                await Task.Delay(pulse.On, _clock, cancellationToken).ConfigureAwait(false);
                _gpio.Write(_pin, PinValue.Low);
                if (pulse.OffAfter > TimeSpan.Zero)
                    await Task.Delay(pulse.OffAfter, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // A motor left on after a cancel or a fault would buzz until power-off.
            _gpio.Write(_pin, PinValue.Low);
            _oneAtATime.Release();
        }
    }

    public void Dispose()
    {
        try { _gpio.Write(_pin, PinValue.Low); } catch (InvalidOperationException) { }
        _gpio.ClosePin(_pin);
        if (_ownsController) _gpio.Dispose();
        _oneAtATime.Dispose();
    }
}
