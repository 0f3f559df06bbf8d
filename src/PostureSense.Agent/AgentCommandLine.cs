using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using PostureSense.Agent.Motor;
using PostureSense.Agent.Settings;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Hosting.Options;

namespace PostureSense.Agent;

/// <summary>
/// An agent program's settings, checked and resolved: command line first, then
/// <c>POSTURESENSE_*</c> environment variables, then the <c>PostureSense</c> section of the
/// appsettings.json beside the program, layered as every PostureSense program does (see
/// <see cref="LayeredConfiguration"/>).
/// </summary>
public sealed record AgentCommandLine
{
    /// <summary>The options of both agent programs; made afresh for each command, which describes them.</summary>
    static Option[] Common() =>
    [
        new Option<string>("--device-id") { HelpName = "ID", Description = "this device's id: lowercase letters, digits, '-' (required)" },
        new Option<string>("--mqtt")
        {
            HelpName = "URL",
            Description = "broker, mqtt://[user:pass@]host:port (default mqtt://127.0.0.1:1883), or over TLS mqtts://[user:pass@]host:port (port 8883 by default); " +
                          "give a password through the environment variable instead, where the process list does not show it",
        },
        new Option<string>("--mqtt-ca") { HelpName = "FILE", Description = "with mqtts://: a CA certificate (PEM) to trust, for a broker with a self-signed one" },
        new Option<string>("--data-dir")
        {
            HelpName = "PATH",
            Description = $"where the outbox of unsent telemetry, the calibration and the wearer's config are kept (default {HardwareDataDirectory}; " +
                          "simulated: a folder per device under the user's local app data)",
        },
        new Option<int>("--outbox-max-frames") { HelpName = "N", Description = "frames the outbox keeps while the broker is away; the oldest go first (default 86400 = 24 h)" },
        new Option<double>("--replay-rate") { HelpName = "N", Description = "telemetry batches sent per second at most when catching up (default 20)" },
        new Option<int>("--i2c-bus") { HelpName = "N", Description = "I2C bus of the MPU-6050 (default 1)" },
        new Option<string>("--i2c-address") { HelpName = "ADDR", Description = "its address, e.g. 0x68 or 0x69 (default 0x68)" },
        new Option<int>("--motor-pin") { HelpName = "N", Description = "GPIO (BCM) pin of the vibration motor, switched fully on (default 18)" },
        new Option<string>("--motor-pwm")
        {
            HelpName = "CHIP:CHANNEL",
            Description = "drive the motor from a hardware PWM channel instead (e.g. 0:0 for GPIO 18 with dtoverlay=pwm), so the configured vibration strength applies",
        },
        new Option<int>("--button-pin") { HelpName = "N", Description = "GPIO (BCM) pin of a push button to ground: hold it 2 s to calibrate" },
        new Option<bool>("--calibrate-accel")
        {
            Description = "calibrate the accelerometer once and exit: the board rests on each of its 6 faces in turn, as the prompts ask; " +
                          "its offset and scale are kept in the data directory and applied to every sample from the next start",
        },
        new Option<bool>("--show-pairing-code")
        {
            Description = "print this device's pairing code (made on its first start, kept in the data directory) and exit; " +
                          "the wearer claims the device with it, the operator registers it with posturesense device add",
        },
    ];

    /// <summary>The simulated agent's options besides the common ones.</summary>
    static Option[] Simulation() =>
    [
        new Option<string>("--sim") { HelpName = "SCENARIO", Description = "run on a simulated MPU-6050 following a scenario (name or .json path) (required)" },
        new Option<double>("--speed") { HelpName = "N", Description = "run the clock N times faster, 1-10000 (default 1)" },
        new Option<string>("--sim-start")
        {
            HelpName = "TIME",
            Description = "the simulated clock's start, ISO 8601 (e.g. 2026-01-05T09:00:00Z), 2020 to now (default: now)",
        },
        new Option<double>("--sim-clock-offset")
        {
            HelpName = "SECONDS",
            Description = "the device's system clock runs this far from the simulated true time, negative = behind (e.g. -36000: a Pi that booted 10 h behind) (default 0)",
        },
        new Option<double>("--sim-clock-sync-after")
        {
            HelpName = "SECONDS",
            Description = "with --sim-clock-offset: the clock is not synchronized until this much time has passed, then network time steps it right " +
                          "(default: never, and the wrong clock counts itself right)",
        },
    ];

