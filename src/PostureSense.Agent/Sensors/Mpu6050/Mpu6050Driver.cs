using System.Buffers.Binary;
using System.Device.I2c;
using System.Numerics;
using PostureSense.Core.Imu;
using Chip = PostureSense.Core.Imu.Mpu6050;

namespace PostureSense.Agent.Sensors.Mpu6050;

/// <summary>
/// MPU-6050 accelerometer and gyroscope on I2C, from the InvenSense register map. Owns and
/// disposes the <see cref="I2cDevice"/> it is given. Decoding allocates nothing.
/// </summary>
public sealed class Mpu6050Driver : IDisposable
{
    // Bytes read from FIFO_R_W per I2C transfer: whole samples, small enough for the stack.
    const int FifoChunkSamples = 16;

    readonly I2cDevice _device;
    float _lsbPerG = (float)AccelRange.G2.LsbPerG();
    float _lsbPerDps = (float)GyroRange.Dps250.LsbPerDps();

    public Mpu6050Driver(I2cDevice device) => _device = device ?? throw new ArgumentNullException(nameof(device));

    public AccelRange AccelRange { get; private set; } = AccelRange.G2;
    public GyroRange GyroRange { get; private set; } = GyroRange.Dps250;
    public int SampleRateHz { get; private set; }

    /// <summary>Where the sensor is, for messages: "I2C bus 1, address 0x68".</summary>
    public string Location => _device.ConnectionSettings is { } s ? $"I2C bus {s.BusId}, address 0x{s.DeviceAddress:X2}" : "I2C";

    /// <summary>Checks the chip, resets and wakes it, and starts sampling accel and gyro into the FIFO.</summary>
    /// <exception cref="WrongChipException">Something answers, but WHO_AM_I says it is not an MPU-6050.</exception>
    /// <exception cref="IOException">The bus fails.</exception>
    public void Initialize(AccelRange accelRange = AccelRange.G2, GyroRange gyroRange = GyroRange.Dps250, int sampleRateHz = 50)
    {
        // With the DLPF on the gyro outputs at 1 kHz; SMPLRT_DIV divides that down.
        if (sampleRateHz is < 4 or > 1000 || 1000 % sampleRateHz != 0)
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "sample rate must divide 1000 Hz and be 4 to 1000 Hz");

        var who = ReadRegister(Mpu6050Register.WhoAmI);
        if (who != Chip.WhoAmIValue)
            throw new WrongChipException(who, $"no MPU-6050 on {Location}: WHO_AM_I read 0x{who:X2}, expected 0x{Chip.WhoAmIValue:X2}");

        WriteRegister(Mpu6050Register.PowerManagement1, Chip.PowerResetBit);
        WaitForReset();
        WriteRegister(Mpu6050Register.PowerManagement1, Chip.ClockPllGyroX);
        // DLPF 3 (44 Hz): below Nyquist at 50 Hz and well above what a trunk does.
        WriteRegister(Mpu6050Register.Config, 3);
        WriteRegister(Mpu6050Register.SampleRateDivider, (byte)(1000 / sampleRateHz - 1));
        WriteRegister(Mpu6050Register.AccelConfig, accelRange.ToConfigBits());
        WriteRegister(Mpu6050Register.GyroConfig, gyroRange.ToConfigBits());
        AccelRange = accelRange;
        GyroRange = gyroRange;
        SampleRateHz = sampleRateHz;
        _lsbPerG = (float)accelRange.LsbPerG();
        _lsbPerDps = (float)gyroRange.LsbPerDps();

