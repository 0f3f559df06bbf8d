using PostureSense.Agent.Replay;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Tests.Support;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Processing;

public class FusionTests
{
    // The default board's accel and gyro noise, a gyro offset well inside the data sheet's ±20 °/s
    // (uncorrected it would skew angles by degrees), and the board mounted 8° pitched and 3° turned
    // on the back, which calibration must absorb.
    static readonly SensorCharacteristics Mounted = new()
    {
        GyroBiasDps = new(3f, -2.5f, 2f), MountingPitchDeg = 8, MountingRollDeg = 3, Seed = 7,
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 5)]
    [InlineData(25, -10)]
    [InlineData(45, 10)]
    [InlineData(-15, -5)]
    public void Held_tilt_is_reported_within_a_degree_of_truth_after_calibrating_upright(double pitch, double roll)
    {
        var result = OfflineReplay.Run(
            clock => new SimulatedMpu6050(new SettlingWearer(pitch, roll), clock, Mounted), TimeSpan.FromSeconds(30));

        Assert.NotNull(result.Calibration);
        var settled = result.Frames.Skip(15).ToList(); // 5 s upright, 2 s easing over, then held
        Assert.True(settled.Count >= 14, $"only {settled.Count} frames");
        Assert.All(settled, f =>
        {
            Assert.InRange(f.Pitch, pitch - 1, pitch + 1);
            Assert.InRange(f.Roll, roll - 1, roll + 1);
        });
    }

    [Fact]
    public void Without_calibration_the_mounting_angle_shows_as_tilt()
    {
        // Guards the test above: the mounting is large enough to matter if calibration did nothing.
        var result = OfflineReplay.Run(
            clock => new SimulatedMpu6050(new SettlingWearer(0, 0), clock, Mounted with { GyroBiasDps = default }), TimeSpan.FromSeconds(10),
            new ReplayOptions { CalibrateFor = null });

        Assert.Null(result.Calibration);
        Assert.All(result.Frames.Skip(3), f => Assert.InRange(f.Pitch, 7, 9));
    }
}
