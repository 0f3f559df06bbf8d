using System.Device.I2c;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Sensors;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Coaching;
using PostureSense.Core.Imu;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Processing;

/// <summary>How an offline replay runs the pipeline.</summary>
public sealed record ReplayOptions
{
    /// <summary>Clock time at which the sensor is created (a Monday 09:00 UTC by default).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    public CoachingSettings Coaching { get; init; } = CoachingSettings.Default;
    /// <summary>Calibrate over the first samples, as the agent does at start; null: never.</summary>
    public TimeSpan? CalibrateFor { get; init; } = TimeSpan.FromSeconds(3);
    public int SampleRateHz { get; init; } = 50;
    public AccelRange AccelRange { get; init; } = AccelRange.G2;
    public GyroRange GyroRange { get; init; } = GyroRange.Dps250;
}

/// <summary>What the pipeline made of a replay.</summary>
public sealed record ReplayResult(IReadOnlyList<PostureFrame> Frames, IReadOnlyList<NudgeEvent> Nudges, Calibration? Calibration, int FifoOverflows);

/// <summary>
/// Runs a sensor (normally a simulated MPU-6050) through the real driver, sampler and processor
/// on a stepped clock, as fast as the CPU allows, with no MQTT: for regression tests and evaluation.
/// </summary>
/// <example><code>
/// var scenario = Scenario.Load("gradual-slouch");
/// var result = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock), scenario.Duration);
/// </code></example>
public static class OfflineReplay
{
    public static ReplayResult Run(Func<TimeProvider, I2cDevice> createSensor, TimeSpan duration, ReplayOptions? options = null)
    {
        options ??= new ReplayOptions();
        var clock = new SteppedClock(options.Start);
        using var driver = new Mpu6050Driver(createSensor(clock));
        driver.Initialize(options.AccelRange, options.GyroRange, options.SampleRateHz);

        var processor = new PostureProcessor(options.SampleRateHz, options.Coaching, options.CalibrateFor ?? TimeSpan.FromSeconds(3));
        var frames = new List<PostureFrame>();
        var nudges = new List<NudgeEvent>();
        processor.FrameReady += frames.Add;
        processor.Nudge += nudges.Add;
        if (options.CalibrateFor is not null) processor.RequestCalibration();

        var sampler = new ImuSampler(driver, processor, clock);
        sampler.Start();
        var end = clock.GetUtcNow() + duration;
        while (clock.GetUtcNow() < end)
        {
            clock.Advance(ImuSampler.PollPeriod);
            sampler.Poll();
        }
        processor.Flush();
        return new ReplayResult(frames, nudges, processor.Calibrated ? processor.Calibration : null, sampler.Overflows);
    }

    /// <summary>A clock that only moves when told; enough for a sensor that reads the time.</summary>
    sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
