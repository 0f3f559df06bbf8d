using System.Text.Json;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.Agent.Tests;

public sealed class AgentCommandLineTests : IDisposable
{
    static readonly List<string> Folders = [];

    // The simulation's options belong to the simulated agent's program.
    static AgentCommandLine Parse(params string[] args) =>
        AgentCommandLine.Parse(args, Sources(new Dictionary<string, string>()), simulated: args.Any(a => a is "--sim" or "--speed" or "--sim-start"));

    /// <summary>The environment given, and an appsettings.json with <paramref name="appSettings"/> in its PostureSense section (none when null).</summary>
    static SettingsSources Sources(Dictionary<string, string> environment, Dictionary<string, string>? appSettings = null)
    {
        var folder = Directory.CreateTempSubdirectory("posturesense-agent-settings-").FullName;
        lock (Folders) Folders.Add(folder);
        if (appSettings is not null)
            File.WriteAllText(Path.Combine(folder, "appsettings.json"), JsonSerializer.Serialize(new Dictionary<string, object> { ["PostureSense"] = appSettings }));
        return new SettingsSources { Environment = environment.GetValueOrDefault, AppSettingsDirectories = [folder] };
    }

    [Fact]
    public void Defaults_suit_a_pi_with_the_sensor_on_bus_1()
    {
        var settings = Parse("--device-id", "desk-1");
        Assert.Equal(("desk-1", "127.0.0.1", 1883, 1, 0x68, 18), (settings.DeviceId.Value, settings.Broker.Host, settings.Broker.Port, settings.I2cBus, settings.I2cAddress, settings.MotorPin));
        Assert.Null(settings.Sim);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var settings = Parse("--device-id", "desk-1", "--mqtt", "mqtt://u:p@broker:1884", "--sim", "walking", "--speed", "60",
            "--i2c-bus", "3", "--i2c-address", "0x69", "--motor-pin", "12");
        Assert.Equal(("broker", 1884, "u", "walking", 60.0, 3, 0x69, 12),
            (settings.Broker.Host, settings.Broker.Port, settings.Broker.UserName, settings.Sim, settings.Speed, settings.I2cBus, settings.I2cAddress, settings.MotorPin));
    }