        WriteRegister(Mpu6050Register.FifoEnable, (byte)Mpu6050FifoEnable.AccelAndGyro);
        ResetFifo();
    }

    /// <summary>Empties the FIFO and keeps it collecting; the next sample in it is the first after this call.</summary>
    public void ResetFifo()
    {
        WriteRegister(Mpu6050Register.UserControl, Chip.UserFifoResetBit);
        WriteRegister(Mpu6050Register.UserControl, Chip.UserFifoEnableBit | Chip.UserFifoResetBit);
        ReadRegister(Mpu6050Register.IntStatus); // clears a stale overflow flag
    }

    /// <summary>
    /// Whether the chip is still awake with its FIFO collecting accel and gyro, as
    /// <see cref="Initialize"/> left it; false after a power cycle or reset (it wakes up asleep, FIFO off).
    /// </summary>
    public bool IsSampling()
    {
        var power = ReadRegister(Mpu6050Register.PowerManagement1);
        var user = ReadRegister(Mpu6050Register.UserControl);
        var fifo = ReadRegister(Mpu6050Register.FifoEnable);
        return (power & Chip.PowerSleepBit) == 0
            && (user & Chip.UserFifoEnableBit) != 0
            && fifo == (byte)Mpu6050FifoEnable.AccelAndGyro;
    }

    /// <summary>The current accel, temperature and gyro in one 14-byte burst.</summary>
    public ImuSample ReadSample()
    {
        Span<byte> data = stackalloc byte[Chip.DataBytes];
        Read(Mpu6050Register.AccelXoutH, data);
        var temperature = Chip.TemperatureC(BinaryPrimitives.ReadInt16BigEndian(data[6..]));
        return new ImuSample(Accel(data), Gyro(data[8..]), temperature);
    }

    /// <summary>Like <see cref="ReadSample"/>, but false instead of an exception when the bus fails.</summary>
    public bool TryReadSample(out ImuSample sample)
    {
        try
        {
            sample = ReadSample();
            return true;
        }
        catch (IOException)
        {
            sample = default;
            return false;
        }
    }

    /// <summary>
    /// Moves whole samples from the FIFO into <paramref name="into"/>, oldest first. After an
    /// overflow the FIFO's byte alignment is unknown, so it is reset and nothing is returned.
    /// </summary>
    public int ReadFifo(Span<ImuSample> into, out bool overflowed)
    {
        overflowed = (ReadRegister(Mpu6050Register.IntStatus) & Chip.IntFifoOverflowBit) != 0;
        Span<byte> count = stackalloc byte[2];
        Read(Mpu6050Register.FifoCountH, count);
        var bytes = BinaryPrimitives.ReadUInt16BigEndian(count);
        if (overflowed || bytes >= Chip.FifoSize)
        {
            overflowed = true;
            ResetFifo();
            return 0;
        }

        var samples = Math.Min(bytes / Chip.FifoSampleBytes, into.Length);
        Span<byte> chunk = stackalloc byte[FifoChunkSamples * Chip.FifoSampleBytes];
        var done = 0;
        while (done < samples)
        {
            var n = Math.Min(FifoChunkSamples, samples - done);
            var raw = chunk[..(n * Chip.FifoSampleBytes)];
            Read(Mpu6050Register.FifoReadWrite, raw);
            for (var i = 0; i < n; i++)
            {
                var s = raw.Slice(i * Chip.FifoSampleBytes, Chip.FifoSampleBytes);
                into[done + i] = new ImuSample(Accel(s), Gyro(s[6..]), double.NaN);
            }
            done += n;
        }
        return samples;
    }

    public void Dispose() => _device.Dispose();

    Vector3 Accel(ReadOnlySpan<byte> d) => new Vector3(
        BinaryPrimitives.ReadInt16BigEndian(d),
        BinaryPrimitives.ReadInt16BigEndian(d[2..]),
        BinaryPrimitives.ReadInt16BigEndian(d[4..])) / _lsbPerG;

    Vector3 Gyro(ReadOnlySpan<byte> d) => new Vector3(
        BinaryPrimitives.ReadInt16BigEndian(d),
        BinaryPrimitives.ReadInt16BigEndian(d[2..]),
        BinaryPrimitives.ReadInt16BigEndian(d[4..])) / _lsbPerDps;

    void WaitForReset()
    {
        // DEVICE_RESET clears itself when done (about 100 ms on a real chip, which may NAK meanwhile).
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                if ((ReadRegister(Mpu6050Register.PowerManagement1) & Chip.PowerResetBit) == 0) return;
            }
            catch (IOException) { }
            Thread.Sleep(1);
        }
        throw new IOException($"MPU-6050 on {Location} did not come out of reset");
    }

    byte ReadRegister(Mpu6050Register register)
    {
        Span<byte> value = stackalloc byte[1];
        Read(register, value);
        return value[0];
    }

    void Read(Mpu6050Register register, Span<byte> into)
    {
        Span<byte> address = stackalloc byte[] { (byte)register };
        _device.WriteRead(address, into);
    }

    void WriteRegister(Mpu6050Register register, byte value)
    {
        Span<byte> data = stackalloc byte[] { (byte)register, value };
        _device.Write(data);
    }
}
