using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>A simulated sensor on a fake clock, with the register traffic a driver would send.</summary>
internal sealed class SensorHarness
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public SensorHarness(IWearerModel wearer, SensorCharacteristics? sensor = null)
    {
        Device = new SimulatedMpu6050(wearer, Clock, sensor ?? SensorCharacteristics.Ideal);
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public SimulatedMpu6050 Device { get; }

    public void Write(Mpu6050Register register, params byte[] values) => Device.Write([(byte)register, .. values]);

    public byte Read(Mpu6050Register register)
    {
        Device.WriteByte((byte)register);
        return Device.ReadByte();
    }

    public byte[] Read(Mpu6050Register register, int count)
    {
        var buffer = new byte[count];
        Device.WriteRead([(byte)register], buffer);
        return buffer;
    }

    public void Wake() => Write(Mpu6050Register.PowerManagement1, Mpu6050.ClockPllGyroX);

    /// <summary>Accel X, Y, Z, temperature, gyro X, Y, Z as raw signed values.</summary>
    public short[] ReadData() => ToShorts(Read(Mpu6050Register.AccelXoutH, Mpu6050.DataBytes));

    /// <summary>Awake, 50 Hz (DLPF on, divider 19), accel and gyro into a freshly reset FIFO.</summary>
    public void StartFifo50Hz(Mpu6050FifoEnable content = Mpu6050FifoEnable.AccelAndGyro)
    {
        Wake();
        Write(Mpu6050Register.Config, 0x01);
        Write(Mpu6050Register.SampleRateDivider, 19);
        Write(Mpu6050Register.FifoEnable, (byte)content);
        Write(Mpu6050Register.UserControl, Mpu6050.UserFifoEnableBit | Mpu6050.UserFifoResetBit);
    }

    public int FifoCount()
    {
        var b = Read(Mpu6050Register.FifoCountH, 2);
        return b[0] << 8 | b[1];
    }

    public byte[] DrainFifo() => Read(Mpu6050Register.FifoReadWrite, FifoCount());

    /// <summary>FIFO bytes as samples of ax ay az gx gy gz.</summary>
    public static short[][] Samples(byte[] fifo, int sampleBytes = Mpu6050.FifoSampleBytes) =>
        fifo.Chunk(sampleBytes).Select(ToShorts).ToArray();

    /// <summary>Every FIFO sample over <paramref name="seconds"/> from a board at 50 Hz, in g (ax ay az) and °/s (gx gy gz).</summary>
    public static List<double[]> PhysicalSamples(IWearerModel wearer, double seconds, SensorCharacteristics? sensor = null)
    {
        var s = new SensorHarness(wearer, sensor ?? SensorCharacteristics.Ideal);
        s.StartFifo50Hz();
        var samples = new List<double[]>();
        for (var i = 0; i < seconds * 5; i++)
        {
            s.Clock.Advance(TimeSpan.FromMilliseconds(200));
            samples.AddRange(Samples(s.DrainFifo()).Select(v => new[]
                { v[0] / 16384.0, v[1] / 16384.0, v[2] / 16384.0, v[3] / 131.0, v[4] / 131.0, v[5] / 131.0 }));
        }
        return samples;
    }

    public static short[] ToShorts(byte[] bytes) =>
        bytes.Chunk(2).Select(p => BinaryPrimitives.ReadInt16BigEndian(p)).ToArray();
}
