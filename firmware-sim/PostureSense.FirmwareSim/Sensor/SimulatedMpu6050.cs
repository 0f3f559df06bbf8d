using System.Buffers.Binary;
using System.Device.I2c;
using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Sensor;

/// <summary>
/// A register-level MPU-6050 behind <see cref="I2cDevice"/> whose data follow a simulated wearer.
/// Nothing runs in the background: registers are computed when read, on the injected clock, so
/// the sensor is exact under a fake or accelerated clock. Sample k after a FIFO reset (or power-on,
/// or a sample-rate change) is taken at that instant + k / rate.
/// </summary>
public sealed class SimulatedMpu6050 : I2cDevice
{
    const int RegisterCount = 128;
    const byte DataFirst = (byte)Mpu6050Register.AccelXoutH;
    const byte DataLast = DataFirst + Mpu6050.DataBytes - 1;

    readonly Lock _gate = new();
    readonly byte[] _registers = new byte[RegisterCount];
    readonly FifoBuffer _fifo = new(Mpu6050.FifoSize);
    readonly SensorPhysics _physics;
    readonly TimeProvider _clock;
    readonly I2cConnectionSettings _settings;
    byte _pointer;
    // The sample clock: sample k (k >= 1) is at _sampleOrigin + k / rate; samples up to
    // _samplesDone are in the FIFO or were skipped while it was not filling.
    DateTimeOffset _sampleOrigin;
    long _samplesDone;
    DateTimeOffset _dataReadyAcknowledged;
    bool _overflow;
    ushort? _latchedCount;
    bool _disposed;
    SensorFault? _fault;
    Random? _busErrors;
    byte[]? _frozen; // the sample a Stuck chip repeats

    public SimulatedMpu6050(IWearerModel wearer, TimeProvider clock, SensorCharacteristics? sensor = null, I2cConnectionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(wearer);
        ArgumentNullException.ThrowIfNull(clock);
        Wearer = wearer;
        _clock = clock;
        _physics = new SensorPhysics(wearer, sensor ?? new SensorCharacteristics());
        _settings = settings ?? new I2cConnectionSettings(1, Mpu6050.DefaultAddress);
        Origin = clock.GetUtcNow();
        PowerOnReset(Origin);
    }

    /// <summary>A sensor on a wearer who follows <paramref name="scenario"/> from now: the scenario's board unless <paramref name="sensor"/> replaces it.</summary>
    public static SimulatedMpu6050 ForScenario(Scenario scenario, TimeProvider clock, SensorCharacteristics? sensor = null) =>
        new(new ScenarioWearer(scenario), clock, sensor ?? scenario.Sensor);

    /// <summary>What WHO_AM_I returns; set it to pretend to be another chip.</summary>
    public byte WhoAmI { get; set; } = Mpu6050.WhoAmIValue;

    /// <summary>The fault the chip shows now; null when healthy.</summary>
    public SensorFault? Fault { get { lock (_gate) return _fault; } }

