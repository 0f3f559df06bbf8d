using PostureSense.Core.Imu;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

public class FifoTests
{
    [Fact]
    public void Count_grows_12_bytes_per_sample_at_50_Hz()
    {
        var s = new SensorHarness(new ConstantWearer(10));
        s.StartFifo50Hz();
        Assert.Equal(50.0, s.Device.SampleRateHz);

        // The first sample is one period after the reset.
        s.Clock.Advance(TimeSpan.FromTicks(199_999));
        Assert.Equal(0, s.FifoCount());
        s.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(12, s.FifoCount());

        s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(51 * 12, s.FifoCount());
    }

    [Fact]
    public void Draining_every_200_ms_yields_exactly_the_rate_in_event_time()
    {
        var s = new SensorHarness(new ConstantWearer(10));
        s.StartFifo50Hz();
        var total = 0;
        for (var i = 0; i < 300; i++) // one minute
        {
            s.Clock.Advance(TimeSpan.FromMilliseconds(200));
            total += s.DrainFifo().Length;
        }
        Assert.Equal(60 * 50 * 12, total);
    }

    [Fact]
    public void Reset_clears_the_fifo_and_restarts_the_sample_clock()
    {
        var s = new SensorHarness(new ConstantWearer(10));
        s.StartFifo50Hz();
        s.Clock.Advance(TimeSpan.FromMilliseconds(510));
        Assert.Equal(25 * 12, s.FifoCount());

        s.Write(Mpu6050Register.UserControl, Mpu6050.UserFifoEnableBit | Mpu6050.UserFifoResetBit);
        Assert.Equal(0, s.FifoCount());
        s.Clock.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(0, s.FifoCount()); // the old grid would have had a sample at 520 ms
        s.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(12, s.FifoCount());
    }

    [Fact]
    public void Overflow_sets_the_flag_and_keeps_the_newest_whole_samples()
    {
        var s = new SensorHarness(new PitchingWearer(10));
        s.StartFifo50Hz();
        s.Clock.Advance(TimeSpan.FromSeconds(3)); // 150 samples; 85 fit

        Assert.Equal(1020, s.FifoCount());
        Assert.Equal(Mpu6050.IntFifoOverflowBit, s.Read(Mpu6050Register.IntStatus) & Mpu6050.IntFifoOverflowBit);
        Assert.Equal(0, s.Read(Mpu6050Register.IntStatus) & Mpu6050.IntFifoOverflowBit); // cleared by reading

        var samples = SensorHarness.Samples(s.DrainFifo());
        Assert.Equal(85, samples.Length);
        Assert.Equal(30 - 84 * 0.2, Pitch(samples[0]), 0.05);  // sample 66 of 150, at 1.32 s
        Assert.Equal(30, Pitch(samples[^1]), 0.05);           // the sample at 3 s
    }

    [Fact]
    public void A_long_clock_jump_keeps_only_what_fits()
    {
        var s = new SensorHarness(new PitchingWearer(0.0001));
        s.StartFifo50Hz();
        s.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(1020, s.FifoCount());
        Assert.NotEqual(0, s.Read(Mpu6050Register.IntStatus) & Mpu6050.IntFifoOverflowBit);
        var last = SensorHarness.Samples(s.DrainFifo())[^1];
        Assert.Equal(0.0001 * TimeSpan.FromDays(3).TotalSeconds, Pitch(last), 0.05);
    }

    [Fact]
    public void Fifo_does_not_fill_while_asleep_or_disabled()
    {
        var s = new SensorHarness(new ConstantWearer(10));
        s.StartFifo50Hz();
        s.Write(Mpu6050Register.PowerManagement1, Mpu6050.PowerSleepBit);
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, s.FifoCount());

        s.Wake();
        s.Write(Mpu6050Register.UserControl, 0);
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, s.FifoCount());
    }

    [Fact]
    public void Temperature_bytes_go_in_register_order_when_enabled()
    {
        var s = new SensorHarness(new ConstantWearer(0));
        s.StartFifo50Hz(Mpu6050FifoEnable.AccelAndGyro | Mpu6050FifoEnable.Temperature);
        s.Clock.Advance(TimeSpan.FromMilliseconds(40));

        var samples = SensorHarness.Samples(s.DrainFifo(), 14);
        Assert.Equal(2, samples.Length);
        Assert.Equal(new short[] { 16384, 0, 0, Mpu6050.TemperatureRaw(30), 0, 0, 0 }, samples[0]);
    }

    [Fact]
    public void Samples_follow_the_wearer_with_noise_and_gyro_bias()
    {
        var s = new SensorHarness(new ConstantWearer(30), new SensorCharacteristics());
        s.StartFifo50Hz();
        s.Clock.Advance(TimeSpan.FromSeconds(1));

        var samples = SensorHarness.Samples(s.DrainFifo());
        double Mean(int axis, double scale) => samples.Average(x => x[axis]) / scale;
        Assert.Equal(0.866, Mean(0, 16384), 0.005);
        Assert.Equal(0.0, Mean(1, 16384), 0.005);
        Assert.Equal(0.5, Mean(2, 16384), 0.005);
        Assert.Equal(0.8, Mean(3, 131), 0.05);
        Assert.Equal(-0.5, Mean(4, 131), 0.05);
        Assert.Equal(0.3, Mean(5, 131), 0.05);
        // ...and the noise is there: not every sample is the same.
        Assert.True(samples.Select(x => x[0]).Distinct().Count() > 5);
    }

    [Fact]
    public void Data_ready_is_set_once_per_new_sample()
    {
        var s = new SensorHarness(new ConstantWearer(0));
        s.StartFifo50Hz();
        s.Read(Mpu6050Register.IntStatus);
        Assert.Equal(0, s.Read(Mpu6050Register.IntStatus) & Mpu6050.IntDataReadyBit);
        s.Clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(Mpu6050.IntDataReadyBit, s.Read(Mpu6050Register.IntStatus) & Mpu6050.IntDataReadyBit);
        Assert.Equal(0, s.Read(Mpu6050Register.IntStatus) & Mpu6050.IntDataReadyBit);
    }

    [Fact]
    public void Count_read_high_then_low_separately_is_consistent()
    {
        var s = new SensorHarness(new ConstantWearer(0));
        s.StartFifo50Hz();
        s.Clock.Advance(TimeSpan.FromMilliseconds(420)); // 21 samples = 252 bytes: 0x00FC
        var high = s.Read(Mpu6050Register.FifoCountH);
        s.Clock.Advance(TimeSpan.FromMilliseconds(20)); // a 22nd sample makes 264 = 0x0108
        var low = s.Read(Mpu6050Register.FifoCountL);
        Assert.Equal(252, high << 8 | low);
    }

    static double Pitch(short[] sample) => TrunkTilt.FromUp(new(sample[0], sample[1], sample[2])).PitchDeg;
}
