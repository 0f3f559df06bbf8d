using System.Globalization;
using Microsoft.Extensions.Configuration;
using PostureSense.Agent.Motor;
using PostureSense.Agent.Settings;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;

namespace PostureSense.Agent;

/// <summary>
/// An agent program's settings, checked and resolved: command line first, then
/// <c>POSTURESENSE_*</c> environment variables, then the <c>PostureSense</c> section of
/// appsettings.json (see <see cref="SettingSources"/>).
/// </summary>
public sealed record AgentCommandLine
{
    /// <summary>The settings of both agent programs.</summary>
    public static readonly IReadOnlyList<Setting> Common =
    [
        new("--device-id", "POSTURESENSE_DEVICE_ID", "DeviceId", "this device's id: lowercase letters, digits, '-' (required)", "ID"),
        new("--mqtt", "POSTURESENSE_MQTT", "Mqtt", "broker, mqtt://[user:pass@]host:port (default mqtt://127.0.0.1:1883), or over TLS mqtts://[user:pass@]host:port (port 8883 by default); give a password through POSTURESENSE_MQTT instead, where the process list does not show it", "URL"),
        new("--mqtt-ca", "POSTURESENSE_MQTT_CA", "MqttCa", "with mqtts://: a CA certificate (PEM) to trust, for a broker with a self-signed one", "FILE"),
        new("--data-dir", "POSTURESENSE_DATA_DIR", "DataDir", "where the outbox of unsent telemetry, the calibration and the wearer's config are kept (default /var/lib/posturesense-agent; simulated: a folder per device under the user's local app data)", "PATH"),
        new("--outbox-max-frames", "POSTURESENSE_OUTBOX_MAX_FRAMES", "OutboxMaxFrames", "frames the outbox keeps while the broker is away; the oldest go first (default 86400 = 24 h)", "N"),
        new("--replay-rate", "POSTURESENSE_REPLAY_RATE", "ReplayRate", "telemetry batches sent per second at most when catching up (default 20)", "N"),
        new("--i2c-bus", "POSTURESENSE_I2C_BUS", "I2cBus", "I2C bus of the MPU-6050 (default 1)", "N"),
        new("--i2c-address", "POSTURESENSE_I2C_ADDRESS", "I2cAddress", "its address, e.g. 0x68 or 0x69 (default 0x68)", "ADDR"),
        new("--motor-pin", "POSTURESENSE_MOTOR_PIN", "MotorPin", "GPIO (BCM) pin of the vibration motor, switched fully on (default 18)", "N"),
        new("--motor-pwm", "POSTURESENSE_MOTOR_PWM", "MotorPwm", "drive the motor from a hardware PWM channel instead (e.g. 0:0 for GPIO 18 with dtoverlay=pwm), so the configured vibration strength applies", "CHIP:CHANNEL"),
        new("--button-pin", "POSTURESENSE_BUTTON_PIN", "ButtonPin", "GPIO (BCM) pin of a push button to ground: hold it 2 s to calibrate", "N"),
    ];

    /// <summary>The simulated agent's settings besides the common ones.</summary>
    public static readonly IReadOnlyList<Setting> Simulation =
    [
        new("--sim", "POSTURESENSE_SIM", "Sim", "run on a simulated MPU-6050 following a scenario (name or .json path) (required)", "SCENARIO"),
        new("--speed", "POSTURESENSE_SPEED", "Speed", "run the clock N times faster, 1-10000 (default 1)", "N"),
        new("--sim-start", "POSTURESENSE_SIM_START", "SimStart", "the simulated clock's start, ISO 8601 (e.g. 2026-01-05T09:00:00Z), 2020 to now (default: now)", "TIME"),
    ];

    static SettingSources Sources(bool simulated)
    {
        var settings = simulated ? [.. Common, .. Simulation] : Common;
        var epilogue = "Each option can also be set as its POSTURESENSE_* environment variable ("
            + string.Join(", ", settings.Select(s => s.Env)) + ") or in appsettings.json under \"PostureSense\" ("
            + string.Join(", ", settings.Select(s => s.Key)) + "); the command line wins, then the environment.";
        return new SettingSources(simulated
            ? "The PostureSense agent on a simulated wearable."
            : "The PostureSense agent on the Raspberry Pi: MPU-6050 on I2C, vibration motor on GPIO.", settings, epilogue);
    }

    /// <summary>The generated --help text of one of the agent programs.</summary>
    public static string HelpText(bool simulated) => Sources(simulated).Help();

    public bool Help { get; init; }
    public string DeviceId { get; init; } = "";
    public MqttBrokerAddress Broker { get; init; } = new("127.0.0.1", MqttBrokerAddress.DefaultPort);
    /// <summary>With an mqtts:// broker: a PEM file of CA certificates to trust besides the system's.</summary>
    public string? MqttCa { get; init; }
    /// <summary>The broker password came on the command line, where every user of the machine can read it.</summary>
    public bool PasswordOnCommandLine { get; init; }
    public string? Sim { get; init; }
    public double Speed { get; init; } = 1;
    /// <summary>With --sim: where the simulated clock starts; null: now.</summary>
    public DateTimeOffset? SimStart { get; init; }
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

    public const string HardwareDataDirectory = "/var/lib/posturesense-agent";

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

