using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using PostureSense.Core.Configuration;
using PostureSense.Demo;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.Hosting.Options;

// The whole system on its embedded defaults: broker, server, SQLite and one simulated wearer
// going through a workday on an accelerated clock, printing what happens as it happens.
if (DemoOptions.WantsHelp(args))
{
    Console.WriteLine(DemoOptions.Usage);
    return 0;
}

DemoOptions options;
try
{
    options = DemoOptions.Parse(args);
}
catch (OptionsException ex)
{
    return ProgramCommandLine.Refuse("posturesense-demo", ex);
}

// The parts log only what goes wrong; the demo's own lines tell the story.
using var loggers = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Warning)
    // A late FIFO drain on a busy machine loses a second of samples; the summary counts them.
    .AddFilter("PostureSense.Agent.Sensors.ImuSampler", LogLevel.Error)
    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; }));

using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

var storeDirectory = Directory.CreateTempSubdirectory("posturesense-demo-");
var output = new DemoConsole(Console.Out);
try
{
    DemoSession session;
    try
    {
        session = await DemoSession.StartAsync(options, Path.Combine(storeDirectory.FullName, "demo.db"), loggers, stop.Token);
    }
    catch (Exception ex) when (ex is ScenarioException or OptionsException or IOException or System.Net.Sockets.SocketException)
    {
        Console.Error.WriteLine($"posturesense-demo: cannot start: {ex.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        return 0;
    }

    await using (session)
    {
        output.Started(session);
        session.Happened += output.Print;
        try
        {
            await session.WaitForEndOfDayAsync(stop.Token);
            await session.StopWearerAsync();
            output.DayOver(session, options.ExitWhenDone);
            if (!options.ExitWhenDone) await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) { }
        output.Summary(session);
    }
    return 0;
}
finally
{
    try { storeDirectory.Delete(recursive: true); }
    catch (IOException) { }
}
