using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Tests.Configuration;

/// <summary>Passwords apart from the URLs: from the environment or a file, never the command line.</summary>
public sealed class ServerSecretsTests
{
    static ServerOptions Load(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ServerOptionsLoader.FromConfiguration(ServerOptionsLoader.Build(args, new SettingsSources
        {
            AppSettingsDirectories = [],
            Environment = name => environment.GetValueOrDefault(name),
        }));

    static string Problem(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Assert.Throws<OptionsException>(() => Load(environment, args)).Message;

    [Fact]
    public void The_broker_and_store_passwords_come_from_the_environment()
    {
        var options = Load(new Dictionary<string, string>
        {
            ["POSTURESENSE_MQTT"] = "mqtt://posturesense-server@mosquitto:1883",
            ["POSTURESENSE_MQTT_PASSWORD"] = "p@ss:word/1",
            ["POSTURESENSE_STORE"] = "influxdb://posturesense-writer@influxdb:8086/posturesense",
            ["POSTURESENSE_STORE_PASSWORD"] = "store secret",
        });

        Assert.Equal(new MqttBrokerAddress("mosquitto", 1883, "posturesense-server", "p@ss:word/1"), options.Mqtt);
        Assert.Equal("store secret", options.Store.Influx!.Password);
        Assert.Equal("posturesense-writer", options.Store.Influx.UserName);
        Assert.DoesNotContain("store secret", options.Store.ToString());
    }

    [Fact]
    public void Password_files_are_read_without_their_final_newline()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("mqtt"), "mqtt-secret\n");
        File.WriteAllText(dir.File("store"), "store-secret\r\n");

        var options = Load(new Dictionary<string, string>(), "--mqtt", "mqtts://posturesense-server@broker.example.org",
            "--mqtt-password-file", dir.File("mqtt"), "--store", "influxdb://writer@127.0.0.1:8086/posturesense",
            "--store-password-file", dir.File("store"));

        Assert.Equal("mqtt-secret", options.Mqtt!.Password);
        Assert.Equal("store-secret", options.Store.Influx!.Password);
    }

    [Fact]
    public void A_password_on_the_command_line_is_refused_without_echoing_it()
    {
        var problem = Problem(new Dictionary<string, string>(), "--mqtt", "mqtt://posturesense-server@broker", "--mqtt-password", "hunter2");

        Assert.Contains("--mqtt-password would show the password in the process list; set POSTURESENSE_MQTT_PASSWORD or give --mqtt-password-file", problem);
        Assert.DoesNotContain("hunter2", problem);
    }

    [Theory]
    [InlineData("mqtt://broker", "POSTURESENSE_MQTT_PASSWORD needs the user in --mqtt")]
    [InlineData("mqtt://server:inline@broker", "--mqtt has a password already; give it once, in POSTURESENSE_MQTT_PASSWORD")]
    public void A_broker_password_needs_a_user_and_no_second_password(string mqtt, string expected)
    {
        var problem = Problem(new Dictionary<string, string> { ["POSTURESENSE_MQTT_PASSWORD"] = "secret" }, "--mqtt", mqtt);

        Assert.Contains(expected, problem);
        Assert.DoesNotContain("inline", problem);
    }

    [Theory]
    [InlineData("sqlite:posturesense.db", "POSTURESENSE_STORE_PASSWORD needs an InfluxDB 1.x store with a user")]
    [InlineData("influxdb://127.0.0.1:8086/posturesense", "POSTURESENSE_STORE_PASSWORD needs the user in --store")]
    public void A_store_password_needs_an_influxdb_user(string store, string expected)
    {
        Assert.Contains(expected, Problem(new Dictionary<string, string> { ["POSTURESENSE_STORE_PASSWORD"] = "secret" }, "--store", store));
    }

    [Fact]
    public void A_missing_or_empty_password_file_is_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("empty"), "\n");

        Assert.Contains($"--store-password-file '{dir.File("empty")}' is empty",
            Problem(new Dictionary<string, string>(), "--store", "influxdb://w@h/db", "--store-password-file", dir.File("empty")));
        Assert.Contains("POSTURESENSE_MQTT_PASSWORD_FILE '/no/such/file' cannot be read",
            Problem(new Dictionary<string, string> { ["POSTURESENSE_MQTT_PASSWORD_FILE"] = "/no/such/file" }, "--mqtt", "mqtt://s@broker"));
    }

    [Theory]
    [InlineData(null, 7 * 24 * 3600)]
    [InlineData("36h", 36 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("30s", 30)]
    [InlineData("14d", 14 * 24 * 3600)]
    public void The_session_expiry_defaults_to_a_week(string? value, int seconds)
    {
        var options = Load(new Dictionary<string, string>(), value is null ? [] : ["--session-expiry", value]);

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.SessionExpiry);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0d")]
    [InlineData("1w")]
    [InlineData("50000d")]
    public void A_session_expiry_without_a_unit_or_out_of_range_is_refused(string value)
    {
        Assert.Contains($"--session-expiry '{value}' must be", Problem(new Dictionary<string, string>(), "--session-expiry", value));
    }
}
