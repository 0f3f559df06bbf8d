using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Button;
using PostureSense.FirmwareSim.Gpio;

namespace PostureSense.Agent.Tests.Button;

/// <summary>The button wired to a (simulated) GPIO chip: a switch to ground on a pulled-up pin.</summary>
public class GpioButtonTests
{
    const int Pin = 17;
    readonly FakeTimeProvider _clock = new();
    readonly SimulatedGpio _gpio = new();

    [Fact]
    public void Holding_the_button_down_for_two_seconds_is_a_long_press()
    {
        using var presses = new LongPressDetector(_clock);
        var held = 0;
        presses.LongPressed += () => held++;
        using var button = new GpioButton(Pin, presses, new GpioController(_gpio));
        Assert.Equal(PinMode.InputPullUp, _gpio.ModeOf(Pin));
        Assert.False(button.ReadsPressed);

        _gpio.Press(Pin);
        Assert.True(button.ReadsPressed);
        _clock.Advance(TimeSpan.FromSeconds(2));
        _gpio.Release(Pin);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, held);
    }

    [Fact]
    public void Disposing_lets_go_of_the_pin()
    {
        using var presses = new LongPressDetector(_clock);
        var held = 0;
        presses.LongPressed += () => held++;
        new GpioButton(Pin, presses, new GpioController(_gpio)).Dispose();

        _gpio.Press(Pin);
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.False(_gpio.IsOpen(Pin));
        Assert.Equal(0, held);
    }
}