    [Theory]
    [InlineData("--device-id is required", "--mqtt", "mqtt://h:1")]
    [InlineData("'Desk 1' is not valid", "--device-id", "Desk 1")]
    [InlineData("unknown option '--colour'", "--device-id", "d", "--colour", "red")]
    [InlineData("option '--mqtt' needs a value", "--device-id", "d", "--mqtt")]
    [InlineData("only applies with --sim", "--device-id", "d", "--speed", "10")]
    [InlineData("from 1 to 10000", "--device-id", "d", "--sim", "walking", "--speed", "20000")]
    [InlineData("hex with 0x", "--device-id", "d", "--i2c-address", "68")]
    [InlineData("not an mqtt:// or mqtts:// URL", "--device-id", "d", "--mqtt", "http://h")]
    [InlineData("--mqtt-ca only applies to a TLS broker (mqtts://)", "--device-id", "d", "--mqtt", "mqtt://h", "--mqtt-ca", "/etc/ca.pem")]
    [InlineData("--sim-start only applies with --sim", "--device-id", "d", "--sim-start", "2026-01-05T09:00:00Z")]
    [InlineData("must be an ISO 8601 time", "--device-id", "d", "--sim", "walking", "--sim-start", "yesterday")]
    [InlineData("must be an ISO 8601 time", "--device-id", "d", "--sim", "walking", "--sim-start", "2019-12-31T23:59:59Z")]
    [InlineData("must be an ISO 8601 time", "--device-id", "d", "--sim", "walking", "--sim-start", "2999-01-01T00:00:00Z")]
    [InlineData("from 60 to", "--device-id", "d", "--outbox-max-frames", "59")]
    [InlineData("from 1 to 1000", "--device-id", "d", "--replay-rate", "0.5")]
    [InlineData("option '--data-dir' needs a value", "--device-id", "d", "--data-dir")]
    [InlineData("must be CHIP:CHANNEL", "--device-id", "d", "--motor-pwm", "0")]
    [InlineData("--motor-pwm channel '-1' must be a whole number from 0 to 63", "--device-id", "d", "--motor-pwm", "0:-1")]
    [InlineData("--i2c-bus 'one' must be a whole number", "--device-id", "d", "--i2c-bus", "one")]
    [InlineData("are both set", "--device-id", "d", "--motor-pwm", "0:0", "--motor-pin", "12")]
    [InlineData("is the motor's pin", "--device-id", "d", "--button-pin", "18")]
    [InlineData("from 0 to 63", "--device-id", "d", "--button-pin", "64")]
    public void Bad_settings_are_one_clear_line(string expected, params string[] args)
    {
        var error = Assert.Throws<OptionsException>(() => Parse(args));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose()
    {
        lock (Folders)
        {
            foreach (var folder in Folders) Directory.Delete(folder, recursive: true);
            Folders.Clear();
        }
    }

    [Fact]
    public void A_bad_value_names_the_layer_it_came_from()
    {
        var env = new Dictionary<string, string> { ["POSTURESENSE_MOTOR_PIN"] = "six" };
        var file = new Dictionary<string, string> { ["DeviceId"] = "desk-1", ["I2cBus"] = "one", ["ReplayRate"] = "5000" };
        var error = Assert.Throws<OptionsException>(() => AgentCommandLine.Parse([], Sources(env, file)));
        Assert.Contains("POSTURESENSE_MOTOR_PIN 'six' must be a whole number", error.Message);
        Assert.Contains("appsettings.json PostureSense:I2cBus 'one' must be a whole number", error.Message);
        Assert.Contains("appsettings.json PostureSense:ReplayRate '5000' must be a number from 1 to 1000", error.Message);
        Assert.DoesNotContain("--device-id is required", error.Message);
    }

    [Fact]
    public void A_tls_broker_with_its_own_ca_and_a_password_kept_out_of_the_process_list()
    {
        var env = new Dictionary<string, string> { ["POSTURESENSE_MQTT"] = "mqtts://desk-1:s%3Acret@broker.lan", ["POSTURESENSE_MQTT_CA"] = "/etc/posturesense/ca.pem" };
        var fromEnv = AgentCommandLine.Parse(["--device-id", "desk-1"], Sources(env));
        Assert.Equal(new MqttBrokerAddress("broker.lan", 8883, "desk-1", "s:cret", Tls: true), fromEnv.Broker);
        Assert.Equal(("/etc/posturesense/ca.pem", false), (fromEnv.MqttCa, fromEnv.PasswordOnCommandLine));
        Assert.Equal("mqtts://desk-1@broker.lan:8883", fromEnv.Broker.ToString());

        var onCommandLine = Parse("--device-id", "desk-1", "--mqtt", "mqtts://desk-1:secret@broker.lan:8884");
        Assert.Equal((8884, true, true), (onCommandLine.Broker.Port, onCommandLine.Broker.Tls, onCommandLine.PasswordOnCommandLine));
        Assert.False(Parse("--device-id", "desk-1", "--mqtt", "mqtts://desk-1@broker.lan").PasswordOnCommandLine);
    }

    [Fact]
    public void A_pwm_motor_and_a_button_are_optional_hardware()
    {
        var plain = Parse("--device-id", "desk-1");
        Assert.Equal((null, null), (plain.MotorPwm, plain.ButtonPin));

        var settings = Parse("--device-id", "desk-1", "--motor-pwm", "0:1", "--button-pin", "18");
        Assert.Equal((new PostureSense.Agent.Motor.PwmChannelAddress(0, 1), 18), (settings.MotorPwm, settings.ButtonPin));

        var env = new Dictionary<string, string> { ["POSTURESENSE_MOTOR_PWM"] = "2:0", ["POSTURESENSE_BUTTON_PIN"] = "17" };
        var fromEnv = AgentCommandLine.Parse(["--device-id", "desk-1"], Sources(env));
        Assert.Equal((new PostureSense.Agent.Motor.PwmChannelAddress(2, 0), 17), (fromEnv.MotorPwm, fromEnv.ButtonPin));
    }

    [Fact]
    public void The_command_line_beats_the_environment_which_beats_appsettings()
    {
        var file = new Dictionary<string, string> { ["DeviceId"] = "from-file", ["MotorPin"] = "5", ["I2cBus"] = "4" };
        var env = new Dictionary<string, string> { ["POSTURESENSE_MOTOR_PIN"] = "6", ["POSTURESENSE_I2C_BUS"] = "7" };

        var settings = AgentCommandLine.Parse(["--i2c-bus", "8"], Sources(env, file));

        Assert.Equal(("from-file", 6, 8), (settings.DeviceId.Value, settings.MotorPin, settings.I2cBus));
    }

    [Fact]
    public void The_outbox_defaults_to_a_system_folder_on_the_hardware_and_a_folder_per_device_for_a_simulation()
    {
        var hardware = Parse("--device-id", "desk-1");
        var sim = Parse("--device-id", "desk-1", "--sim", "walking");

        Assert.Equal(("/var/lib/posturesense-agent", 86_400, 20.0), (hardware.DataDirectory, hardware.OutboxMaxFrames, hardware.ReplayRate));
        Assert.EndsWith(Path.Combine("posturesense-agent", "desk-1"), sim.DataDirectory);
        Assert.NotEqual(Parse("--device-id", "desk-2", "--sim", "walking").DataDirectory, sim.DataDirectory);
        Assert.Null(sim.SimStart);
    }

    [Fact]
    public void The_outbox_and_simulation_start_options_are_read_from_everywhere()
    {
        var settings = Parse("--device-id", "desk-1", "--sim", "walking", "--sim-start", "2026-01-05T09:00:00+01:00",
            "--data-dir", "/srv/ps", "--outbox-max-frames", "172800", "--replay-rate", "5");
        Assert.Equal((new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), "/srv/ps", 172_800, 5.0),
            (settings.SimStart!.Value.ToUniversalTime(), settings.DataDirectory, settings.OutboxMaxFrames, settings.ReplayRate));

        var env = new Dictionary<string, string> { ["POSTURESENSE_DATA_DIR"] = "/from/env", ["POSTURESENSE_REPLAY_RATE"] = "7" };
        var file = new Dictionary<string, string> { ["DataDir"] = "/from/file", ["OutboxMaxFrames"] = "1000" };
        var layered = AgentCommandLine.Parse(["--device-id", "desk-1"], Sources(env, file));
        Assert.Equal(("/from/env", 1000, 7.0), (layered.DataDirectory, layered.OutboxMaxFrames, layered.ReplayRate));
    }