    static RootCommand Command(bool simulated) => ProgramCommandLine.Root(
        (simulated
            ? "The PostureSense agent on a simulated wearable."
            : "The PostureSense agent on the Raspberry Pi: MPU-6050 on I2C, vibration motor on GPIO.")
        + " Every option can also be set as the environment variable in brackets or in the appsettings.json beside the program, " +
        "section PostureSense (--device-id is DeviceId); the command line wins, then the environment.",
        simulated ? [.. Common(), .. Simulation()] : Common());

    /// <summary>The generated --help text of one of the agent programs.</summary>
    public static string HelpText(bool simulated) => ProgramCommandLine.Help(Command(simulated));

    /// <summary>Where an agent reads the layers below its command line: the environment, and the appsettings.json beside the program.</summary>
    public static SettingsSources BesideProgram() => new() { AppSettingsDirectories = [AppContext.BaseDirectory] };

    public bool Help { get; init; }
    public DeviceId DeviceId { get; init; }
    public MqttBrokerAddress Broker { get; init; } = new("127.0.0.1", MqttBrokerAddress.DefaultPort);
    /// <summary>With an mqtts:// broker: a PEM file of CA certificates to trust besides the system's.</summary>
    public string? MqttCa { get; init; }
    /// <summary>The broker password came on the command line, where every user of the machine can read it.</summary>
    public bool PasswordOnCommandLine { get; init; }
    public string? Sim { get; init; }
    public double Speed { get; init; } = 1;
    /// <summary>With --sim: where the simulated clock starts; null: now.</summary>
    public DateTimeOffset? SimStart { get; init; }
    /// <summary>With --sim: how far the device's system clock is from true time; null: it is right.</summary>
    public TimeSpan? SimClockOffset { get; init; }
    /// <summary>With --sim-clock-offset: when network time sets the clock right; null: never (it counts itself right).</summary>
    public TimeSpan? SimClockSyncAfter { get; init; }
    /// <summary>The outbox's directory, defaults resolved (see <see cref="DefaultDataDirectory"/>).</summary>
    public string DataDirectory { get; init; } = HardwareDataDirectory;
    public int OutboxMaxFrames { get; init; } = AgentOptions.DefaultOutboxMaxFrames;
    public double ReplayRate { get; init; } = AgentOptions.DefaultReplayBatchesPerSecond;
    public int I2cBus { get; init; } = 1;
    public int I2cAddress { get; init; } = 0x68;
    public int MotorPin { get; init; } = 18;
    /// <summary>The motor's hardware PWM channel; null: the motor is switched on <see cref="MotorPin"/>.</summary>
    public PwmChannelAddress? MotorPwm { get; init; }
    /// <summary>The push button's GPIO pin; null: no button.</summary>
    public int? ButtonPin { get; init; }
    /// <summary>Print the pairing code and exit.</summary>
    public bool ShowPairingCode { get; init; }
    /// <summary>Run the six-face accelerometer calibration and exit.</summary>
    public bool CalibrateAccel { get; init; }

    public const string HardwareDataDirectory = "/var/lib/posturesense-agent";

    /// <summary>The widest wrong clock a simulation may start with.</summary>
    public static readonly TimeSpan MaxSimClockOffset = TimeSpan.FromDays(30);

    /// <summary>The agent's options from these settings.</summary>
    /// <param name="brokerCa">The certificates read from <see cref="MqttCa"/>, if given.</param>
    public AgentOptions ToAgentOptions(System.Security.Cryptography.X509Certificates.X509Certificate2Collection? brokerCa) => new()
    {
        DeviceId = DeviceId,
        Broker = Broker,
        BrokerCa = brokerCa,
        DataDirectory = DataDirectory,
        OutboxMaxFrames = OutboxMaxFrames,
        ReplayBatchesPerSecond = ReplayRate,
    };

    /// <summary>
    /// On the hardware a system folder (the systemd unit's StateDirectory); a simulated device gets
    /// a folder of its own under the user's local app data (or temp), so that trying the agent out
    /// needs no root and two simulated devices never share an outbox.
    /// </summary>
    public static string DefaultDataDirectory(string deviceId, bool sim)
    {
        if (!sim) return HardwareDataDirectory;
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (string.IsNullOrEmpty(root)) root = Path.GetTempPath();
        return Path.Combine(root, "posturesense-agent", deviceId);
    }

