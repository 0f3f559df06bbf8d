using BenchmarkDotNet.Attributes;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Benchmarks;

/// <summary>The server's first step for every telemetry message: parse and validate the JSON.</summary>
[MemoryDiagnoser]
public class WireFormatBenchmarks
{
    static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    byte[] _fiveFrames = [];
    byte[] _sixtyFrames = [];

    [GlobalSetup]
    public void Setup()
    {
        _fiveFrames = WireFormat.Serialize(Frames.Batch(5, Now));
        _sixtyFrames = WireFormat.Serialize(Frames.Batch(60, Now));
    }

    /// <summary>What a device sends every 5 s.</summary>
    [Benchmark(Baseline = true)]
    public int ParseTelemetry_5Frames() => Count(WireFormat.ParseTelemetry(_fiveFrames, Now));

    /// <summary>The largest batch the contract allows, e.g. an outbox replay.</summary>
    [Benchmark]
    public int ParseTelemetry_60Frames() => Count(WireFormat.ParseTelemetry(_sixtyFrames, Now));

    static int Count(ParseResult<ValidatedTelemetry> result) =>
        result.Value?.Batch.Frames.Count ?? throw new InvalidOperationException("the benchmark payload was rejected");
}

/// <summary>Frames shaped like the load fleet's: a slow rocking, one second apart, ending a minute before now.</summary>
static class Frames
{
    public static PostureFrame[] Make(int count, DateTimeOffset now)
    {
        var first = now.AddSeconds(-count - 60).ToUnixTimeMilliseconds();
        return [.. Enumerable.Range(0, count).Select(n => new PostureFrame(first + n * 1000L, 12 + 10 * Math.Sin(n / 60.0), -2, 0.01, 0))];
    }

    public static TelemetryBatch Batch(int count, DateTimeOffset now) => new(ContractLimits.Version, 1, Make(count, now));
}