    [Fact]
    public void A_simulation_can_start_on_a_wrong_clock_that_network_time_sets_later()
    {
        var settings = Parse("--device-id", "desk-1", "--sim", "walking", "--sim-clock-offset", "-36000", "--sim-clock-sync-after", "120");
        Assert.Equal((TimeSpan.FromHours(-10), TimeSpan.FromMinutes(2)), (settings.SimClockOffset, settings.SimClockSyncAfter));

        var right = Parse("--device-id", "desk-1", "--sim", "walking");
        Assert.Equal((null, null), (right.SimClockOffset, right.SimClockSyncAfter));

        var error = Assert.Throws<OptionsException>(() => Parse("--device-id", "desk-1", "--sim", "walking", "--sim-clock-sync-after", "120"));
        Assert.Contains("only applies with --sim-clock-offset", error.Message);
        error = Assert.Throws<OptionsException>(() => Parse("--device-id", "desk-1", "--sim", "walking", "--sim-clock-offset", "-9999999"));
        Assert.Contains("30 days", error.Message);
    }

    [Fact]
    public void An_option_takes_its_value_after_a_space_or_an_equals_sign()
    {
        var settings = Parse("--device-id=desk-1", "--mqtt=mqtt://broker:1884", "--motor-pwm=0:1", "--i2c-address", "0x69");
        Assert.Equal(("desk-1", 1884, new PostureSense.Agent.Motor.PwmChannelAddress(0, 1), 0x69),
            (settings.DeviceId.Value, settings.Broker.Port, settings.MotorPwm, settings.I2cAddress));
    }

    [Fact]
    public void Every_problem_is_listed_in_one_line()
    {
        var error = Assert.Throws<OptionsException>(() => Parse("--mqtt", "http://h", "--i2c-bus", "300", "--button-pin", "64"));
        Assert.Contains("--device-id is required", error.Message);
        Assert.Contains("not an mqtt:// or mqtts:// URL", error.Message);
        Assert.Contains("--i2c-bus '300' must be a whole number from 0 to 255", error.Message);
        Assert.Contains("--button-pin '64' must be a whole number from 0 to 63", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_pi_agent_knows_nothing_of_the_simulation_and_the_simulated_one_needs_a_scenario()
    {
        var onThePi = Assert.Throws<OptionsException>(() => AgentCommandLine.Parse(["--device-id", "d", "--sim", "walking"], Sources([])));
        Assert.Contains("unknown option '--sim'", onThePi.Message);
        var noScenario = Assert.Throws<OptionsException>(() => AgentCommandLine.Parse(["--device-id", "d"], Sources([]), simulated: true));
        Assert.Contains("--sim is required", noScenario.Message);
        // The environment does not reach the Pi agent's simulation either.
        var env = new Dictionary<string, string> { ["POSTURESENSE_SIM"] = "walking" };
        Assert.Null(AgentCommandLine.Parse(["--device-id", "d"], Sources(env)).Sim);
        // Nor does an appsettings.json shared with the simulated agent.
        var shared = new Dictionary<string, string> { ["Sim"] = "walking", ["Speed"] = "60" };
        var fromFile = AgentCommandLine.Parse(["--device-id", "d"], Sources([], shared));
        Assert.Equal((null, 1.0), (fromFile.Sim, fromFile.Speed));
    }

    [Fact]
    public void Help_is_generated_from_the_options_of_each_program()
    {
        Assert.True(Parse("--help").Help);
        var pi = AgentCommandLine.HelpText(simulated: false);
        var simulated = AgentCommandLine.HelpText(simulated: true);
        foreach (var option in new[] { "--device-id", "--mqtt", "--mqtt-ca", "--data-dir", "--outbox-max-frames", "--replay-rate", "--i2c-bus", "--i2c-address", "--motor-pin", "--motor-pwm", "--button-pin" })
        {
            Assert.Contains(option, pi);
            Assert.Contains(option, simulated);
        }
        Assert.Contains("POSTURESENSE_MOTOR_PWM", pi);
        Assert.DoesNotContain("--sim", pi);
        Assert.Contains("--sim-start", simulated);
    }
}
