using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.FleetBench;

/// <summary>A fleet at the live rate through one or more server nodes. Exit 2 on bad options, 1 on a failed run.</summary>
static class FleetBench
{
    static async Task<int> Main(string[] args)
    {
        if (FleetBenchOptions.WantsHelp(args))
        {
            Console.WriteLine(FleetBenchOptions.Usage);
            return 0;
        }
        FleetBenchOptions options;
        try
        {
            options = FleetBenchOptions.Parse(args);
        }
        catch (OptionsException ex)
        {
            return ProgramCommandLine.Refuse("fleet-bench", ex);
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        try
        {
            var report = await LiveRun.RunAsync(options, stop.Token);
            Console.WriteLine();
            Console.WriteLine(report.Table());
            Directory.CreateDirectory(Path.GetDirectoryName(options.OutPath)!);
            await File.WriteAllTextAsync(options.OutPath, report.Json(), stop.Token);
            Console.WriteLine($"results: {options.OutPath}");
            return report.Lost == 0 && report.Missing == 0 && report.Duplicates == 0 && report.FalsePrompts == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("fleet-bench: interrupted");
            return 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException
                                       or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The inner reasons too: "Error while copying content to a stream" alone does not say whose end broke.
            for (Exception? e = ex; e is not null; e = e.InnerException)
                Console.Error.WriteLine(e == ex ? $"fleet-bench: {e.Message}" : $"  because: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }
}
