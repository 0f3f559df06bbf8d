using System.Numerics;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Imu;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.AccelCalibration;

/// <summary>
/// A board at the datasheet's worst reads gravity as about 1.1 g. Sitting still must still read
/// as still, calibrated or not; the six-face calibration then also takes the error out of pitch.
/// </summary>
public class UncalibratedBoardTests
{
    static readonly SensorCharacteristics Worst = new()
    {
        AccelOffsetG = new Vector3(0.05f, -0.05f, 0.08f),
        AccelScaleError = new Vector3(0.03f, 0.03f, -0.03f),
        MountingPitchDeg = 6,
        Seed = 4,
    };

    static List<PostureFrame> Sit(AccelCorrection correction, double pitchDeg)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var wearer = new SteppedWearer(pitchDeg);
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(wearer, clock, Worst));
        driver.Initialize();
        var processor = new PostureProcessor(50) { AccelCorrection = correction };
        var frames = new List<PostureFrame>();
        processor.FrameReady += frames.Add;
        _ = processor.RequestCalibration();
        for (var i = 0; i < 50 * 60; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            processor.Process(driver.ReadSample(), clock.GetUtcNow());
        }
        return frames;
    }

    /// <summary>Upright for the first 5 s (the wearer's calibration), then still at a pitch.</summary>
    sealed class SteppedWearer(double pitchDeg) : IWearerModel
    {
        public WearerState At(TimeSpan sinceStart) =>
            new(sinceStart < TimeSpan.FromSeconds(5) ? 0 : pitchDeg, 0, Vector3.Zero, Walking: false, Label: "sit");
    }

    [Fact]
    public void Sitting_still_on_an_uncalibrated_board_reads_as_still()
    {
        var frames = Sit(AccelCorrection.Identity, 22);

        // Sitting is under 0.05 g of motion; the board's 0.1 g error must not count as motion.
        Assert.All(frames.Skip(20), f => Assert.InRange(f.Motion, 0, 0.02));
        Assert.All(frames.Skip(20), f => Assert.Equal(0, f.Steps));
    }

    [Fact]
    public void The_six_face_correction_takes_the_error_out_of_pitch()
    {
        var raw = Sit(AccelCorrection.Identity, 22)[^1].Pitch;
        var corrected = Sit(new AccelCorrection(Worst.AccelOffsetG, Vector3.One + Worst.AccelScaleError), 22)[^1].Pitch;

        Assert.True(Math.Abs(raw - 22) > 1, $"uncalibrated pitch {raw:0.00}°");
        Assert.InRange(corrected, 21.8, 22.2);
    }
}
