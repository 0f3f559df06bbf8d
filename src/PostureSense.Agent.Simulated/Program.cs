using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Clock;
using PostureSense.Agent.Hosting;
using PostureSense.Agent.Simulated;
using PostureSense.Core.Device;
using PostureSense.Core.Time;
using PostureSense.FirmwareSim.Clock;
using PostureSense.FirmwareSim.Gpio;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

// The agent on a simulated wearable: the register-level MPU-6050 follows a scenario's wearer, the
// motor is a sink that logs what it plays, and Enter holds the simulated button. The agent itself
// is the one that runs on the Pi, put together the same way.
const string Name = "PostureSense.Agent.Simulated";

if (AgentProgram.ReadSettings(Name, args, simulated: true, out var exitCode) is not { } setup) return exitCode;
var settings = setup.Settings;
if (settings.CalibrateAccel)
{
    // The scenario's board (or a typical one) off the back: each Enter puts it on the face asked for.
    var board = new RestingBoard();
    SensorCharacteristics sensor;
    try { sensor = settings.Sim is { } name ? Scenario.Load(name).Sensor : new SensorCharacteristics().WithSeededAccelErrors(); }
    catch (ScenarioException ex)
    {
        Console.Error.WriteLine($"{Name}: {ex.Message}");
        return AgentProgram.BadSettings;
    }
    sensor = sensor with { MountingPitchDeg = 0, MountingRollDeg = 0, MountingYawDeg = 0 };
    return PostureSense.Agent.AccelCalibration.AccelCalibrationCommand.Run(settings, new SimulatedMpu6050(board, TimeProvider.System, sensor),
        Console.In, Console.Out, Thread.Sleep, TimeProvider.System, face => board.Face = face);
}
Scenario scenario;
try
{
    scenario = Scenario.Load(settings.Sim ?? throw new ScenarioException("--sim is required: a scenario name or a scenario file; see --help"));
}
catch (ScenarioException ex)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return AgentProgram.BadSettings;
}

TimeProvider clock = settings.Speed > 1 || settings.SimStart is not null
    ? new AcceleratedTimeProvider(settings.SimStart ?? DateTimeOffset.UtcNow, settings.Speed)
    : TimeProvider.System;
var gpio = new SimulatedGpio();
// The wearer, the motor and the scenario live on true time; the agent reads the device's system
// clock, which may be wrong until network time sets it (a Pi without a real-time clock).
var deviceClock = settings.SimClockOffset is { } offset ? new WrongClock(clock, offset, settings.SimClockSyncAfter) : null;

var builder = AgentProgram.CreateBuilder();
builder.Services.AddPostureAgent(setup.Options, settings.ButtonPin, (TimeProvider?)deviceClock ?? clock,
    sensor: _ => SimulatedMpu6050.ForScenario(scenario, clock),
    motor: services =>
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(Name);
        var motor = new RecordingMotor(clock);
        motor.Vibrated += v => log.LogInformation("Motor plays '{Pattern}' at {Strength}% at {At:HH:mm:ss} (clock time)",
            v.Pattern.ToWire(), v.StrengthPercent, v.At);
        log.LogInformation("Simulating scenario {Scenario} ({Duration}) at {Speed}x", scenario.Name, scenario.Duration, settings.Speed);
        return motor;
    },
    buttonGpio: _ => new System.Device.Gpio.GpioController(gpio),
    clockSync: deviceClock is null ? null : new ClockSyncFrom(() => deviceClock.IsSynchronized));
// A simulated wearer's day ends with its scenario.
builder.Services.AddHostedService(services => new ScenarioEnd(scenario.Duration, clock, services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()));
if (settings.ButtonPin is { } pin && !Console.IsInputRedirected)
    builder.Services.AddHostedService(services => new EnterHoldsButton(gpio, pin, clock, services.GetRequiredService<ILogger<EnterHoldsButton>>()));
using var host = builder.Build();
return await AgentProgram.RunAsync(Name, setup, host);