    /// <param name="simulated">The simulated agent's settings (--sim and the like) rather than the Pi's.</param>
    /// <exception cref="OptionsException">Every bad or missing setting, in one line.</exception>
    public static AgentCommandLine Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null, IConfiguration? appSettings = null,
        bool simulated = false)
    {
        if (Sources(simulated).Read(args, environment, appSettings) is not { } given) return new AgentCommandLine { Help = true };
        AgentSettingValues values;
        try
        {
            values = given.Values.Get<AgentSettingValues>() ?? new AgentSettingValues();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key it could not convert; say which option or variable held it.
            var key = System.Text.RegularExpressions.Regex.Match(ex.Message, $"'{SettingSources.Section}:(\\w+)'").Groups[1].Value;
            throw new OptionsException(key.Length > 0
                ? $"{given.SourceOf(key)} '{given.Values[key]}' must be a number"
                : ex.Message);
        }
        var problems = new List<string>();
        var result = Resolve(values, given, simulated, problems);
        if (problems.Count > 0) throw new OptionsException(string.Join("; ", problems));
        return result;
    }

    static AgentCommandLine Resolve(AgentSettingValues values, SettingSources.Layered given, bool simulated, List<string> problems)
    {
        string SourceOf(string key) => given.SourceOf(key);
        var id = values.DeviceId ?? "";
        if (values.DeviceId is null)
            problems.Add("--device-id is required (or POSTURESENSE_DEVICE_ID); see --help");
        else if (!Core.Contract.DeviceId.IsValid(id))
            problems.Add($"{SourceOf("DeviceId")} '{id}' is not valid: use 1-63 lowercase letters, digits or '-', starting with a letter or digit");
        if (simulated && values.Sim is null)
            problems.Add("--sim is required (or POSTURESENSE_SIM): a scenario name or a scenario file; see --help");

        var result = new AgentCommandLine { DeviceId = id, Sim = values.Sim };
        result = result with { DataDirectory = values.DataDir ?? DefaultDataDirectory(id, simulated) };
        if (values.DataDir is { Length: 0 }) problems.Add($"{SourceOf("DataDir")} must not be empty");
        if (values.Mqtt is { } mqtt)
        {
            try
            {
                var broker = MqttBrokerAddress.Parse(mqtt, SourceOf("Mqtt"), allowTls: true);
                result = result with { Broker = broker, PasswordOnCommandLine = broker.Password is not null && SourceOf("Mqtt") == "--mqtt" };
            }
            catch (OptionsException ex) { problems.Add(ex.Message); }
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
            else if (!(speed >= 1 && speed <= 10_000)) problems.Add($"{SourceOf("Speed")} '{given.Values["Speed"]}' must be a number from 1 to 10000");
            else result = result with { Speed = speed };
        }
        if (values.SimStart is { } start)
        {
            if (result.Sim is null) problems.Add($"{SourceOf("SimStart")} only applies with --sim");
            // The server takes nothing from before 2020 or more than 5 min ahead; a start in range keeps a run acceptable at first.
            else if (!DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                || at.ToUnixTimeMilliseconds() < ContractLimits.MinPlausibleTs || at > DateTimeOffset.UtcNow + ContractLimits.MaxFutureSkew)
                problems.Add($"{SourceOf("SimStart")} '{start}' must be an ISO 8601 time from 2020 to now, e.g. 2026-01-05T09:00:00Z");
            else result = result with { SimStart = at };
        }
        if (values.OutboxMaxFrames is { } max)
            result = result with { OutboxMaxFrames = InRange(max, "OutboxMaxFrames", ContractLimits.MaxFramesPerBatch, 100_000_000, given, problems) };
        if (values.ReplayRate is { } rate)
        {
            if (!(rate >= AgentOptions.MinReplayBatchesPerSecond && rate <= AgentOptions.MaxReplayBatchesPerSecond))
                problems.Add($"{SourceOf("ReplayRate")} '{given.Values["ReplayRate"]}' must be a number from {AgentOptions.MinReplayBatchesPerSecond} to {AgentOptions.MaxReplayBatchesPerSecond}");
            else result = result with { ReplayRate = rate };
        }
        if (values.I2cBus is { } bus) result = result with { I2cBus = InRange(bus, "I2cBus", 0, 255, given, problems) };
        if (values.I2cAddress is { } address)
        {
            // Always hex, as i2cdetect prints it: a bare "68" would quietly mean 0x44.
            if (!address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(address.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var a) || a < 0x08 || a > 0x77)
                problems.Add($"{SourceOf("I2cAddress")} '{address}' must be from 0x08 to 0x77, hex with 0x, e.g. 0x68");
            else result = result with { I2cAddress = a };
        }
        if (values.MotorPin is { } pin) result = result with { MotorPin = InRange(pin, "MotorPin", 0, 63, given, problems) };
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
            var buttonPin = InRange(button, "ButtonPin", 0, 63, given, problems);
            if (result.MotorPwm is null && buttonPin == result.MotorPin)
                problems.Add($"{SourceOf("ButtonPin")} {buttonPin} is the motor's pin; wire the button to another GPIO");
            result = result with { ButtonPin = buttonPin };
        }
        return result;
    }

    static int InRange(int value, string key, int min, int max, SettingSources.Layered given, List<string> problems)
    {
        if (value < min || value > max) problems.Add($"{given.SourceOf(key)} '{given.Values[key]}' must be a whole number from {min} to {max}");
        return value;
    }

    static int? Integer(string text, string source, int min, int max, List<string> problems)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        problems.Add($"{source} '{text}' must be a whole number from {min} to {max}");
        return null;
    }
}
