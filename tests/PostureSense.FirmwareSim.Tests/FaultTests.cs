using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

public class FaultTests
{
    // Noise on, so that healthy samples always differ and a frozen one shows.
    readonly SensorHarness _s = new(new ConstantWearer(20), new SensorCharacteristics());

    [Fact]
    public void Bus_errors_fail_every_transfer_and_change_nothing()
    {
        _s.StartFifo50Hz();
        _s.Device.InjectFault(new SensorFault.BusErrors());

        Assert.Throws<IOException>(() => _s.Read(Mpu6050Register.WhoAmI));
        Assert.Throws<IOException>(() => _s.Write(Mpu6050Register.PowerManagement1, Mpu6050.PowerResetBit));
        Assert.Throws<IOException>(() => _s.Device.Read(new byte[1]));

        _s.Device.ClearFault();
        Assert.False(_s.Device.IsAsleep); // the failed reset did not happen
        _s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(50 * Mpu6050.FifoSampleBytes, _s.FifoCount());
    }

    [Fact]
    public void A_fraction_of_bus_errors_is_seeded_and_about_that_fraction()
    {
        int Failures(int seed)
        {
            var s = new SensorHarness(new ConstantWearer(0));
            s.Device.InjectFault(new SensorFault.BusErrors(0.2, seed));
            var failed = 0;
            for (var i = 0; i < 1000; i++)
            {
                try { s.Device.WriteRead([(byte)Mpu6050Register.WhoAmI], new byte[1]); }
                catch (IOException) { failed++; }
            }
            return failed;
        }

        Assert.InRange(Failures(7), 150, 250);
        Assert.Equal(Failures(7), Failures(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => _s.Device.InjectFault(new SensorFault.BusErrors(0)));
    }

    [Fact]
    public void A_stuck_chip_repeats_its_last_sample_in_registers_and_fifo_until_cleared()
    {
        _s.StartFifo50Hz();
        _s.Clock.Advance(TimeSpan.FromSeconds(1));
        var before = SensorHarness.Samples(_s.DrainFifo());
        Assert.Equal(50, before.Distinct(Comparer).Count());

        _s.Device.InjectFault(new SensorFault.Stuck());
        _s.Clock.Advance(TimeSpan.FromSeconds(1));
        var stuck = SensorHarness.Samples(_s.DrainFifo());
        Assert.Equal(50, stuck.Length); // still sampling at the rate
        Assert.All(stuck, s => Assert.Equal(before[^1], s));
        var data = _s.ReadData();
        Assert.Equal(before[^1][..3], data[..3]);
        Assert.Equal(data, _s.ReadData());

        _s.Device.ClearFault();
        _s.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = SensorHarness.Samples(_s.DrainFifo());
        Assert.Equal(50, after.Distinct(Comparer).Count());
    }

    [Fact]
    public void A_wrong_chip_answers_another_who_am_i_until_cleared()
    {
        _s.Device.InjectFault(new SensorFault.WrongChip(0x98));
        Assert.Equal(0x98, _s.Read(Mpu6050Register.WhoAmI));
        _s.Device.ClearFault();
        Assert.Equal(Mpu6050.WhoAmIValue, _s.Read(Mpu6050Register.WhoAmI));
    }

    [Fact]
    public void An_unplugged_chip_fails_every_transfer_and_comes_back_power_cycled()
    {
        _s.StartFifo50Hz();
        _s.Write(Mpu6050Register.AccelConfig, AccelRange.G8.ToConfigBits());
        _s.Clock.Advance(TimeSpan.FromSeconds(1));

        _s.Device.InjectFault(new SensorFault.Unplugged());
        Assert.Throws<IOException>(() => _s.FifoCount());
        _s.Clock.Advance(TimeSpan.FromSeconds(5));

        _s.Device.ClearFault();
        Assert.True(_s.Device.IsAsleep);
        Assert.Equal(Mpu6050.PowerSleepBit, _s.Read(Mpu6050Register.PowerManagement1));
        Assert.Equal(0, _s.Read(Mpu6050Register.AccelConfig));
        Assert.Equal(0, _s.Read(Mpu6050Register.UserControl));
        Assert.Equal(0, _s.Read(Mpu6050Register.FifoEnable));
        _s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, _s.FifoCount());
    }

    [Fact]
    public void Replacing_unplugged_by_another_fault_is_a_replug_too()
    {
        _s.StartFifo50Hz();
        _s.Device.InjectFault(new SensorFault.Unplugged());
        _s.Device.InjectFault(new SensorFault.WrongChip());

        Assert.True(_s.Device.IsAsleep);
        Assert.Equal(0x70, _s.Read(Mpu6050Register.WhoAmI));
    }

    static readonly IEqualityComparer<short[]> Comparer = EqualityComparer<short[]>.Create((a, b) => a!.SequenceEqual(b!), a => a.Aggregate(17, (h, v) => h * 31 + v));
}
