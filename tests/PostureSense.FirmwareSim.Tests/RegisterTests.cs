using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

public class RegisterTests
{
    readonly SensorHarness _s = new(new ConstantWearer(30));

    [Fact]
    public void WhoAmI_answers_0x68_unless_told_otherwise()
    {
        Assert.Equal(0x68, _s.Read(Mpu6050Register.WhoAmI));
        _s.Device.WhoAmI = 0x70;
        Assert.Equal(0x70, _s.Read(Mpu6050Register.WhoAmI));
    }

    [Fact]
    public void Default_connection_is_bus_1_address_0x68()
    {
        Assert.Equal(1, _s.Device.ConnectionSettings.BusId);
        Assert.Equal(0x68, _s.Device.ConnectionSettings.DeviceAddress);
    }

    [Fact]
    public void Powers_on_asleep_reading_zeros_and_wakes_with_data()
    {
        Assert.Equal(Mpu6050.PowerSleepBit, _s.Read(Mpu6050Register.PowerManagement1));
        _s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.All(_s.ReadData(), v => Assert.Equal(0, v));

        _s.Wake();
        _s.Clock.Advance(TimeSpan.FromMilliseconds(10));
        var data = _s.ReadData();
        Assert.Equal(14189, data[0]); // cos 30° · 16384
        Assert.Equal(8192, data[2]);  // sin 30° · 16384
    }

    [Fact]
    public void Device_reset_restores_power_on_values()
    {
        _s.Wake();
        _s.Write(Mpu6050Register.SampleRateDivider, 19);
        _s.Write(Mpu6050Register.AccelConfig, AccelRange.G8.ToConfigBits());

        _s.Write(Mpu6050Register.PowerManagement1, Mpu6050.PowerResetBit);

        Assert.Equal(Mpu6050.PowerSleepBit, _s.Read(Mpu6050Register.PowerManagement1));
        Assert.Equal(0, _s.Read(Mpu6050Register.SampleRateDivider));
        Assert.Equal(0, _s.Read(Mpu6050Register.AccelConfig));
        Assert.True(_s.Device.IsAsleep);
    }

    [Fact]
    public void Multi_byte_write_and_read_auto_increment()
    {
        // SMPLRT_DIV, CONFIG, GYRO_CONFIG, ACCEL_CONFIG are consecutive.
        _s.Write(Mpu6050Register.SampleRateDivider, 7, 3, 0x18, 0x10);

        Assert.Equal(new byte[] { 7, 3, 0x18, 0x10 }, _s.Read(Mpu6050Register.SampleRateDivider, 4));
        Assert.Equal(1000.0 / 8, _s.Device.SampleRateHz);
    }

    [Fact]
    public void Unknown_registers_hold_what_was_written_and_the_pointer_stays_put_between_reads()
    {
        _s.Device.Write([0x0D, 0xAB, 0xCD]);
        _s.Device.WriteByte(0x0D);
        Assert.Equal(0xAB, _s.Device.ReadByte());
        Assert.Equal(0xCD, _s.Device.ReadByte()); // the pointer advanced past the first
        Assert.Equal(0, _s.Read((Mpu6050Register)0x50));
    }

    [Fact]
    public void Fifo_reset_bit_clears_itself()
    {
        _s.Write(Mpu6050Register.UserControl, Mpu6050.UserFifoEnableBit | Mpu6050.UserFifoResetBit);
        Assert.Equal(Mpu6050.UserFifoEnableBit, _s.Read(Mpu6050Register.UserControl));
    }

    [Fact]
    public void Burst_read_of_the_data_registers_is_one_sample_in_register_order()
    {
        _s.Wake();
        _s.Clock.Advance(TimeSpan.FromMilliseconds(5));
        var data = _s.ReadData();
        Assert.Equal(Mpu6050.TemperatureRaw(30), data[3]);
        // Each register alone gives the same bytes as the burst.
        var high = _s.Read(Mpu6050Register.AccelXoutH);
        var low = _s.Read((Mpu6050Register)0x3C);
        Assert.Equal(data[0], (short)(high << 8 | low));
    }

    [Fact]
    public void A_disposed_device_refuses_traffic()
    {
        _s.Device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _s.Read(Mpu6050Register.WhoAmI));
    }
}
