using System.Globalization;
using Microsoft.Extensions.Configuration;
using PostureSense.Agent.Motor;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;

namespace PostureSense.Agent;

/// <summary>
/// The agent program's settings: command line first, then <c>POSTURESENSE_*</c> environment
/// variables, then the <c>PostureSense</c> section of appsettings.json.
/// </summary>
public sealed record AgentCommandLine
{
    public const string Usage = """
        Usage: PostureSense.Agent --device-id ID [options]

          --device-id ID       this device's id: lowercase letters, digits, '-' (required)
          --mqtt URL           broker, mqtt://[user:pass@]host:port (default mqtt://127.0.0.1:1883), or over TLS
                               mqtts://[user:pass@]host:port (port 8883 by default); give a password through
                               POSTURESENSE_MQTT instead, where the process list does not show it
          --mqtt-ca FILE       with mqtts://: a CA certificate (PEM) to trust, for a broker with a self-signed one
          --sim SCENARIO       run on a simulated MPU-6050 following a scenario (name or .json path)
          --speed N            with --sim: run the clock N times faster, 1-10000 (default 1)
          --sim-start TIME     with --sim: the simulated clock's start, ISO 8601 (e.g. 2026-01-05T09:00:00Z),
                               2020 to now (default: now)
          --data-dir PATH      where the outbox of unsent telemetry, the calibration and the wearer's config are
                               kept (default /var/lib/posturesense-agent;
                               with --sim a folder per device under the user's local app data)
          --outbox-max-frames N  frames the outbox keeps while the broker is away; the oldest go first
                               (default 86400 = 24 h)
          --replay-rate N      telemetry batches sent per second at most when catching up (default 20)
          --i2c-bus N          I2C bus of the MPU-6050 (default 1)
          --i2c-address ADDR   its address, e.g. 0x68 or 0x69 (default 0x68)
          --motor-pin N        GPIO (BCM) pin of the vibration motor, switched fully on (default 18)
          --motor-pwm CHIP:CHANNEL  drive the motor from a hardware PWM channel instead (e.g. 0:0 for
                               GPIO 18 with dtoverlay=pwm), so the configured vibration strength applies
          --button-pin N       GPIO (BCM) pin of a push button to ground: hold it 2 s to calibrate
          --help               this text

        Also settable as POSTURESENSE_DEVICE_ID, POSTURESENSE_MQTT, POSTURESENSE_MQTT_CA, POSTURESENSE_SIM, POSTURESENSE_SPEED,
        POSTURESENSE_SIM_START, POSTURESENSE_DATA_DIR, POSTURESENSE_OUTBOX_MAX_FRAMES, POSTURESENSE_REPLAY_RATE,
        POSTURESENSE_I2C_BUS, POSTURESENSE_I2C_ADDRESS, POSTURESENSE_MOTOR_PIN, POSTURESENSE_MOTOR_PWM,
        POSTURESENSE_BUTTON_PIN, or in appsettings.json under "PostureSense" (DeviceId, Mqtt, MqttCa, Sim, Speed,
        SimStart, DataDir, OutboxMaxFrames, ReplayRate, I2cBus, I2cAddress, MotorPin, MotorPwm, ButtonPin).
        """;

    // option, environment variable, appsettings key
    static readonly (string Option, string Env, string Key)[] Settings =
    [
        ("--device-id", "POSTURESENSE_DEVICE_ID", "DeviceId"),
        ("--mqtt", "POSTURESENSE_MQTT", "Mqtt"),
        ("--mqtt-ca", "POSTURESENSE_MQTT_CA", "MqttCa"),
        ("--sim", "POSTURESENSE_SIM", "Sim"),
        ("--speed", "POSTURESENSE_SPEED", "Speed"),
        ("--sim-start", "POSTURESENSE_SIM_START", "SimStart"),
        ("--data-dir", "POSTURESENSE_DATA_DIR", "DataDir"),
        ("--outbox-max-frames", "POSTURESENSE_OUTBOX_MAX_FRAMES", "OutboxMaxFrames"),
        ("--replay-rate", "POSTURESENSE_REPLAY_RATE", "ReplayRate"),
        ("--i2c-bus", "POSTURESENSE_I2C_BUS", "I2cBus"),
        ("--i2c-address", "POSTURESENSE_I2C_ADDRESS", "I2cAddress"),
        ("--motor-pin", "POSTURESENSE_MOTOR_PIN", "MotorPin"),
        ("--motor-pwm", "POSTURESENSE_MOTOR_PWM", "MotorPwm"),
        ("--button-pin", "POSTURESENSE_BUTTON_PIN", "ButtonPin"),
    ];

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

