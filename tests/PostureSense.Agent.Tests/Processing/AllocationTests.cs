using System.Numerics;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Tests.Processing;

public class AllocationTests
{
    [Fact]
    public void The_per_sample_path_allocates_nothing_in_steady_state()
    {
        // 50 samples a second, all day on a Pi Zero: garbage here means GC pauses and lost FIFO data.
        var processor = new PostureProcessor(50);
        var frames = 0;
        processor.FrameReady += _ => frames++;
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var sample = new ImuSample(TrunkTilt.UpInSensor(20, 0), new Vector3(0.1f, 0.2f, 0), double.NaN);
        for (var i = 0; i < 500; i++) processor.Process(sample, start.AddMilliseconds(20 * i));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 500; i < 5500; i++) processor.Process(sample, start.AddMilliseconds(20 * i));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.InRange(frames, 108, 110);
    }
}