    /// <summary>Makes the chip show <paramref name="fault"/> from now on, replacing any other.</summary>
    public void InjectFault(SensorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault is SensorFault.BusErrors { Fraction: not (> 0 and <= 1) } bad)
            throw new ArgumentOutOfRangeException(nameof(fault), bad.Fraction, "the fraction of failing transfers must be in (0, 1]");
        lock (_gate) SetFault(fault, _clock.GetUtcNow());
    }

    /// <summary>Ends the fault; after <see cref="SensorFault.Unplugged"/> the chip comes back power-cycled.</summary>
    public void ClearFault()
    {
        lock (_gate) SetFault(null, _clock.GetUtcNow());
    }

    public IWearerModel Wearer { get; }
    public SensorCharacteristics Sensor => _physics.Sensor;
    /// <summary>Clock time of the wearer's time zero.</summary>
    public DateTimeOffset Origin { get; }

    public bool IsAsleep { get { lock (_gate) return Asleep; } }

    /// <summary>The current sample rate in Hz, from CONFIG and SMPLRT_DIV.</summary>
    public double SampleRateHz { get { lock (_gate) return Rate; } }

    public override I2cConnectionSettings ConnectionSettings => _settings;

    bool Asleep => (_registers[(int)Mpu6050Register.PowerManagement1] & Mpu6050.PowerSleepBit) != 0;
    double Rate => Mpu6050Ranges.SampleRateHz(_registers[(int)Mpu6050Register.Config], _registers[(int)Mpu6050Register.SampleRateDivider]);
    AccelRange AccelRange => Mpu6050Ranges.AccelRangeFromConfig(_registers[(int)Mpu6050Register.AccelConfig]);
    GyroRange GyroRange => Mpu6050Ranges.GyroRangeFromConfig(_registers[(int)Mpu6050Register.GyroConfig]);
    Mpu6050FifoEnable FifoContent => (Mpu6050FifoEnable)_registers[(int)Mpu6050Register.FifoEnable];
    bool FifoFilling => !Asleep
        && (_registers[(int)Mpu6050Register.UserControl] & Mpu6050.UserFifoEnableBit) != 0
        && SampleBytes(FifoContent) > 0;

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        lock (_gate)
        {
            BeginTransfer();
            WriteCore(writeBuffer);
            ReadCore(readBuffer);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            BeginTransfer();
            WriteCore(buffer);
        }
    }

    public override void Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            BeginTransfer();
            ReadCore(buffer);
        }
    }

    void WriteCore(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty) return;
        var now = _clock.GetUtcNow();
        _pointer = (byte)(buffer[0] % RegisterCount);
        foreach (var value in buffer[1..])
        {
            WriteRegister(_pointer, value, now);
            _pointer = (byte)((_pointer + 1) % RegisterCount);
        }
    }

    void ReadCore(Span<byte> buffer)
    {
        var now = _clock.GetUtcNow();
        byte[]? data = null; // one snapshot per transaction, so a burst read is one coherent sample
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = ReadRegister(_pointer, now, ref data);
            if (_pointer != (byte)Mpu6050Register.FifoReadWrite)
                _pointer = (byte)((_pointer + 1) % RegisterCount);
        }
    }

    /// <summary>Fails the whole transfer, before it touches the chip, when the bus is faulty.</summary>
    void BeginTransfer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fails = _fault switch
        {
            SensorFault.Unplugged => true,
            SensorFault.BusErrors e => e.Fraction >= 1 || _busErrors!.NextDouble() < e.Fraction,
            _ => false,
        };
        if (fails)
            throw new IOException($"I2C transfer to 0x{_settings.DeviceAddress:X2} on bus {_settings.BusId} was not acknowledged");
    }

    void SetFault(SensorFault? fault, DateTimeOffset now)
    {
        // Samples due before this instant were taken under the old fault.
        CatchUp(now);
        if (_fault is SensorFault.Unplugged && fault is not SensorFault.Unplugged) PowerOnReset(now);
        _fault = fault;
        _busErrors = fault is SensorFault.BusErrors e ? new Random(e.Seed) : null;
        _frozen = fault is SensorFault.Stuck ? RawSample(SampleTime(LatestSample(now))) : null;
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate) _disposed = true;
        base.Dispose(disposing);
    }

    byte ReadRegister(byte register, DateTimeOffset now, ref byte[]? data)
    {
        var latched = _latchedCount;
        _latchedCount = null;
        switch (register)
        {
            case >= DataFirst and <= DataLast:
                data ??= DataRegisters(now);
                return data[register - DataFirst];
            case (byte)Mpu6050Register.IntStatus:
                return ReadIntStatus(now);
            case (byte)Mpu6050Register.FifoCountH:
                CatchUp(now);
                // Latched so that reading H then L in two transactions gives one consistent count.
                _latchedCount = (ushort)_fifo.Count;
                return (byte)(_fifo.Count >> 8);
            case (byte)Mpu6050Register.FifoCountL:
                if (latched is { } count) return (byte)count;
                CatchUp(now);
                return (byte)_fifo.Count;
            case (byte)Mpu6050Register.FifoReadWrite:
                CatchUp(now);
                return _fifo.TryPop(out var value) ? value : (byte)0;
            case (byte)Mpu6050Register.WhoAmI:
                return _fault is SensorFault.WrongChip wrong ? wrong.WhoAmI : WhoAmI;
            default:
                return _registers[register];
        }
    }

    void WriteRegister(byte register, byte value, DateTimeOffset now)
    {
        switch (register)
        {
            case (byte)Mpu6050Register.PowerManagement1:
                CatchUp(now);
                if ((value & Mpu6050.PowerResetBit) != 0) PowerOnReset(now);
                else _registers[register] = value;
                break;
            case (byte)Mpu6050Register.UserControl:
                CatchUp(now);
                if ((value & Mpu6050.UserFifoResetBit) != 0)
                {
                    _fifo.Clear();
                    RestartSampleClock(now);
                }
                // FIFO_RESET, I2C_MST_RESET and SIG_COND_RESET clear themselves.
                _registers[register] = (byte)(value & ~0x07);
                break;
            case (byte)Mpu6050Register.SampleRateDivider or (byte)Mpu6050Register.Config:
                CatchUp(now);
                var oldRate = Rate;
                var lastSample = SampleTime(_samplesDone);
                _registers[register] = value;
                // The new rate counts from the last sample taken at the old one.
                if (Rate != oldRate) RestartSampleClock(lastSample);
                break;
            case (byte)Mpu6050Register.FifoEnable or (byte)Mpu6050Register.AccelConfig or (byte)Mpu6050Register.GyroConfig:
                CatchUp(now); // samples already due keep the old content and scale
                _registers[register] = value;
                break;
            case (byte)Mpu6050Register.IntStatus or (>= DataFirst and <= DataLast)
                or (byte)Mpu6050Register.FifoCountH or (byte)Mpu6050Register.FifoCountL
                or (byte)Mpu6050Register.FifoReadWrite or (byte)Mpu6050Register.WhoAmI:
                break; // read-only
            default:
                _registers[register] = value;
                break;
        }
    }

    void PowerOnReset(DateTimeOffset now)
    {
        Array.Clear(_registers);
        _registers[(int)Mpu6050Register.PowerManagement1] = Mpu6050.PowerSleepBit;
        _fifo.Clear();
        _overflow = false;
        _latchedCount = null;
        RestartSampleClock(now);
        _dataReadyAcknowledged = now;
    }

    void RestartSampleClock(DateTimeOffset at)
    {
        _sampleOrigin = at;
        _samplesDone = 0;
    }

    DateTimeOffset SampleTime(long k) => _sampleOrigin + TimeSpan.FromTicks((long)Math.Round(k * TimeSpan.TicksPerSecond / Rate));

    /// <summary>Index of the newest sample tick at or before <paramref name="now"/> (0: none since the clock restarted).</summary>
    long LatestSample(DateTimeOffset now)
    {
        var elapsed = now - _sampleOrigin;
        if (elapsed <= TimeSpan.Zero) return 0;
        var k = (long)Math.Floor(elapsed.Ticks * Rate / TimeSpan.TicksPerSecond);
        while (SampleTime(k + 1) <= now) k++;
        while (k > 0 && SampleTime(k) > now) k--;
        return k;
    }

    /// <summary>Takes every sample due since the last one, into the FIFO when it is filling.</summary>
    void CatchUp(DateTimeOffset now)
    {
        var latest = LatestSample(now);
        if (latest <= _samplesDone) return;
        var content = FifoContent;
        var sampleBytes = SampleBytes(content);
        if (!FifoFilling)
        {
            _samplesDone = latest;
            return;
        }
        // After a long jump of the clock only the newest samples can still be in the FIFO.
        var fit = _fifo.Capacity / sampleBytes;
        if (latest - _samplesDone > fit)
        {
            _fifo.Clear();
            _overflow = true;
            _samplesDone = latest - fit;
        }
        Span<byte> sample = stackalloc byte[Mpu6050.DataBytes];
        for (var k = _samplesDone + 1; k <= latest; k++)
        {
            var raw = _frozen ?? RawSample(SampleTime(k));
            var n = FifoSample(raw, content, sample);
            if (_fifo.Push(sample[..n])) _overflow = true;
        }
        _samplesDone = latest;
    }

    byte ReadIntStatus(DateTimeOffset now)
    {
        CatchUp(now);
        byte status = 0;
        if (_overflow) status |= Mpu6050.IntFifoOverflowBit;
        var newest = SampleTime(LatestSample(now));
        if (!Asleep && newest > _dataReadyAcknowledged) status |= Mpu6050.IntDataReadyBit;
        _dataReadyAcknowledged = newest > _dataReadyAcknowledged ? newest : _dataReadyAcknowledged;
        _overflow = false;
        return status;
    }

    /// <summary>ACCEL_XOUT_H..GYRO_ZOUT_L at the newest sample tick; zeros while asleep.</summary>
    byte[] DataRegisters(DateTimeOffset now)
    {
        var bytes = new byte[Mpu6050.DataBytes];
        if (!Asleep) (_frozen ?? RawSample(SampleTime(LatestSample(now)))).CopyTo(bytes);
        return bytes;
    }

    /// <summary>The 14 data-register bytes of the sample taken at <paramref name="at"/>.</summary>
    byte[] RawSample(DateTimeOffset at)
    {
        var sinceStart = at - Origin;
        if (sinceStart < TimeSpan.Zero) sinceStart = TimeSpan.Zero;
        var period = TimeSpan.FromTicks((long)Math.Round(TimeSpan.TicksPerSecond / Rate));
        var s = _physics.At(sinceStart, period);
        double g = AccelRange.LsbPerG(), dps = GyroRange.LsbPerDps();
        var bytes = new byte[Mpu6050.DataBytes];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span[0..], Saturate(s.Ax * g));
        BinaryPrimitives.WriteInt16BigEndian(span[2..], Saturate(s.Ay * g));
        BinaryPrimitives.WriteInt16BigEndian(span[4..], Saturate(s.Az * g));
        BinaryPrimitives.WriteInt16BigEndian(span[6..], Mpu6050.TemperatureRaw(s.TemperatureC));
        BinaryPrimitives.WriteInt16BigEndian(span[8..], Saturate(s.Gx * dps));
        BinaryPrimitives.WriteInt16BigEndian(span[10..], Saturate(s.Gy * dps));
        BinaryPrimitives.WriteInt16BigEndian(span[12..], Saturate(s.Gz * dps));
        return bytes;
    }

    static short Saturate(double value) => (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);

    /// <summary>Bytes per FIFO sample for a FIFO_EN value (slave sensors are not simulated).</summary>
    public static int SampleBytes(Mpu6050FifoEnable content)
    {
        var n = 0;
        if (content.HasFlag(Mpu6050FifoEnable.Accel)) n += 6;
        if (content.HasFlag(Mpu6050FifoEnable.Temperature)) n += 2;
        if (content.HasFlag(Mpu6050FifoEnable.GyroX)) n += 2;
        if (content.HasFlag(Mpu6050FifoEnable.GyroY)) n += 2;
        if (content.HasFlag(Mpu6050FifoEnable.GyroZ)) n += 2;
        return n;
    }

    /// <summary>The enabled parts of a sample, in data-register order.</summary>
    static int FifoSample(byte[] raw, Mpu6050FifoEnable content, Span<byte> into)
    {
        var n = 0;
        if (content.HasFlag(Mpu6050FifoEnable.Accel)) n = Take(raw, 0, 6, into, n);
        if (content.HasFlag(Mpu6050FifoEnable.Temperature)) n = Take(raw, 6, 2, into, n);
        if (content.HasFlag(Mpu6050FifoEnable.GyroX)) n = Take(raw, 8, 2, into, n);
        if (content.HasFlag(Mpu6050FifoEnable.GyroY)) n = Take(raw, 10, 2, into, n);
        if (content.HasFlag(Mpu6050FifoEnable.GyroZ)) n = Take(raw, 12, 2, into, n);
        return n;
    }

    static int Take(byte[] raw, int offset, int count, Span<byte> into, int at)
    {
        raw.AsSpan(offset, count).CopyTo(into[at..]);
        return at + count;
    }
}