    /// <exception cref="OptionsException">The first bad or missing setting, in one line.</exception>
    public static AgentCommandLine Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null, IConfiguration? appSettings = null)
    {
        var given = new Dictionary<string, (string Value, string Source)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") return new AgentCommandLine { Help = true };
            if (!Settings.Any(s => s.Option == arg))
                throw new OptionsException($"unknown option '{arg}'; see --help");
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new OptionsException($"{arg} needs a value; see --help");
            given[arg] = (args[++i], arg);
        }
        foreach (var (option, env, key) in Settings)
        {
            if (given.ContainsKey(option)) continue;
            if (environment?.Invoke(env) is { Length: > 0 } fromEnv) given[option] = (fromEnv, env);
            else if (appSettings?[$"PostureSense:{key}"] is { Length: > 0 } fromFile) given[option] = (fromFile, $"appsettings PostureSense:{key}");
        }

        string? Get(string option) => given.TryGetValue(option, out var v) ? v.Value : null;
        string SourceOf(string option) => given[option].Source;

        if (Get("--device-id") is not { } id)
            throw new OptionsException("--device-id is required (or POSTURESENSE_DEVICE_ID); see --help");
        if (!Core.Contract.DeviceId.IsValid(id))
            throw new OptionsException($"{SourceOf("--device-id")} '{id}' is not valid: use 1-63 lowercase letters, digits or '-', starting with a letter or digit");

        var result = new AgentCommandLine { DeviceId = id, Sim = Get("--sim") };
        result = result with { DataDirectory = Get("--data-dir") ?? DefaultDataDirectory(id, result.Sim is not null) };
        if (Get("--mqtt") is { } mqtt)
        {
            var broker = MqttBrokerAddress.Parse(mqtt, SourceOf("--mqtt"), allowTls: true);
            result = result with { Broker = broker, PasswordOnCommandLine = broker.Password is not null && SourceOf("--mqtt") == "--mqtt" };
        }
        if (Get("--mqtt-ca") is { } ca)
        {
            if (!result.Broker.Tls)
                throw new OptionsException($"{SourceOf("--mqtt-ca")} only applies to a TLS broker (mqtts://), not {result.Broker}");
            result = result with { MqttCa = ca };
        }
        if (Get("--speed") is { } speed)
        {
            if (result.Sim is null) throw new OptionsException($"{SourceOf("--speed")} only applies with --sim");
            if (!double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= 1 && n <= 10_000))
                throw new OptionsException($"{SourceOf("--speed")} '{speed}' must be a number from 1 to 10000");
            result = result with { Speed = n };
        }
        if (Get("--sim-start") is { } start)
        {
            if (result.Sim is null) throw new OptionsException($"{SourceOf("--sim-start")} only applies with --sim");
            // The server takes nothing from before 2020 or more than 5 min ahead; a start in range keeps a run acceptable at first.
            if (!DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                || at.ToUnixTimeMilliseconds() < ContractLimits.MinPlausibleTs || at > DateTimeOffset.UtcNow + ContractLimits.MaxFutureSkew)
                throw new OptionsException($"{SourceOf("--sim-start")} '{start}' must be an ISO 8601 time from 2020 to now, e.g. 2026-01-05T09:00:00Z");
            result = result with { SimStart = at };
        }
        if (Get("--outbox-max-frames") is { } max)
            result = result with { OutboxMaxFrames = Integer(max, SourceOf("--outbox-max-frames"), ContractLimits.MaxFramesPerBatch, 100_000_000) };
        if (Get("--replay-rate") is { } rate)
        {
            if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r)
                || !(r >= AgentOptions.MinReplayBatchesPerSecond && r <= AgentOptions.MaxReplayBatchesPerSecond))
                throw new OptionsException($"{SourceOf("--replay-rate")} '{rate}' must be a number from {AgentOptions.MinReplayBatchesPerSecond} to {AgentOptions.MaxReplayBatchesPerSecond}");
            result = result with { ReplayRate = r };
        }
        if (Get("--i2c-bus") is { } bus) result = result with { I2cBus = Integer(bus, SourceOf("--i2c-bus"), 0, 255) };
        if (Get("--i2c-address") is { } address)
        {
            // Always hex, as i2cdetect prints it: a bare "68" would quietly mean 0x44.
            if (!address.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                throw new OptionsException($"{SourceOf("--i2c-address")} '{address}' must be hex with 0x, e.g. 0x68");
            result = result with { I2cAddress = Integer(address, SourceOf("--i2c-address"), 0x08, 0x77) };
        }
        if (Get("--motor-pin") is { } pin) result = result with { MotorPin = Integer(pin, SourceOf("--motor-pin"), 0, 63) };
        if (Get("--motor-pwm") is { } pwm)
        {
            if (Get("--motor-pin") is not null)
                throw new OptionsException($"{SourceOf("--motor-pwm")} and {SourceOf("--motor-pin")} are both set: the motor is on a PWM channel or a pin, not both");
            var parts = pwm.Split(':');
            if (parts.Length != 2)
                throw new OptionsException($"{SourceOf("--motor-pwm")} '{pwm}' must be CHIP:CHANNEL, e.g. 0:0");
            result = result with
            {
                MotorPwm = new PwmChannelAddress(Integer(parts[0], SourceOf("--motor-pwm") + " chip", 0, 63), Integer(parts[1], SourceOf("--motor-pwm") + " channel", 0, 63)),
            };
        }
        if (Get("--button-pin") is { } button)
        {
            var buttonPin = Integer(button, SourceOf("--button-pin"), 0, 63);
            if (result.MotorPwm is null && buttonPin == result.MotorPin)
                throw new OptionsException($"{SourceOf("--button-pin")} {buttonPin} is the motor's pin; wire the button to another GPIO");
            result = result with { ButtonPin = buttonPin };
        }
        return result;
    }

    static int Integer(string text, string source, int min, int max)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value < min || value > max)
            throw new OptionsException($"{source} '{text}' must be a whole number from {min} to {max}" + (min == 0x08 ? " (hex with 0x, e.g. 0x68)" : ""));
        return value;
    }
}
