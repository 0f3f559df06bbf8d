using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

public class ScalingTests
{
    [Theory]
    [InlineData(AccelRange.G2, 16384)]
    [InlineData(AccelRange.G4, 8192)]
    [InlineData(AccelRange.G8, 4096)]
    [InlineData(AccelRange.G16, 2048)]
    public void One_g_reads_the_range_sensitivity(AccelRange range, short expected)
    {
        var s = new SensorHarness(new ConstantWearer(0));
        s.Wake();
        s.Write(Mpu6050Register.AccelConfig, range.ToConfigBits());
        s.Clock.Advance(TimeSpan.FromMilliseconds(10));

        var data = s.ReadData();
        Assert.Equal(expected, data[0]);
        Assert.Equal(0, data[1]);
        Assert.Equal(0, data[2]);
    }

    [Theory]
    [InlineData(GyroRange.Dps250, 1310)]
    [InlineData(GyroRange.Dps500, 655)]
    [InlineData(GyroRange.Dps1000, 328)]
    [InlineData(GyroRange.Dps2000, 164)]
    public void Ten_degrees_per_second_reads_the_range_sensitivity(GyroRange range, short expected)
    {
        // Pitching forward turns the board about its Y (left) axis, positive by the right-hand rule.
        var s = new SensorHarness(new PitchingWearer(10));
        s.Wake();
        s.Write(Mpu6050Register.GyroConfig, range.ToConfigBits());
        s.Clock.Advance(TimeSpan.FromSeconds(1));

        var data = s.ReadData();
        Assert.Equal(0, data[4]);
        Assert.Equal(expected, data[5]);
        Assert.Equal(0, data[6]);
    }

    [Fact]
    public void Negative_values_are_twos_complement_big_endian()
    {
        var s = new SensorHarness(new ConstantWearer(-30));
        s.Wake();
        s.Clock.Advance(TimeSpan.FromMilliseconds(10));

        var bytes = s.Read((Mpu6050Register)0x3F, 2); // ACCEL_ZOUT_H, _L
        Assert.Equal(new byte[] { 0xE0, 0x00 }, bytes); // -0.5 g = -8192
    }

    [Theory]
    [InlineData(2.0, 32767)]
    [InlineData(-4.0, -32768)]
    public void Accel_beyond_the_range_saturates(double verticalG, short expected)
    {
        var s = new SensorHarness(new AcceleratingWearer(verticalG));
        s.Wake();
        s.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(expected, s.ReadData()[0]); // 1 g + 2 g = 3 g, 1 g - 4 g = -3 g: beyond ±2 g
    }

    [Fact]
    public void Gyro_beyond_the_range_saturates()
    {
        var s = new SensorHarness(new PitchingWearer(-300));
        s.Wake();
        s.Clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(short.MinValue, s.ReadData()[5]);
    }

    [Fact]
    public void Mounting_tilt_adds_to_the_posture_as_a_fixed_rotation()
    {
        var s = new SensorHarness(new ConstantWearer(0), Sensor.SensorCharacteristics.Ideal with { MountingPitchDeg = 10, MountingRollDeg = -5 });
        s.Wake();
        s.Clock.Advance(TimeSpan.FromMilliseconds(10));
        var d = s.ReadData();
        var (pitch, roll) = Core.Posture.TrunkTilt.FromUp(new(d[0], d[1], d[2]));
        Assert.Equal(10, pitch, 0.1);
        Assert.Equal(-5, roll, 0.1);
    }
}