    /// <param name="sources">Default: <see cref="BesideProgram"/>.</param>
    /// <param name="simulated">The simulated agent's settings (--sim and the like) rather than the Pi's.</param>
    /// <exception cref="OptionsException">Every bad or missing setting, in one line.</exception>
    public static AgentCommandLine Parse(IReadOnlyList<string> args, SettingsSources? sources = null, bool simulated = false)
    {
        var parsed = ProgramCommandLine.Parse(Command(simulated), args);
        if (ProgramCommandLine.WantsHelp(parsed)) return new AgentCommandLine { Help = true };
        var layers = LayeredConfiguration.Load(parsed, sources ?? BesideProgram());
        // Values that do not convert were refused by the layering, so binding does not throw.
        var values = layers.Settings.Get<AgentSettingValues>() ?? new AgentSettingValues();
        var problems = layers.StartChecks();
        var result = Resolve(values, layers, simulated, problems);
        problems.ThrowIfAny();
        return result;
    }

    static AgentCommandLine Resolve(AgentSettingValues values, LayeredConfiguration layers, bool simulated, OptionProblems problems)
    {
        string SourceOf(string key) => layers.SourceOf(key);
        string Given(string key) => layers.Settings[key] ?? "";
        // The Pi's agent has no simulation: an appsettings.json shared with the simulated one must not turn it on.
        if (!simulated) (values.Sim, values.Speed, values.SimStart, values.SimClockOffset, values.SimClockSyncAfter) = (null, null, null, null, null);
        var id = layers.Required(values.DeviceId, "--device-id", problems);
        if (!Core.Contract.DeviceId.TryParse(id, out var deviceId) && values.DeviceId is not null)
            problems.Add(Core.Contract.DeviceId.NotValidMessage(id, SourceOf("DeviceId")));
        // Showing the pairing code needs nothing but the device id and its data directory.
        if (simulated && values.Sim is null && !layers.Refused("Sim") && values.ShowPairingCode != true && values.CalibrateAccel != true)
            problems.Add("--sim is required: a scenario name or a scenario file");

        var result = new AgentCommandLine
        {
            DeviceId = deviceId, Sim = values.Sim, ShowPairingCode = values.ShowPairingCode == true, CalibrateAccel = values.CalibrateAccel == true,
        };
        result = result with { DataDirectory = values.DataDir ?? DefaultDataDirectory(id, simulated) };
        if (values.Mqtt is { } mqtt)
        {
            var broker = problems.Check(() => MqttBrokerAddress.Parse(mqtt, SourceOf("Mqtt"), allowTls: true), null);
            if (broker is not null)
                result = result with { Broker = broker, PasswordOnCommandLine = broker.Password is not null && SourceOf("Mqtt") == "--mqtt" };
        }
        if (values.MqttCa is { } ca)
        {
            if (!result.Broker.Tls)
                problems.Add($"{SourceOf("MqttCa")} only applies to a TLS broker (mqtts://), not {result.Broker}");
            result = result with { MqttCa = ca };
        }
        if (values.Speed is { } speed)
        {
            if (result.Sim is null) problems.Add($"{SourceOf("Speed")} only applies with --sim");
            else if (!(speed >= 1 && speed <= 10_000)) problems.Add($"{SourceOf("Speed")} '{Given("Speed")}' must be a number from 1 to 10000");
            else result = result with { Speed = speed };
        }
        if (values.SimStart is { } start)
        {
            if (result.Sim is null) problems.Add($"{SourceOf("SimStart")} only applies with --sim");
            // The server takes nothing from before 2020 or more than a little ahead; a start in range keeps a run acceptable at first.
            else if (!DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                || at.ToUnixTimeMilliseconds() < ContractLimits.MinPlausibleTs || at > DateTimeOffset.UtcNow + ContractLimits.MaxFutureSkew)
                problems.Add($"{SourceOf("SimStart")} '{start}' must be an ISO 8601 time from 2020 to now, e.g. 2026-01-05T09:00:00Z");
            else result = result with { SimStart = at };
        }
        if (values.SimClockOffset is { } offset)
        {
            if (result.Sim is null) problems.Add($"{SourceOf("SimClockOffset")} only applies with --sim");
            else if (!(Math.Abs(offset) <= MaxSimClockOffset.TotalSeconds))
                problems.Add($"{SourceOf("SimClockOffset")} '{Given("SimClockOffset")}' must be a number of seconds within ±{MaxSimClockOffset.TotalSeconds:0} (30 days)");
            else result = result with { SimClockOffset = TimeSpan.FromSeconds(offset) };
        }
        if (values.SimClockSyncAfter is { } after)
        {
            if (values.SimClockOffset is null) problems.Add($"{SourceOf("SimClockSyncAfter")} only applies with --sim-clock-offset");
            else if (!(after >= 0 && after <= MaxSimClockOffset.TotalSeconds))
                problems.Add($"{SourceOf("SimClockSyncAfter")} '{Given("SimClockSyncAfter")}' must be a number of seconds from 0 to {MaxSimClockOffset.TotalSeconds:0} (30 days)");
            else result = result with { SimClockSyncAfter = TimeSpan.FromSeconds(after) };
        }
        if (values.OutboxMaxFrames is { } max)
            result = result with { OutboxMaxFrames = InRange(max, "OutboxMaxFrames", ContractLimits.MaxFramesPerBatch, 100_000_000, layers, problems) };
        if (values.ReplayRate is { } rate)
        {
            if (!(rate >= AgentOptions.MinReplayBatchesPerSecond && rate <= AgentOptions.MaxReplayBatchesPerSecond))
                problems.Add($"{SourceOf("ReplayRate")} '{Given("ReplayRate")}' must be a number from {AgentOptions.MinReplayBatchesPerSecond} to {AgentOptions.MaxReplayBatchesPerSecond}");
            else result = result with { ReplayRate = rate };
        }
        if (values.I2cBus is { } bus) result = result with { I2cBus = InRange(bus, "I2cBus", 0, 255, layers, problems) };
        if (values.I2cAddress is { } address)
        {
            // Always hex, as i2cdetect prints it: a bare "68" would quietly mean 0x44.
            if (!address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(address.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var a) || a < 0x08 || a > 0x77)
                problems.Add($"{SourceOf("I2cAddress")} '{address}' must be from 0x08 to 0x77, hex with 0x, e.g. 0x68");
            else result = result with { I2cAddress = a };
        }
        if (values.MotorPin is { } pin) result = result with { MotorPin = InRange(pin, "MotorPin", 0, 63, layers, problems) };
        if (values.MotorPwm is { } pwm)
        {
            var parts = pwm.Split(':');
            if (values.MotorPin is not null)
                problems.Add($"{SourceOf("MotorPwm")} and {SourceOf("MotorPin")} are both set: the motor is on a PWM channel or a pin, not both");
            else if (parts.Length != 2)
                problems.Add($"{SourceOf("MotorPwm")} '{pwm}' must be CHIP:CHANNEL, e.g. 0:0");
            else
            {
                var chip = Integer(parts[0], SourceOf("MotorPwm") + " chip", 0, 63, problems);
                var channel = Integer(parts[1], SourceOf("MotorPwm") + " channel", 0, 63, problems);
                if (chip is { } c && channel is { } n) result = result with { MotorPwm = new PwmChannelAddress(c, n) };
            }
        }
        if (values.ButtonPin is { } button)
        {
            var buttonPin = InRange(button, "ButtonPin", 0, 63, layers, problems);
            if (result.MotorPwm is null && buttonPin == result.MotorPin)
                problems.Add($"{SourceOf("ButtonPin")} {buttonPin} is the motor's pin; wire the button to another GPIO");
            result = result with { ButtonPin = buttonPin };
        }
        return result;
    }

    static int InRange(int value, string key, int min, int max, LayeredConfiguration layers, OptionProblems problems)
    {
        if (value < min || value > max) problems.Add($"{layers.SourceOf(key)} '{layers.Settings[key]}' must be a whole number from {min} to {max}");
        return value;
    }

    static int? Integer(string text, string source, int min, int max, OptionProblems problems)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        problems.Add($"{source} '{text}' must be a whole number from {min} to {max}");
        return null;
    }
}
