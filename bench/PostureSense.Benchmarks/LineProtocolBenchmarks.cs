using BenchmarkDotNet.Attributes;
using PostureSense.Core.Posture;
using PostureSense.Storage.Influx;

namespace PostureSense.Benchmarks;

/// <summary>
/// Turning one 60-frame batch into line protocol, as the InfluxDB store does for every batch:
/// one point per frame (measurement posture, tag device, four fields, ms time), then the request text.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolBenchmarks
{
    PostureFrame[] _frames = [];

    [GlobalSetup]
    public void Setup() => _frames = Frames.Make(60, new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    [Benchmark]
    public int LineProtocol_60Frames()
    {
        var points = new InfluxPoints();
        foreach (var f in _frames)
        {
            // The same calls, in the same order, as the store's schema for posture frames.
            points.Point("posture").Tag("device", "load-0001")
                .Field("pitch", f.Pitch).Field("roll", f.Roll).Field("motion", f.Motion).Field("steps", (long)f.Steps);
            points.End(f.Ts);
        }
        return points.Text(0, points.Count).Length;
    }
}
