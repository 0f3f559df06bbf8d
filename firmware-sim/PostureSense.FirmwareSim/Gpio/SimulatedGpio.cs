using System.Device.Gpio;

namespace PostureSense.FirmwareSim.Gpio;

/// <summary>
/// The wearable's GPIO chip, for a <see cref="GpioController"/>: output pins remember every level
/// written (the motor), input pins read what the simulation drives on them, or their pull-up or
/// pull-down when nothing does (the push button, wired to ground). It has no edge events: the
/// agent polls its inputs.
/// </summary>
public sealed class SimulatedGpio : GpioDriver
{
    readonly Lock _gate = new();
    readonly Dictionary<int, PinMode> _modes = [];
    readonly Dictionary<int, PinValue> _written = [];
    readonly Dictionary<int, PinValue> _driven = [];
    readonly List<(int Pin, PinValue Value)> _writes = [];

    /// <summary>Every level written to an output, oldest first.</summary>
    public IReadOnlyList<(int Pin, PinValue Value)> Writes
    {
        get { lock (_gate) return _writes.ToArray(); }
    }

    /// <summary>The levels written to <paramref name="pin"/>, oldest first.</summary>
    public IReadOnlyList<PinValue> WritesTo(int pin)
    {
        lock (_gate) return _writes.Where(w => w.Pin == pin).Select(w => w.Value).ToArray();
    }

    /// <summary>Whether the controller has the pin open.</summary>
    public bool IsOpen(int pin)
    {
        lock (_gate) return _modes.ContainsKey(pin);
    }

    /// <summary>The mode the controller set on an open pin.</summary>
    public PinMode ModeOf(int pin)
    {
        lock (_gate) return _modes[pin];
    }

    /// <summary>A button between <paramref name="pin"/> and ground is pressed: the pin reads low.</summary>
    public void Press(int pin) => Drive(pin, PinValue.Low);

    /// <summary>The button is let go: nothing drives the pin, its pull-up brings it high.</summary>
    public void Release(int pin) => Drive(pin, null);

    /// <summary>Drives an input from outside; null leaves it to its pull resistor.</summary>
    public void Drive(int pin, PinValue? value)
    {
        lock (_gate)
        {
            if (value is { } v) _driven[pin] = v;
            else _driven.Remove(pin);
        }
    }

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate) _modes.TryAdd(pinNumber, PinMode.Input);
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate) _modes.Remove(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate) _modes[pinNumber] = mode;
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate) return _modes.GetValueOrDefault(pinNumber, PinMode.Input);
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
            return GetPinMode(pinNumber) == PinMode.Output ? _written.GetValueOrDefault(pinNumber, PinValue.Low) : InputLevel(pinNumber);
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            _written[pinNumber] = value;
            _writes.Add((pinNumber, value));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException(NoEdges);

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException(NoEdges);

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException(NoEdges);

    const string NoEdges = "the simulated chip has no edge events; poll the pin";

    PinValue InputLevel(int pin) =>
        _driven.TryGetValue(pin, out var driven) ? driven
        : _modes.GetValueOrDefault(pin, PinMode.Input) == PinMode.InputPullUp ? PinValue.High
        : PinValue.Low;
}
