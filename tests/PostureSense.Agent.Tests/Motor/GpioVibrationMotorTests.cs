using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Motor;
using PostureSense.Core.Device;
using PostureSense.FirmwareSim.Gpio;

namespace PostureSense.Agent.Tests.Motor;

public class GpioVibrationMotorTests : IDisposable
{
    readonly FakeTimeProvider _clock = new();
    readonly SimulatedGpio _gpio = new();

    PinValue Level => _gpio.WritesTo(18)[^1];
    int Pulses => _gpio.WritesTo(18).Count(v => v == PinValue.High);

    [Fact]
    public async Task Double_buzzes_twice_for_200_ms_with_a_gap()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        var play = motor.PlayAsync(VibrationPattern.Double, 100, CancellationToken.None).AsTask();

        Assert.Equal(PinValue.High, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(PinValue.Low, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(PinValue.High, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await play;
        Assert.Equal(PinValue.Low, Level);
        Assert.Equal(2, Pulses);
    }

    [Fact]
    public async Task A_plain_pin_plays_every_strength_at_full()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        var play = motor.PlayAsync(VibrationPattern.Short, 30, CancellationToken.None).AsTask();

        Assert.Equal(PinValue.High, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await play;
        Assert.Equal(PinValue.Low, Level);
    }

    [Fact]
    public async Task A_cancelled_pattern_leaves_the_motor_off()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        using var cancel = new CancellationTokenSource();
        var play = motor.PlayAsync(VibrationPattern.Long, 100, cancel.Token).AsTask();
        Assert.Equal(PinValue.High, Level);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
        Assert.Equal(PinValue.Low, Level);
    }

    [Fact]
    public async Task Patterns_play_one_at_a_time()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        var first = motor.PlayAsync(VibrationPattern.Long, 100, CancellationToken.None).AsTask();
        var second = motor.PlayAsync(VibrationPattern.Short, 100, CancellationToken.None).AsTask();
        Assert.Equal(1, Pulses);

        _clock.Advance(TimeSpan.FromMilliseconds(800));
        await first;
        // The second starts only now (on another thread, once the first lets go of the motor).
        await Support.Eventually.True(() => Pulses == 2, "the second pattern");
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await second;
        Assert.Equal(PinValue.Low, Level);
    }

    [Fact]
    public void Disposing_leaves_the_pin_low_and_closed()
    {
        var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        _ = motor.PlayAsync(VibrationPattern.Long, 100, CancellationToken.None).AsTask();

        motor.Dispose();

        Assert.Equal(PinValue.Low, Level);
        Assert.False(_gpio.IsOpen(18));
    }

    public void Dispose()
    {
        _gpio.Dispose();
        GC.SuppressFinalize(this);
    }
}
