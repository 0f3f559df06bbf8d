using PostureSense.Agent.Replay;
using PostureSense.Agent.Processing;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Processing;

public class FramingTests
{
    [Fact]
    public void Frames_are_one_per_second_on_whole_seconds()
    {
        var scenario = Scenario.Load("upright-hour");
        var result = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock), TimeSpan.FromSeconds(20),
            new ReplayOptions { Start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, 300, TimeSpan.Zero) });

        Assert.InRange(result.Frames.Count, 19, 21);
        Assert.All(result.Frames, f => Assert.Equal(0, f.Ts % 1000));
        Assert.All(result.Frames.Zip(result.Frames.Skip(1)), p => Assert.Equal(1000, p.Second.Ts - p.First.Ts));
    }

    [Fact]
    public void Sitting_still_is_calm_and_stepless()
    {
        var scenario = Scenario.Load("upright-hour");
        var result = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock), TimeSpan.FromSeconds(60));

        Assert.All(result.Frames.Skip(1), f =>
        {
            Assert.InRange(f.Motion, 0, 0.02);
            Assert.Equal(0, f.Steps);
        });
    }

    [Fact]
    public void Walking_at_100_steps_a_minute_counts_its_steps_and_motion()
    {
        var scenario = Scenario.Load("walking"); // 100 steps/min for the first 10 min
        var result = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock), TimeSpan.FromSeconds(62),
            new ReplayOptions { CalibrateFor = null });

        var frames = result.Frames.Skip(2).Take(60).ToList();
        Assert.All(frames, f =>
        {
            Assert.InRange(f.Steps, 1, 2);
            Assert.InRange(f.Motion, 0.1, 0.4);
        });
        Assert.InRange(frames.Sum(f => f.Steps), 97, 103);
    }

    [Fact]
    public void A_frame_is_out_with_the_last_sample_of_its_second_not_the_first_of_the_next()
    {
        var processor = new PostureProcessor(50);
        var frames = new List<(long SampleMs, Core.Posture.PostureFrame Frame)>();
        var t0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        long sampleMs = 0;
        processor.FrameReady += f => frames.Add((sampleMs, f));
        for (var i = 0; i < 150; i++)
        {
            var at = t0.AddMilliseconds(20 * i);
            sampleMs = at.ToUnixTimeMilliseconds();
            processor.Process(new PostureSense.Agent.Sensors.Mpu6050.ImuSample(System.Numerics.Vector3.UnitX, default, 30), at);
        }

        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(f.Frame.Ts + 980, f.SampleMs));
        processor.Flush();
        Assert.Equal(3, frames.Count); // nothing left open, nothing twice
    }

    [Fact]
    public void A_second_whose_last_sample_is_lost_comes_out_with_the_next_second()
    {
        var builder = new Framing.FrameBuilder(sampleIntervalMs: 20);
        for (var ms = 0; ms < 960; ms += 20) Assert.Null(builder.Add(ms, 10, 0, 0, false));
        var frame = builder.Add(1000, 10, 0, 0, false); // 980 never came
        Assert.Equal(0, frame!.Value.Ts);
        Assert.Null(builder.Add(1020, 10, 0, 0, false));
    }
}
