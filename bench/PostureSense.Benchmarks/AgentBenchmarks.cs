using System.Buffers.Binary;
using System.Device.I2c;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Imu;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Benchmarks;

/// <summary>
/// The agent's 50 Hz path on the Pi: decode the MPU-6050 FIFO, then fuse each sample into
/// posture. Results are per sample (OperationsPerInvoke); at 50 Hz a sample has 20 ms.
/// </summary>
[MemoryDiagnoser]
public class AgentBenchmarks
{
    const int SamplesPerSecond = 50;
    const int FifoSamplesPerRead = 10; // the sampler's 200 ms poll

    readonly ImuSample[] _fifoBuffer = new ImuSample[64];
    PostureProcessor _processor = null!;
    ImuSample[] _samples = [];
    DateTimeOffset _at;
    FakeTimeProvider _clock = null!;
    Mpu6050Driver _simulated = null!;
    Mpu6050Driver _canned = null!;

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        _processor = new PostureProcessor(SamplesPerSecond);
        // Subscribed as the agent is, so completing a frame costs what it costs there.
        _processor.FrameReady += _ => { };
        // A wearer swaying around 20° with a little motion, so fusion and step detection do real work.
        _samples = [.. Enumerable.Range(0, SamplesPerSecond).Select(i => new ImuSample(
            TrunkTilt.UpInSensor(20 + 2 * Math.Sin(i * 2 * Math.PI / SamplesPerSecond), 1),
            new Vector3(0.5f * MathF.Sin(i / 8f), 0.2f, 0), double.NaN))];
        _at = start;
        for (var i = 0; i < 10 * SamplesPerSecond; i++) ProcessOneSecond(); // the filter settled, frames flowing

        _clock = new FakeTimeProvider(start);
        _simulated = new Mpu6050Driver(new SimulatedMpu6050(new ConstantWearer(20), _clock));
        _simulated.Initialize(sampleRateHz: SamplesPerSecond);
        _canned = new Mpu6050Driver(new CannedFifo(FifoSamplesPerRead));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _simulated.Dispose();
        _canned.Dispose();
    }

    /// <summary>Fusion, framing, step detection and the nudge rule for one sample.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerSecond)]
    public void PostureProcessor_Process() => ProcessOneSecond();

    /// <summary>
    /// ReadFifo against the register-level simulator: includes the simulator computing each sample
    /// (and its allocations), so it is an upper bound for the driver, not the driver alone.
    /// </summary>
    [Benchmark(OperationsPerInvoke = FifoSamplesPerRead)]
    public int ReadFifo_SimulatedMpu6050()
    {
        _clock.Advance(TimeSpan.FromMilliseconds(1000 / SamplesPerSecond * FifoSamplesPerRead));
        var n = _simulated.ReadFifo(_fifoBuffer, out var overflowed);
        return overflowed ? throw new InvalidOperationException("the FIFO overflowed") : n;
    }

    /// <summary>ReadFifo against a bus that answers instantly with fixed bytes: the driver's decode alone.</summary>
    [Benchmark(OperationsPerInvoke = FifoSamplesPerRead)]
    public int ReadFifo_DecodeOnly() => _canned.ReadFifo(_fifoBuffer, out _);

    void ProcessOneSecond()
    {
        foreach (var sample in _samples)
        {
            _processor.Process(sample, _at);
            _at = _at.AddMilliseconds(1000 / SamplesPerSecond);
        }
    }

    /// <summary>An I2C device whose FIFO always holds the same samples: no physics, no clock.</summary>
    sealed class CannedFifo(int samples) : I2cDevice
    {
        byte _register;

        public override I2cConnectionSettings ConnectionSettings { get; } = new(1, Mpu6050.DefaultAddress);
        public override byte ReadByte() => 0;
        public override void WriteByte(byte value) => _register = value;
        public override void Write(ReadOnlySpan<byte> buffer) => _register = buffer.IsEmpty ? _register : buffer[0];

        public override void Read(Span<byte> buffer)
        {
            switch ((Mpu6050Register)_register)
            {
                case Mpu6050Register.FifoCountH:
                    BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)(samples * Mpu6050.FifoSampleBytes));
                    break;
                case Mpu6050Register.FifoReadWrite:
                    for (var i = 0; i + 1 < buffer.Length; i += 2) BinaryPrimitives.WriteInt16BigEndian(buffer[i..], (short)(1000 + i));
                    break;
                default:
                    buffer.Clear(); // INT_STATUS: no overflow
                    break;
            }
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            Write(writeBuffer);
            Read(readBuffer);
        }
    }
}
