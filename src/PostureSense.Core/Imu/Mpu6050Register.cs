namespace PostureSense.Core.Imu;

/// <summary>
/// The MPU-6050 registers PostureSense uses, from the InvenSense register map (RM-MPU-6000A).
/// Shared by the agent's driver and the simulated sensor so both speak the same map.
/// </summary>
public enum Mpu6050Register : byte
{
    /// <summary>Sample rate = gyro output rate (8 kHz with the DLPF off, 1 kHz with it on) / (1 + SMPLRT_DIV).</summary>
    SampleRateDivider = 0x19,
    /// <summary>CONFIG: DLPF_CFG in bits 2:0 (0 and 7 turn the filter off).</summary>
    Config = 0x1A,
    /// <summary>FS_SEL in bits 4:3.</summary>
    GyroConfig = 0x1B,
    /// <summary>AFS_SEL in bits 4:3.</summary>
    AccelConfig = 0x1C,
    /// <summary>Which sensors go into the FIFO (<see cref="Mpu6050FifoEnable"/>).</summary>
    FifoEnable = 0x23,
    IntEnable = 0x38,
    /// <summary>INT_STATUS: bit 0 data ready, bit 4 FIFO overflow; cleared by reading it.</summary>
    IntStatus = 0x3A,
    /// <summary>First of 14 data bytes: accel X/Y/Z, temperature, gyro X/Y/Z, each big-endian signed 16 bit.</summary>
    AccelXoutH = 0x3B,
    TempOutH = 0x41,
    GyroXoutH = 0x43,
    /// <summary>USER_CTRL: bit 6 FIFO enable, bit 2 FIFO reset (self-clearing).</summary>
    UserControl = 0x6A,
    /// <summary>PWR_MGMT_1: bit 7 device reset, bit 6 sleep (set at power-on), bits 2:0 clock source.</summary>
    PowerManagement1 = 0x6B,
    PowerManagement2 = 0x6C,
    /// <summary>FIFO_COUNT_H, then FIFO_COUNT_L: bytes waiting in the 1024 byte FIFO.</summary>
    FifoCountH = 0x72,
    FifoCountL = 0x73,
    /// <summary>FIFO_R_W: each read pops one byte.</summary>
    FifoReadWrite = 0x74,
    /// <summary>WHO_AM_I: 0x68 on an MPU-6050, whatever AD0 is.</summary>
    WhoAmI = 0x75,
}

/// <summary>Bits of the registers above, and the constants of the data sheet.</summary>
public static class Mpu6050
{
    public const byte DefaultAddress = 0x68;
    public const byte WhoAmIValue = 0x68;
    public const int FifoSize = 1024;
    /// <summary>Bytes of one sample in the FIFO with accel and gyro enabled: ax ay az gx gy gz.</summary>
    public const int FifoSampleBytes = 12;
    /// <summary>Bytes of the burst read from ACCEL_XOUT_H.</summary>
    public const int DataBytes = 14;

    public const byte PowerSleepBit = 0x40;
    public const byte PowerResetBit = 0x80;
    /// <summary>PLL with the X gyro as reference: the data sheet's recommended clock.</summary>
    public const byte ClockPllGyroX = 0x01;
    public const byte UserFifoEnableBit = 0x40;
    public const byte UserFifoResetBit = 0x04;
    public const byte IntDataReadyBit = 0x01;
    public const byte IntFifoOverflowBit = 0x10;

    /// <summary>Temperature in °C = raw / 340 + 36.53.</summary>
    public static double TemperatureC(short raw) => raw / 340.0 + 36.53;
    public static short TemperatureRaw(double celsius) => (short)Math.Clamp(Math.Round((celsius - 36.53) * 340), short.MinValue, short.MaxValue);
}

/// <summary>FIFO_EN bits.</summary>
[Flags]
public enum Mpu6050FifoEnable : byte
{
    None = 0,
    Accel = 0x08,
    GyroZ = 0x10,
    GyroY = 0x20,
    GyroX = 0x40,
    Temperature = 0x80,
    AccelAndGyro = Accel | GyroX | GyroY | GyroZ,
}

/// <summary>AFS_SEL: accelerometer full-scale range, and its sensitivity.</summary>
public enum AccelRange : byte { G2 = 0, G4 = 1, G8 = 2, G16 = 3 }

/// <summary>FS_SEL: gyroscope full-scale range, and its sensitivity.</summary>
public enum GyroRange : byte { Dps250 = 0, Dps500 = 1, Dps1000 = 2, Dps2000 = 3 }

public static class Mpu6050Ranges
{
    /// <summary>LSB per g: 16384, 8192, 4096, 2048.</summary>
    public static double LsbPerG(this AccelRange range) => 16384.0 / (1 << (int)range);
    /// <summary>LSB per °/s: 131, 65.5, 32.8, 16.4.</summary>
    public static double LsbPerDps(this GyroRange range) => range switch
    {
        GyroRange.Dps250 => 131.0,
        GyroRange.Dps500 => 65.5,
        GyroRange.Dps1000 => 32.8,
        GyroRange.Dps2000 => 16.4,
        _ => throw new ArgumentOutOfRangeException(nameof(range), range, "unknown gyro range"),
    };
    public static byte ToConfigBits(this AccelRange range) => (byte)((byte)range << 3);
    public static byte ToConfigBits(this GyroRange range) => (byte)((byte)range << 3);
    public static AccelRange AccelRangeFromConfig(byte config) => (AccelRange)((config >> 3) & 0x03);
    public static GyroRange GyroRangeFromConfig(byte config) => (GyroRange)((config >> 3) & 0x03);

    /// <summary>Sample rate in Hz for a CONFIG and SMPLRT_DIV pair.</summary>
    public static double SampleRateHz(byte config, byte divider)
    {
        var dlpf = config & 0x07;
        var gyroOutputHz = dlpf is 0 or 7 ? 8000.0 : 1000.0;
        return gyroOutputHz / (1 + divider);
    }
}
