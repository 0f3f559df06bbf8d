using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PostureSense.Core.Exercises;

namespace PostureSense.FleetBench;

/// <param name="Lost">Acknowledged frames the store does not hold 3 min after the run (lost, or still queued behind the nodes).</param>
/// <param name="Episodes">Devices that published the batch completing their episode.</param>
/// <param name="Missing">Of those, devices that got no prompt for it.</param>
/// <param name="Duplicates">Prompts (distinct commands) beyond the first for the same episode.</param>
/// <param name="Redelivered">The same command delivered again by the broker (QoS 1), which the agent ignores.</param>
/// <param name="FalsePrompts">Prompts for the other reason, which no device's frames called for.</param>
/// <param name="LatencyMs">From the publish of the completing batch to the prompt at the device: p50, p99, max.</param>
/// <param name="ByMinute">The same latency by the live minute in which the completing batch was published: a slow start shows apart from a steady state.</param>
/// <param name="LateTicks">100 ms ticks the fleet could not publish on time (the harness fell behind).</param>
sealed record FleetReport(
    DateTimeOffset At, int Cores, int Nodes, int Devices, double Minutes, double LiveSeconds,
    long Acknowledged, long Stored, long Lost, int Episodes, int Missing, int Duplicates, int Redelivered, int FalsePrompts,
    double[] LatencyMs, IReadOnlyList<MinuteLatency> ByMinute, int LateTicks, int DueBeforeStart, IReadOnlyList<NodeResult> NodeResults)
{
    public static FleetReport From(FleetBenchOptions options, IReadOnlyList<LiveDevice> devices, long liveStart, long acknowledged, long stored,
        double liveSeconds, int lateTicks, int dueBeforeStart, IReadOnlyList<NodeResult> nodes)
    {
        int episodes = 0, missing = 0, duplicates = 0, falsePrompts = 0;
        var latencies = new List<double>();
        var byMinute = new SortedDictionary<int, List<double>>();
        foreach (var device in devices)
        {
            var prompts = device.Prompts;
            var own = prompts.Where(p => p.Reason == device.Plan.Kind.ToWire()).ToList();
            falsePrompts += prompts.Count - own.Count;
            duplicates += Math.Max(0, own.Count - 1);
            if (device.DuePublishedAt is not { } dueAt) continue;
            episodes++;
            if (own.Count == 0) { missing++; continue; }
            var latency = Stopwatch.GetElapsedTime(dueAt, own[0].At).TotalMilliseconds;
            latencies.Add(latency);
            var minute = (int)Stopwatch.GetElapsedTime(liveStart, dueAt).TotalMinutes;
            if (!byMinute.TryGetValue(minute, out var list)) byMinute[minute] = list = [];
            list.Add(latency);
        }
        latencies.Sort();
        double Pct(double p) => Percentile(latencies, p);
        var minutes = byMinute.Select(m =>
        {
            m.Value.Sort();
            return new MinuteLatency(m.Key, m.Value.Count, Percentile(m.Value, 0.50), Percentile(m.Value, 0.99), m.Value[^1]);
        }).ToList();
        return new FleetReport(DateTimeOffset.UtcNow, Environment.ProcessorCount, options.Nodes, options.Devices, options.Duration.TotalMinutes,
            liveSeconds, acknowledged, stored, acknowledged - stored, episodes, missing, duplicates, devices.Sum(d => d.Redelivered), falsePrompts,
            [Pct(0.50), Pct(0.99), latencies.Count == 0 ? double.NaN : latencies[^1]], minutes, lateTicks, dueBeforeStart, nodes);
    }

    /// <summary>The nearest-rank percentile of sorted values; NaN for none.</summary>
    static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public string Table()
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(c, $"{Devices:N0} devices, {Nodes} node(s), {LiveSeconds:0} s live on {Cores} cores");
        b.AppendLine(c, $"frames:   {Acknowledged:N0} acknowledged (backfill included), {Stored:N0} stored, {Lost:N0} not stored 3 min after the run");
        b.AppendLine(c, $"episodes: {Episodes:N0} came due; {Missing:N0} missing, {Duplicates:N0} duplicate and {FalsePrompts:N0} false prompts ({Redelivered:N0} commands delivered twice by the broker)");
        b.AppendLine(c, $"latency:  p50 {LatencyMs[0]:0} ms, p99 {LatencyMs[1]:0} ms, max {LatencyMs[2]:0} ms (completing batch published -> prompt at the device)");
        foreach (var m in ByMinute)
            b.AppendLine(c, $"  minute {m.Minute,2}: {m.Episodes,5:N0} prompted, p50 {m.P50Ms:0} ms, p99 {m.P99Ms:0} ms, max {m.MaxMs:0} ms");
        foreach (var n in NodeResults) b.AppendLine(c, $"node {n.Node}:   {n.AverageCores:0.00} cores on average, peak RSS {n.PeakRssMb:0} MB");
        if (LateTicks > 0) b.AppendLine(c, $"the fleet fell behind its schedule on {LateTicks} of its 100 ms ticks");
        if (DueBeforeStart > 0) b.AppendLine(c, $"{DueBeforeStart} episodes came due before the live run began (slow set-up)");
        return b.ToString();
    }

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // A run with no prompt at all has no latency: NaN, which plain JSON cannot hold.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Json() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <param name="Minute">Whole minutes from the start of the live run to the publish of the completing batch.</param>
sealed record MinuteLatency(int Minute, int Episodes, double P50Ms, double P99Ms, double MaxMs);
