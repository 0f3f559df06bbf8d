using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Device;
using PostureSense.FirmwareSim.Motor;

namespace PostureSense.FirmwareSim.Tests;

public class MotorTests
{
    readonly FakeTimeProvider _clock = new(SensorHarness.Start);

    [Fact]
    public async Task Records_the_pattern_and_its_clock_time_and_plays_for_its_length()
    {
        var motor = new RecordingMotor(_clock);
        RecordedVibration? seen = null;
        motor.Vibrated += v => seen = v;
        _clock.Advance(TimeSpan.FromMinutes(3));

        var play = motor.PlayAsync(VibrationPattern.Double, 100, CancellationToken.None).AsTask();
        Assert.True(motor.IsOn);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(motor.IsOn); // the gap between the two pulses
        _clock.Advance(TimeSpan.FromMilliseconds(349));
        Assert.False(play.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1)); // 200 on, 150 off, 200 on
        await play;

        var v = Assert.Single(motor.Vibrations);
        Assert.Equal(new RecordedVibration(SensorHarness.Start.AddMinutes(3), VibrationPattern.Double), v);
        Assert.Equal(v, seen);
        Assert.False(motor.IsOn);
    }

    [Fact]
    public async Task A_cancelled_pattern_leaves_the_motor_off()
    {
        var motor = new RecordingMotor(_clock);
        using var cts = new CancellationTokenSource();
        var play = motor.PlayAsync(VibrationPattern.Long, 100, cts.Token).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(motor.IsOn);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
        Assert.False(motor.IsOn);
        Assert.Single(motor.Vibrations);
    }

    [Fact]
    public async Task Records_every_pattern_in_order()
    {
        var motor = new RecordingMotor(_clock);
        foreach (var p in new[] { VibrationPattern.Short, VibrationPattern.Long })
        {
            var play = motor.PlayAsync(p, 60, CancellationToken.None).AsTask();
            _clock.Advance(TimeSpan.FromSeconds(1));
            await play;
        }
        Assert.Equal([VibrationPattern.Short, VibrationPattern.Long], motor.Vibrations.Select(v => v.Pattern));
        Assert.All(motor.Vibrations, v => Assert.Equal(60, v.StrengthPercent));
        Assert.Equal(TimeSpan.FromSeconds(1), motor.Vibrations[1].At - motor.Vibrations[0].At);
    }
}
