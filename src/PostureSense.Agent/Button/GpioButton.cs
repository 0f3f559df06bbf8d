using System.Device.Gpio;

namespace PostureSense.Agent.Button;

/// <summary>
/// A push button between a GPIO pin and ground, read through the pin's internal pull-up (an
/// external one where the chip has none): low is pressed. Every edge goes to the
/// <see cref="LongPressDetector"/>, which debounces.
/// </summary>
public sealed class GpioButton : IDisposable
{
    readonly GpioController _gpio;
    readonly bool _ownsController;
    readonly int _pin;
    readonly LongPressDetector _presses;

    public GpioButton(int pin, LongPressDetector presses, GpioController? controller = null)
    {
        _pin = pin;
        _presses = presses ?? throw new ArgumentNullException(nameof(presses));
        _ownsController = controller is null;
        _gpio = controller ?? new GpioController();
        try
        {
            _gpio.OpenPin(pin, _gpio.IsPinModeSupported(pin, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input);
            _gpio.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Falling | PinEventTypes.Rising, OnEdge);
        }
        catch
        {
            if (_gpio.IsPinOpen(pin)) _gpio.ClosePin(pin);
            if (_ownsController) _gpio.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the pin reads pressed right now. Only edges count as presses, so a button held
    /// at start does nothing; held for good, it is more likely a wiring fault.
    /// </summary>
    public bool ReadsPressed => _gpio.Read(_pin) == PinValue.Low;

    void OnEdge(object sender, PinValueChangedEventArgs e) => _presses.Update(e.ChangeType == PinEventTypes.Falling);

    public void Dispose()
    {
        _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, OnEdge);
        _gpio.ClosePin(_pin);
        if (_ownsController) _gpio.Dispose();
    }
}
