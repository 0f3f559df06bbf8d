using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Button;
using PostureSense.FirmwareSim.Gpio;

namespace PostureSense.Agent.Tests.Button;

/// <summary>The button wired to a (simulated) GPIO chip: a switch to ground on a pulled-up pin.</summary>
public sealed class GpioButtonTests : IDisposable
{
    const int Pin = 17;
    readonly FakeTimeProvider _clock = new();
    readonly SimulatedGpio _gpio = new();
    readonly LongPressDetector _presses;
    int _held;

    public GpioButtonTests()
    {
        _presses = new LongPressDetector(_clock);
        _presses.LongPressed += () => _held++;
    }

    public void Dispose() => _presses.Dispose();

    /// <summary>Lets time pass as it does for the agent, a poll at a time.</summary>
    void Wait(double seconds)
    {
        for (var t = 0.0; t < seconds; t += GpioButton.PollPeriod.TotalSeconds) _clock.Advance(GpioButton.PollPeriod);
    }

    GpioButton Button() => new(Pin, _presses, _clock, new GpioController(_gpio));

    [Fact]
    public void Holding_the_button_down_for_two_seconds_is_a_long_press()
    {
        using var button = Button();
        Assert.Equal(PinMode.InputPullUp, _gpio.ModeOf(Pin));
        Assert.False(button.ReadsPressed);

        _gpio.Press(Pin);
        Assert.True(button.ReadsPressed);
        Wait(1.9);
        Assert.Equal(0, _held);
        Wait(0.2); // seen within a poll of the press
        _gpio.Release(Pin);
        Wait(1);

        Assert.Equal(1, _held);
    }

    [Fact]
    public void A_button_held_down_at_start_counts_only_once_it_is_let_go_and_pressed_again()
    {
        _gpio.Press(Pin);
        using var button = Button();
        Wait(3);
        Assert.Equal(0, _held);

        _gpio.Release(Pin);
        Wait(0.5);
        _gpio.Press(Pin);
        Wait(2.1);

        Assert.Equal(1, _held);
    }

    [Fact]
    public void Disposing_lets_go_of_the_pin()
    {
        Button().Dispose();

        _gpio.Press(Pin);
        Wait(3);

        Assert.False(_gpio.IsOpen(Pin));
        Assert.Equal(0, _held);
    }
}
