using PostureSense.Bench;
using PostureSense.Core.Configuration;
using PostureSense.FirmwareSim.Load;
using PostureSense.Hosting.Options;

namespace PostureSense.LoadHarness;

/// <summary>
/// End-to-end ingest measurement: how fast the store takes the fleet's frames directly (the ceiling),
/// then how fast they get there through broker and server. Exit 2 on bad options, 1 on a failed run.
/// </summary>
static class LoadHarness
{
    static async Task<int> Main(string[] args)
    {
        if (HarnessOptions.WantsHelp(args))
        {
            Console.WriteLine(HarnessOptions.Usage);
            return 0;
        }
        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (OptionsException ex)
        {
            return ProgramCommandLine.Refuse("load-harness", ex);
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        try
        {
            var fleet = new FleetOptions
            {
                Host = options.Mqtt.Host, Port = options.Mqtt.Port, Devices = options.Devices,
                FramesPerBatch = options.Frames, BatchesPerDevice = options.Batches, Interval = TimeSpan.Zero,
                // Fixed, whole seconds, and the same for both runs; the last frame a minute in the past.
                FirstFrameAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - options.Batches * options.Frames - 60),
            };

            Console.WriteLine($"ceiling: {options.TotalFrames:N0} frames straight into the store...");
            IReadOnlyList<CeilingResult> ceiling;
            IFrameCounter store;
            using var influx = options.Influx is { } url ? new InfluxClient(url, options.Database!) : null;
            if (influx is not null)
            {
                ceiling = await CeilingRun.InfluxAsync(influx, fleet, stop.Token);
                store = influx;
            }
            else
            {
                ceiling = [await CeilingRun.SqliteAsync(options.SqlitePath!, fleet, stop.Token)];
                store = new SqliteCounter(options.SqlitePath!);
            }
            foreach (var c in ceiling.Where(c => c.Frames != options.TotalFrames))
                Console.Error.WriteLine($"warning: the ceiling run ({c.Method}) stored {c.Frames} of {options.TotalFrames} frames");

            Console.WriteLine($"server: {options.Devices} devices publishing through {options.Mqtt.Host}:{options.Mqtt.Port} into {options.Store}...");
            var server = await ServerRun.RunAsync(options, fleet, store, stop.Token);

            var report = new IngestReport(DateTimeOffset.UtcNow, options.Store, Environment.ProcessorCount,
                options.Devices, options.Batches, options.Frames, ceiling, server);
            Console.WriteLine();
            Console.WriteLine(report.Table());
            Directory.CreateDirectory(Path.GetDirectoryName(options.OutPath)!);
            await File.WriteAllTextAsync(options.OutPath, report.Json(), stop.Token);
            Console.WriteLine($"results: {options.OutPath}");
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("load-harness: interrupted");
            return 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException
                                       or Microsoft.Data.Sqlite.SqliteException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            Console.Error.WriteLine($"load-harness: {ex.Message}");
            return 1;
        }
    }
}
