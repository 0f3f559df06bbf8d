using System.Globalization;
using System.Text.Json;

namespace PostureSense.LoadHarness;

/// <summary>One run's numbers, as a table for the terminal and JSON for the record.</summary>
sealed record IngestReport(
    DateTimeOffset At, string Store, int Cores, int Devices, int Batches, int FramesPerBatch,
    IReadOnlyList<CeilingResult> Ceiling, ServerResult Server)
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Server throughput over the best ceiling: 1.0 means the server adds nothing.</summary>
    public double Ratio => Ceiling.Count > 0 && Ceiling.Max(c => c.FramesPerSecond) is > 0 and var best ? Server.FramesPerSecond / best : 0;

    public string Table()
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<(string, string)>
        {
            ("store", Store),
            ("devices x batches x frames", $"{Devices} x {Batches} x {FramesPerBatch}"),
            ("frames", Server.Frames.ToString("N0", inv)),
        };
        rows.AddRange(Ceiling.Select(c => ($"ceiling frames/s ({c.Method})", $"{c.FramesPerSecond.ToString("N0", inv)}  ({c.Frames:N0} in {c.Seconds:F2} s)")));
        rows.AddRange([
            ("server frames/s", $"{Server.FramesPerSecond.ToString("N0", inv)}  (publish {Server.PublishSeconds:F2} s, stored {Server.Seconds:F2} s)"),
            ("ratio server / best ceiling", Ratio.ToString("F2", inv)),
            ("lag after last publish ack", $"{Server.LagSeconds:F2} s"),
            ("server CPU", $"{Server.CpuSeconds:F2} s = {Server.AverageCores:F2} cores of {Cores}"),
            ("server peak RSS", $"{Server.PeakRssMb:F0} MB"),
            ("rejected messages", Server.Rejected.ToString(inv)),
        ]);
        var width = rows.Max(r => r.Item1.Length);
        return string.Join(Environment.NewLine, rows.Select(r => $"{r.Item1.PadRight(width)}  {r.Item2}"));
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        at = At, store = Store, cores = Cores, devices = Devices, batches = Batches, framesPerBatch = FramesPerBatch,
        ceiling = Ceiling.Select(c => new { method = c.Method, frames = c.Frames, seconds = c.Seconds, framesPerSecond = c.FramesPerSecond }),
        server = new
        {
            frames = Server.Frames, publishSeconds = Server.PublishSeconds, seconds = Server.Seconds, framesPerSecond = Server.FramesPerSecond,
            lagSeconds = Server.LagSeconds, cpuSeconds = Server.CpuSeconds, averageCores = Server.AverageCores,
            peakRssMb = Server.PeakRssMb, rejected = Server.Rejected,
        },
        ratio = Ratio,
    }, Indented);
}
