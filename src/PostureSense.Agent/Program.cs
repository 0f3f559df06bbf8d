using System.Device.I2c;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using System.Device.Gpio;
using PostureSense.Agent;
using PostureSense.Agent.Button;
using PostureSense.Agent.Link;
using PostureSense.Agent.Motor;
using PostureSense.Core.Configuration;
using PostureSense.Core.Device;
using PostureSense.Core.Time;
using PostureSense.FirmwareSim.Gpio;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;

const string Name = "PostureSense.Agent";

AgentCommandLine settings;
Scenario? scenario = null;
System.Security.Cryptography.X509Certificates.X509Certificate2Collection? brokerCa = null;
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
    if (settings.MqttCa is { } caFile) brokerCa = BrokerTrust.LoadCa(caFile);
}
catch (Exception ex) when (ex is OptionsException or ScenarioException or InvalidDataException or FormatException)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return 2;
}

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
var log = loggers.CreateLogger(Name);
if (settings.PasswordOnCommandLine)
    log.LogWarning("The broker password is on the command line, where every user of this machine can read it; set POSTURESENSE_MQTT instead");

TimeProvider clock = scenario is not null && (settings.Speed > 1 || settings.SimStart is not null)
    ? new AcceleratedTimeProvider(settings.SimStart ?? DateTimeOffset.UtcNow, settings.Speed)
    : TimeProvider.System;

I2cDevice sensor;
IVibrationMotor motor;
// The hardware the agent does not own, released in reverse order on the way out.
var hardware = new Stack<IDisposable>();
void ReleaseHardware()
{
    while (hardware.TryPop(out var part)) part.Dispose();
}
LongPressDetector? presses = null;
SimulatedGpio? simulatedGpio = null;
try
{
    if (scenario is not null)
    {
        sensor = SimulatedMpu6050.ForScenario(scenario, clock);
        var recording = new RecordingMotor(clock);
        recording.Vibrated += v => log.LogInformation("Motor plays '{Pattern}' at {Strength}% at {At:HH:mm:ss} (clock time)",
            v.Pattern.ToWire(), v.StrengthPercent, v.At);
        motor = recording;
        log.LogInformation("Simulating scenario {Scenario} ({Duration}) at {Speed}x", scenario.Name, scenario.Duration, settings.Speed);
    }
    else
    {
        sensor = I2cDevice.Create(new I2cConnectionSettings(settings.I2cBus, settings.I2cAddress));
        PulsedMotor pulsed = settings.MotorPwm is { } pwm
            ? PwmVibrationMotor.Open(pwm.Chip, pwm.Channel, clock)
            : new GpioVibrationMotor(settings.MotorPin, clock);
        hardware.Push(pulsed);
        motor = pulsed;
        log.LogInformation("Vibration motor on {Output}", settings.MotorPwm is { } p
            ? $"PWM channel {p} (vibration strength applies)" : $"GPIO {settings.MotorPin} (full strength)");
    }
    if (settings.ButtonPin is { } buttonPin)
    {
        presses = new LongPressDetector(clock);
        hardware.Push(presses);
        // The simulator's button is a pin on a simulated chip that the console can press.
        if (scenario is not null) simulatedGpio = new SimulatedGpio();
        var button = new GpioButton(buttonPin, presses, clock, simulatedGpio is null ? null : new GpioController(simulatedGpio));
        hardware.Push(button);
        if (button.ReadsPressed)
            log.LogWarning("The button on GPIO {Pin} reads pressed at start; presses count only from its next release (check the wiring: a switch to ground)", buttonPin);
        else
            log.LogInformation("Button on GPIO {Pin}: hold it {Seconds:0} s, sitting upright, to calibrate", buttonPin, presses.LongPress.TotalSeconds);
    }
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"{Name}: cannot open the hardware: {ex.Message}");
    ReleaseHardware();
    return 1;
}

var options = new AgentOptions
{
    DeviceId = settings.DeviceId,
    Broker = settings.Broker,
    BrokerCa = brokerCa,
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
    created = new PostureAgent(options, sensor, motor, clock, loggers, presses);
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
{
    Console.Error.WriteLine($"{Name}: cannot open the outbox in {options.DataDirectory}: {ex.Message}");
    sensor.Dispose();
    ReleaseHardware();
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
    ReleaseHardware();
    return 1;
}
log.LogInformation("Agent {DeviceId} running; broker {Broker}", options.DeviceId, options.Broker);
// Under systemd (Type=notify) the unit counts as started only now, with the sensor answering;
// elsewhere there is no notify socket and this does nothing.
var systemd = new SystemdNotifier();
if (systemd.IsEnabled) systemd.Notify(ServiceState.Ready);
if (simulatedGpio is not null && settings.ButtonPin is { } simulatedPin && !Console.IsInputRedirected)
{
    log.LogInformation("Press Enter to hold the simulated button for 2.5 s");
    _ = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync(stop.Token) is not null)
        {
            simulatedGpio.Press(simulatedPin);
            await Task.Delay(TimeSpan.FromSeconds(2.5), clock, stop.Token);
            simulatedGpio.Release(simulatedPin);
        }
    }, stop.Token);
}

try
{
    // A simulated wearer's day ends with its scenario; a real one runs until stopped.
    var runFor = scenario?.Duration ?? Timeout.InfiniteTimeSpan;
    await Task.Delay(runFor, clock, stop.Token);
}
catch (OperationCanceledException) { }

if (systemd.IsEnabled) systemd.Notify(ServiceState.Stopping);
await agent.StopAsync();
ReleaseHardware();
return 0;
