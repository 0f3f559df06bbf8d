using System.Numerics;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Imu;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Sensors;

public class Mpu6050DriverTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(AccelRange.G2, GyroRange.Dps250)]
    [InlineData(AccelRange.G4, GyroRange.Dps500)]
    [InlineData(AccelRange.G8, GyroRange.Dps1000)]
    [InlineData(AccelRange.G16, GyroRange.Dps2000)]
    public void Readings_are_in_g_and_degrees_per_second_at_every_range(AccelRange accel, GyroRange gyro)
    {
        // Pitching forward at 100 °/s: gravity tilts from +X toward +Z, the gyro reads +100 about Y.
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(new TurningWearer(100), _clock, SensorCharacteristics.Ideal));
        driver.Initialize(accel, gyro);
        _clock.Advance(TimeSpan.FromSeconds(0.3));

        var sample = driver.ReadSample();

        var expected = TrunkTilt.UpInSensor(30, 0);
        var accelLsb = 1 / (float)accel.LsbPerG();
        var gyroLsb = 1 / (float)gyro.LsbPerDps();
        Assert.InRange(Vector3.Distance(sample.AccelG, expected), 0, 2 * accelLsb);
        Assert.InRange(sample.GyroDps.Y, 100 - 0.5f - gyroLsb, 100 + 0.5f + gyroLsb);
        Assert.InRange(MathF.Abs(sample.GyroDps.X) + MathF.Abs(sample.GyroDps.Z), 0, 2 * gyroLsb);
        Assert.InRange(sample.TemperatureC, 29.9, 30.1);
    }

    [Fact]
    public void Leaning_back_reads_negative_z()
    {
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(new ConstantWearer(-30, -20), _clock, SensorCharacteristics.Ideal));
        driver.Initialize();
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        var sample = driver.ReadSample();

        Assert.Equal(-0.5 * Math.Cos(20 * Math.PI / 180), sample.AccelG.Z, 0.001);
        Assert.Equal(-Math.Sin(20 * Math.PI / 180), sample.AccelG.Y, 0.001);
        var (pitch, roll) = TrunkTilt.FromUp(sample.AccelG);
        Assert.Equal(-30, pitch, 0.1);
        Assert.Equal(-20, roll, 0.1);
    }

    [Fact]
    public void A_sensor_reads_zeros_until_initialize_wakes_it()
    {
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(new ConstantWearer(10), _clock, SensorCharacteristics.Ideal));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(Vector3.Zero, driver.ReadSample().AccelG);

        driver.Initialize();
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(1, driver.ReadSample().AccelG.Length(), 0.001);
    }

    [Fact]
    public void Another_chip_is_refused_with_what_was_read_and_where()
    {
        var sensor = new SimulatedMpu6050(new ConstantWearer(0), _clock, settings: new(3, 0x69)) { WhoAmI = 0x70 };
        using var driver = new Mpu6050Driver(sensor);

        var error = Assert.Throws<WrongChipException>(() => driver.Initialize());

        Assert.Equal(0x70, error.WhoAmI);
        Assert.Contains("0x70", error.Message);
        Assert.Contains("expected 0x68", error.Message);
        Assert.Contains("bus 3", error.Message);
        Assert.Contains("0x69", error.Message);
    }

    [Fact]
    public void The_fifo_gives_fifty_samples_per_second_of_clock_time()
    {
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(new ConstantWearer(20), _clock));
        driver.Initialize();
        var buffer = new ImuSample[100];
        var total = 0;
        for (var i = 0; i < 20; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(200));
            total += driver.ReadFifo(buffer, out var overflowed);
            Assert.False(overflowed);
        }

        Assert.Equal(200, total);
        var (pitch, _) = TrunkTilt.FromUp(buffer[0].AccelG);
        Assert.Equal(20, pitch, 1.0);
    }

    [Fact]
    public void A_late_read_reports_the_overflow_and_starts_afresh()
    {
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(new ConstantWearer(0), _clock));
        driver.Initialize();
        var buffer = new ImuSample[100];

        _clock.Advance(TimeSpan.FromSeconds(3)); // 150 samples; the FIFO holds 85
        Assert.Equal(0, driver.ReadFifo(buffer, out var overflowed));
        Assert.True(overflowed);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(50, driver.ReadFifo(buffer, out overflowed));
        Assert.False(overflowed);
    }
}
