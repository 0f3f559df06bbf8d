using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Motor;
using PostureSense.Core.Device;

namespace PostureSense.Agent.Tests.Motor;

public class GpioVibrationMotorTests
{
    /// <summary>A GPIO chip that remembers every level written, per pin.</summary>
    sealed class RecordingGpio : GpioDriver
    {
        public List<(int Pin, PinValue Value)> Writes { get; } = [];
        protected override int PinCount => 28;
        protected override void OpenPin(int pinNumber) { }
        protected override void ClosePin(int pinNumber) { }
        protected override void SetPinMode(int pinNumber, PinMode mode) { }
        protected override PinMode GetPinMode(int pinNumber) => PinMode.Output;
        protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;
        protected override PinValue Read(int pinNumber) => Writes.LastOrDefault(w => w.Pin == pinNumber).Value;
        protected override void Write(int pinNumber, PinValue value) { lock (Writes) Writes.Add((pinNumber, value)); }
        protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) => throw new NotSupportedException();
        protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) => throw new NotSupportedException();
        protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) => throw new NotSupportedException();
    }

    readonly FakeTimeProvider _clock = new();
    readonly RecordingGpio _gpio = new();

    PinValue Level => _gpio.Writes.Last(w => w.Pin == 18).Value;

    [Fact]
    public async Task Double_buzzes_twice_for_200_ms_with_a_gap()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        var play = motor.PlayAsync(VibrationPattern.Double, CancellationToken.None).AsTask();

        Assert.Equal(PinValue.High, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(PinValue.Low, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(PinValue.High, Level);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await play;
        Assert.Equal(PinValue.Low, Level);
        Assert.Equal(2, _gpio.Writes.Count(w => w.Value == PinValue.High));
    }

    [Fact]
    public async Task A_cancelled_pattern_leaves_the_motor_off()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        using var cancel = new CancellationTokenSource();
        var play = motor.PlayAsync(VibrationPattern.Long, cancel.Token).AsTask();
        Assert.Equal(PinValue.High, Level);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
        Assert.Equal(PinValue.Low, Level);
    }

    [Fact]
    public async Task Patterns_play_one_at_a_time()
    {
        using var motor = new GpioVibrationMotor(18, _clock, new GpioController(_gpio));
        var first = motor.PlayAsync(VibrationPattern.Long, CancellationToken.None).AsTask();
        var second = motor.PlayAsync(VibrationPattern.Short, CancellationToken.None).AsTask();
        Assert.Single(_gpio.Writes, w => w.Value == PinValue.High);

        _clock.Advance(TimeSpan.FromMilliseconds(800));
        await first;
        // The second starts only now (on another thread, once the first lets go of the motor).
        await Support.Eventually.True(() => { lock (_gpio.Writes) return _gpio.Writes.Count(w => w.Value == PinValue.High) == 2; }, "the second pattern");
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await second;
        Assert.Equal(PinValue.Low, Level);
    }
}
