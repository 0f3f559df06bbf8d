using System.Diagnostics;
using PostureSense.Bench;
using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;

namespace PostureSense.FleetBench;

/// <summary>
/// The run: plans, backfill, nodes, devices, then the live rate for the run's length, printing
/// progress every 10 s. Devices are spread over 50 slots of 100 ms, so each 5 s every device
/// publishes once and the load is even, as a real fleet's is.
/// </summary>
static class LiveRun
{
    const int Slots = 50;
    static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    /// <summary>No episode comes due in the run's first minute (the nodes' first batches) nor its last half minute.</summary>
    static readonly TimeSpan Lead = TimeSpan.FromMinutes(1), Tail = TimeSpan.FromSeconds(30);
    /// <summary>After the run, how long the bench waits for the store to hold every acknowledged frame.</summary>
    static readonly TimeSpan StoreCatchUp = TimeSpan.FromMinutes(3);

    public static async Task<FleetReport> RunAsync(FleetBenchOptions options, CancellationToken cancellationToken)
    {
        using var influx = new InfluxClient(options.Influx, options.Database);
        if (await influx.CountAsync(cancellationToken) is var before and > 0)
            throw new InvalidOperationException($"the database already holds {before} frames; start from an empty one");

        // When the live run is expected to begin: after the backfill, the nodes' start and the connects.
        var expectedStart = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(40 + options.Nodes * 10 + options.Devices * 0.01);
        var plans = Plan(options, expectedStart);
        var backfillUntil = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000;
        Console.WriteLine($"backfill: the minutes before the run of {plans.Count:N0} devices into InfluxDB...");
        var backfilled = await Backfill.WriteAsync(influx, plans, backfillUntil, cancellationToken);
        Console.WriteLine($"backfill: {backfilled:N0} frames");

        var nodes = new List<ServerProcess>();
        var devices = plans.Select(p => new LiveDevice(p, backfillUntil)).ToList();
        try
        {
            for (var k = 1; k <= options.Nodes; k++) nodes.Add(await StartNodeAsync(options, k, cancellationToken));
            Console.WriteLine($"nodes: {options.Nodes} up; connecting {devices.Count:N0} devices...");
            var connected = 0;
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
                async (device, ct) =>
                {
                    await device.ConnectAsync(options.Mqtt, ct);
                    if (Interlocked.Increment(ref connected) % 1000 == 0) Console.WriteLine($"  {connected:N0} connected");
                });

            var liveStart = DateTimeOffset.UtcNow;
            var liveStartTicks = Stopwatch.GetTimestamp();
            var dueBeforeStart = plans.Count(p => p.DueTs < liveStart.ToUnixTimeMilliseconds());
            if (dueBeforeStart > 0)
                Console.Error.WriteLine($"warning: setting up took longer than planned; {dueBeforeStart} episodes came due before the live run");
            var cpuAtStart = nodes.Select(n => n.CpuTime).ToList();
            // A set-up quicker than planned moves every due moment later into the run: run until the last has had its tail.
            var lastDue = DateTimeOffset.FromUnixTimeMilliseconds(plans.Max(p => p.DueTs));
            var length = TimeSpan.FromTicks(Math.Max(options.Duration.Ticks, (lastDue - liveStart).Ticks));
            var lateTicks = await PublishLiveAsync(devices, length, cancellationToken);
            var seconds = (DateTimeOffset.UtcNow - liveStart).TotalSeconds;
            var nodeResults = nodes.Select((n, i) => new NodeResult(i + 1, (n.CpuTime - cpuAtStart[i]).TotalSeconds / seconds,
                n.PeakRssBytes() / (1024.0 * 1024))).ToList();

            var acknowledged = backfilled + devices.Sum(d => d.FramesAcknowledged);
            var stored = await WaitForStoreAsync(influx, acknowledged, cancellationToken);
            var report = FleetReport.From(options, devices, liveStartTicks, acknowledged, stored, seconds, lateTicks, dueBeforeStart, nodeResults);
            if (report.Missing + report.Duplicates + report.FalsePrompts + report.Lost > 0)
                foreach (var (node, i) in nodes.Select((n, i) => (n, i + 1)))
                    Console.Error.WriteLine($"node {i}'s last lines:{Environment.NewLine}{node.Tail}");
            return report;
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.DisconnectAsync()));
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    static List<DevicePlan> Plan(FleetBenchOptions options, DateTimeOffset expectedStart)
    {
        var random = new Random(options.Seed);
        var span = options.Duration - Lead - Tail;
        var settings = CoachingSettings.Default;
        return [.. Enumerable.Range(0, options.Devices).Select(i =>
        {
            var due = expectedStart + Lead + span * random.NextDouble();
            return DevicePlan.Make($"fleet-{i:D4}", i % 2 == 0 ? PromptReason.Hunch : PromptReason.Sitting, due, settings);
        })];
    }

    static async Task<ServerProcess> StartNodeAsync(FleetBenchOptions options, int k, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(options.WorkDirectory, $"node-{k}")).FullName;
        // A stable, distinct client id per node: the broker keeps a node's share of the queue under it.
        string[] share = options.Nodes > 1 ? ["--mqtt-share", "fleet", "--mqtt-client-id", $"posturesense-server-{k}"] : [];
        if (options.Cluster is { } cluster) share = [.. share, "--cluster", cluster];
        var node = ServerProcess.StartIn(directory, options.ServerDll, $"mqtt://{options.Mqtt.Host}:{options.Mqtt.Port}",
            $"influxdb://{options.Influx.Host}:{options.Influx.Port}/{options.Database}", share);
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(120), cancellationToken);
        return node;
    }

    /// <returns>Ticks whose devices had not finished publishing when the next tick was due.</returns>
    static async Task<int> PublishLiveAsync(List<LiveDevice> devices, TimeSpan duration, CancellationToken cancellationToken)
    {
        var slots = Enumerable.Range(0, Slots).Select(s => devices.Where((_, i) => i % Slots == s).ToArray()).ToArray();
        var clock = Stopwatch.StartNew();
        var end = duration + Tail;
        var late = 0;
        var nextReport = TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(Tick);
        for (long tick = 0; clock.Elapsed < end; tick++)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var slot = slots[tick % Slots];
            await Task.WhenAll(slot.Select(d => d.PublishDueAsync(now, cancellationToken)));
            if (clock.Elapsed >= nextReport)
            {
                Progress(devices, clock.Elapsed);
                nextReport += TimeSpan.FromSeconds(10);
            }
            // A tick that overran its 100 ms: the next one starts at once and the slot after it is late.
            if (!await timer.WaitForNextTickAsync(cancellationToken)) break;
            if (clock.Elapsed.Ticks / Tick.Ticks > tick + 1) late++;
        }
        return late;
    }

    static void Progress(List<LiveDevice> devices, TimeSpan elapsed)
    {
        var nowTicks = Stopwatch.GetTimestamp();
        var due = devices.Count(d => d.DuePublishedAt is { } at && at <= nowTicks);
        var prompted = devices.Count(d => d.Prompts.Any(p => p.Reason == d.Plan.Kind.ToWire()));
        var frames = devices.Sum(d => d.FramesAcknowledged);
        Console.WriteLine($"  {elapsed.TotalSeconds,5:0} s: {frames,12:N0} live frames acknowledged; episodes due {due,6:N0}, prompted {prompted,6:N0}");
    }

    static async Task<long> WaitForStoreAsync(InfluxClient influx, long acknowledged, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        long stored;
        while ((stored = await influx.CountAsync(cancellationToken)) < acknowledged && deadline.Elapsed < StoreCatchUp)
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return stored;
    }
}

/// <param name="AverageCores">CPU over the live run divided by its length.</param>
sealed record NodeResult(int Node, double AverageCores, double PeakRssMb);
