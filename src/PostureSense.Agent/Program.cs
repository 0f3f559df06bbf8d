using System.Device.I2c;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using PostureSense.Agent;
using PostureSense.Agent.Motor;
using PostureSense.Core.Configuration;
using PostureSense.Core.Device;
using PostureSense.Core.Time;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;

const string Name = "PostureSense.Agent";

AgentCommandLine settings;
Scenario? scenario = null;
try
{
    var appSettings = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true).Build();
    settings = AgentCommandLine.Parse(args, Environment.GetEnvironmentVariable, appSettings);
    if (settings.Help)
    {
        Console.WriteLine(AgentCommandLine.Usage);
        return 0;
    }
    if (settings.Sim is { } sim) scenario = Scenario.Load(sim);
}
catch (Exception ex) when (ex is OptionsException or ScenarioException or InvalidDataException or FormatException)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return 2;
}

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
var log = loggers.CreateLogger(Name);

TimeProvider clock = scenario is not null && (settings.Speed > 1 || settings.SimStart is not null)
    ? new AcceleratedTimeProvider(settings.SimStart ?? DateTimeOffset.UtcNow, settings.Speed)
    : TimeProvider.System;

I2cDevice sensor;
IVibrationMotor motor;
IDisposable? motorToDispose = null;
try
{
    if (scenario is not null)
    {
        sensor = SimulatedMpu6050.ForScenario(scenario, clock);
        var recording = new RecordingMotor(clock);
        recording.Vibrated += v => log.LogInformation("Motor plays '{Pattern}' at {At:HH:mm:ss} (clock time)", v.Pattern.ToWire(), v.At);
        motor = recording;
        log.LogInformation("Simulating scenario {Scenario} ({Duration}) at {Speed}x", scenario.Name, scenario.Duration, settings.Speed);
    }
    else
    {
        sensor = I2cDevice.Create(new I2cConnectionSettings(settings.I2cBus, settings.I2cAddress));
        var gpio = new GpioVibrationMotor(settings.MotorPin, clock);
        (motor, motorToDispose) = (gpio, gpio);
    }
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"{Name}: cannot open the hardware: {ex.Message}");
    return 1;
}

var options = new AgentOptions
{
    DeviceId = settings.DeviceId,
    Broker = settings.Broker,
    DataDirectory = settings.DataDirectory,
    OutboxMaxFrames = settings.OutboxMaxFrames,
    ReplayBatchesPerSecond = settings.ReplayRate,
};
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

PostureAgent created;
try
{
    created = new PostureAgent(options, sensor, motor, clock, loggers);
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
{
    Console.Error.WriteLine($"{Name}: cannot open the outbox in {options.DataDirectory}: {ex.Message}");
    sensor.Dispose();
    motorToDispose?.Dispose();
    return 1;
}
await using var agent = created;
log.LogInformation("Outbox in {Directory}", options.DataDirectory);
try
{
    await agent.StartAsync(stop.Token);
}
catch (IOException ex)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    motorToDispose?.Dispose();
    return 1;
}
log.LogInformation("Agent {DeviceId} running; broker {Broker}", options.DeviceId, options.Broker);
// Under systemd (Type=notify) the unit counts as started only now, with the sensor answering;
// elsewhere there is no notify socket and this does nothing.
var systemd = new SystemdNotifier();
if (systemd.IsEnabled) systemd.Notify(ServiceState.Ready);

try
{
    // A simulated wearer's day ends with its scenario; a real one runs until stopped.
    var runFor = scenario?.Duration ?? Timeout.InfiniteTimeSpan;
    await Task.Delay(runFor, clock, stop.Token);
}
catch (OperationCanceledException) { }

if (systemd.IsEnabled) systemd.Notify(ServiceState.Stopping);
await agent.StopAsync();
motorToDispose?.Dispose();
return 0;
