using System.Device.Pwm;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Motor;
using PostureSense.Core.Device;

namespace PostureSense.Agent.Tests.Motor;

public class PwmVibrationMotorTests
{
    /// <summary>A PWM channel that remembers every duty cycle set, and can be made to fail.</summary>
    sealed class RecordingChannel : PwmChannel
    {
        readonly Lock _gate = new();
        readonly List<double> _duties = [];
        double _duty;

        /// <summary>Setting a duty above 0 throws from this many such sets on (a sysfs write failing mid-pattern).</summary>
        public int? FailOnDutyNumber { get; init; }
        public bool Running { get; private set; }
        public bool Disposed { get; private set; }
        public override int Frequency { get; set; } = PwmVibrationMotor.FrequencyHz;

        public override double DutyCycle
        {
            get => _duty;
            set
            {
                lock (_gate)
                {
                    if (value > 0 && _duties.Count(d => d > 0) + 1 == FailOnDutyNumber) throw new IOException("write error on duty_cycle");
                    _duty = value;
                    _duties.Add(value);
                }
            }
        }

        public IReadOnlyList<double> Duties
        {
            get { lock (_gate) return _duties.ToArray(); }
        }

        public override void Start() => Running = true;
        public override void Stop() => Running = false;

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task The_duty_cycle_is_the_strength_and_off_between_pulses()
    {
        var channel = new RecordingChannel();
        using var motor = new PwmVibrationMotor(channel, _clock);
        Assert.True(channel.Running);
        Assert.Equal(0, channel.DutyCycle);

        var play = motor.PlayAsync(VibrationPattern.Double, 40, CancellationToken.None).AsTask();
        Assert.Equal(0.4, channel.DutyCycle);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, channel.DutyCycle);
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(0.4, channel.DutyCycle);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await play;

        Assert.Equal(0, channel.DutyCycle);
        Assert.Equal(2, channel.Duties.Count(d => d == 0.4));
    }

    [Fact]
    public async Task A_cancelled_pattern_leaves_duty_zero()
    {
        var channel = new RecordingChannel();
        using var motor = new PwmVibrationMotor(channel, _clock);
        using var cancel = new CancellationTokenSource();
        var play = motor.PlayAsync(VibrationPattern.Long, 100, cancel.Token).AsTask();
        Assert.Equal(1, channel.DutyCycle);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
        Assert.Equal(0, channel.DutyCycle);
    }

    [Fact]
    public async Task A_failing_channel_mid_pattern_is_reported_and_left_at_duty_zero()
    {
        var channel = new RecordingChannel { FailOnDutyNumber = 2 };
        using var motor = new PwmVibrationMotor(channel, _clock);

        var play = motor.PlayAsync(VibrationPattern.Double, 80, CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        _clock.Advance(TimeSpan.FromMilliseconds(150)); // the second pulse fails to start

        await Assert.ThrowsAsync<IOException>(() => play);
        Assert.Equal(0, channel.DutyCycle);
        Assert.Equal(0.8, Assert.Single(channel.Duties, d => d > 0));
    }

    [Fact]
    public void Disposing_stops_the_channel_at_duty_zero()
    {
        var channel = new RecordingChannel();
        var motor = new PwmVibrationMotor(channel, _clock);
        _ = motor.PlayAsync(VibrationPattern.Long, 100, CancellationToken.None).AsTask();

        motor.Dispose();

        Assert.Equal(0, channel.DutyCycle);
        Assert.False(channel.Running);
        Assert.True(channel.Disposed);
    }
}
