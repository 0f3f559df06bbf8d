using System.Device.Gpio;

namespace PostureSense.Agent.Button;

/// <summary>
/// A push button between a GPIO pin and ground, read through the pin's internal pull-up (an
/// external one where the chip has none): low is pressed. The pin is polled every
/// <see cref="PollPeriod"/> and each change goes to the <see cref="LongPressDetector"/>, which
/// debounces. Polled rather than edge-triggered: a read is one cheap call on every driver, while
/// edge events need a driver thread per pin and the part of System.Device.Gpio that cannot be trimmed.
/// </summary>
public sealed class GpioButton : IDisposable
{
    public static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(10);

    readonly GpioController _gpio;
    readonly bool _ownsController;
    readonly int _pin;
    readonly LongPressDetector _presses;
    readonly Lock _gate = new();
    readonly ITimer _poll;
    bool _pressed, _disposed;

    public GpioButton(int pin, LongPressDetector presses, TimeProvider clock, GpioController? controller = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _pin = pin;
        _presses = presses ?? throw new ArgumentNullException(nameof(presses));
        _ownsController = controller is null;
        _gpio = controller ?? new GpioController();
        try
        {
            _gpio.OpenPin(pin, _gpio.IsPinModeSupported(pin, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input);
            // Only changes count: a button held at start does nothing until it is let go and pressed again.
            _pressed = ReadsPressed;
        }
        catch
        {
            if (_gpio.IsPinOpen(pin)) _gpio.ClosePin(pin);
            if (_ownsController) _gpio.Dispose();
            throw;
        }
        _poll = clock.CreateTimer(_ => Poll(), null, PollPeriod, PollPeriod);
    }

    /// <summary>Whether the pin reads pressed right now; held for good, it is more likely a wiring fault.</summary>
    public bool ReadsPressed => _gpio.Read(_pin) == PinValue.Low;

    void Poll()
    {
        bool changed, pressed;
        lock (_gate)
        {
            if (_disposed) return;
            try { pressed = ReadsPressed; }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                return; // a failed read is no press; the next poll tries again
            }
            changed = pressed != _pressed;
            _pressed = pressed;
        }
        if (changed) _presses.Update(pressed);
    }

    public void Dispose()
    {
        _poll.Dispose();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _gpio.ClosePin(_pin);
            if (_ownsController) _gpio.Dispose();
        }
    }
}
