using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Configuration;

public sealed class ServerOptionsTests
{
    static ServerOptions Load(params string[] args) => ServerOptionsLoader.Load(args, Path.GetTempPath());

    [Fact]
    public void Defaults_are_the_embedded_broker_a_local_sqlite_file_and_loopback_http()
    {
        var options = new ServerOptions();

        Assert.Null(options.Mqtt);
        Assert.Equal(1883, options.EmbeddedBrokerPort);
        Assert.Equal(IPAddress.Loopback, options.EmbeddedBrokerAddress);
        Assert.Equal("sqlite:posturesense.db", options.Store.ToString());
        Assert.Equal("http://127.0.0.1:8080", options.Http.ToString());
    }

    [Fact]
    public void Reads_all_three_options_in_both_spellings()
    {
        var options = Load("--mqtt", "mqtt://user:p%40ss@broker.local:1884", "--store=sqlite:/var/lib/ps/data.db", "--http", "http://0.0.0.0:0");

        Assert.Equal(new MqttBrokerAddress("broker.local", 1884, "user", "p@ss"), options.Mqtt);
        Assert.Equal("mqtt://user@broker.local:1884", options.Mqtt!.ToString());
        Assert.Equal(new StoreLocation(StoreKind.Sqlite, "/var/lib/ps/data.db"), options.Store);
        Assert.Equal(new HttpEndpoint(IPAddress.Any, 0), options.Http);
    }

    [Fact]
    public void An_mqtts_broker_takes_the_port_8883_and_a_private_ca_from_a_pem_file()
    {
        using var dir = new TempDirectory();
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var ca = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Broker CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(dir.File("ca.pem"), ca.ExportCertificatePem());

        var options = Load("--mqtt", "mqtts://posturesense-server:secret@broker.example.org", "--mqtt-ca", dir.File("ca.pem"));

        Assert.Equal(new MqttBrokerAddress("broker.example.org", 8883, "posturesense-server", "secret", Tls: true), options.Mqtt);
        Assert.Equal("CN=Broker CA", Assert.Single(options.MqttCa!).Subject);
        Assert.Null(Load("--mqtt", "mqtts://broker.example.org").MqttCa);
    }

    [Fact]
    public void The_embedded_broker_refuses_unprovisioned_devices_unless_told_and_takes_a_maximum_packet_size()
    {
        Assert.False(Load().AllowUnprovisionedDevices);
        Assert.Equal(32 * 1024, Load().EmbeddedBrokerMaxPacketSize);
        var trial = Load("--allow-unprovisioned-devices", "--mqtt-max-packet", "65536");
        Assert.True(trial.AllowUnprovisionedDevices);
        Assert.Equal(65536, trial.EmbeddedBrokerMaxPacketSize);
    }

    [Theory]
    [InlineData(new[] { "--mqtt-max-packet", "1024" }, "--mqtt-max-packet '1024' must be from 17408 to 16777216 bytes")]
    [InlineData(new[] { "--mqtt", "mqtt://broker.local", "--mqtt-max-packet", "65536" }, "--mqtt-max-packet applies to the embedded broker only")]
    [InlineData(new[] { "--mqtt", "mqtt://broker.local", "--allow-unprovisioned-devices" }, "--allow-unprovisioned-devices applies to the embedded broker only")]
    public void The_embedded_brokers_options_are_refused_out_of_range_or_with_an_external_broker(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<OptionsException>(() => Load(args)).Message);
    }

    [Theory]
    [InlineData(new[] { "--mqtt", "mqtt://broker.local", "--mqtt-ca", "/etc/ca.pem" }, "--mqtt-ca only applies to a TLS broker (mqtts://), not mqtt://broker.local:1883")]
    [InlineData(new[] { "--mqtt-ca", "/etc/ca.pem" }, "--mqtt-ca only applies to an external TLS broker")]
    [InlineData(new[] { "--mqtt", "mqtts://broker.local", "--mqtt-ca", "/no/such/ca.pem" }, "--mqtt-ca '/no/such/ca.pem' cannot be read")]
    public void A_ca_certificate_needs_a_tls_broker_and_a_readable_file(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<OptionsException>(() => Load(args)).Message);
    }

    [Theory]
    [InlineData("mqtt://posturesense-server:s3cret-pw@broker.local/ingest")]
    [InlineData("mqtt://posturesense-server:s3cret-pw@broker.local:99999")]
    [InlineData("http://posturesense-server:s3cret-pw@broker.local")]
    public void A_bad_broker_url_is_named_without_its_password(string url)
    {
        var error = Assert.Throws<OptionsException>(() => Load("--mqtt", url)).Message;

        Assert.StartsWith("--mqtt '", error);
        Assert.Contains("posturesense-server:***@broker.local", error);
        Assert.DoesNotContain("s3cret-pw", error);
    }

    [Fact]
    public void The_app_database_sits_beside_a_sqlite_store_and_in_the_working_directory_beside_influxdb()
    {
        Assert.Equal("/var/lib/ps/data-app.db", Load("--store", "sqlite:/var/lib/ps/data.db").AppDatabasePath);
        Assert.Equal("/var/lib/ps/data-app-keys", Load("--store", "sqlite:/var/lib/ps/data.db").KeysDirectory);
        Assert.Equal("posturesense-app.db", Load("--store", "influxdb://127.0.0.1:8086/posturesense").AppDatabasePath);
        Assert.Equal("/srv/accounts.db", Load("--app-db", "/srv/accounts.db").AppDatabasePath);
    }

    [Fact]
    public void Sign_up_and_the_public_url_are_read_and_checked()
    {
        var options = Load("--signup", "closed", "--public-url", "https://posture.example.org/base");
        Assert.False(options.SignUpOpen);
        Assert.Equal("https://posture.example.org/base/", options.PublicUrl!.AbsoluteUri);
        Assert.True(Load().SignUpOpen);
        Assert.Null(Load().PublicUrl);

        Assert.Contains("--signup 'maybe' must be open or closed", Assert.Throws<OptionsException>(() => Load("--signup", "maybe")).Message);
        Assert.Contains("--public-url 'ftp://x' must be an http:// or https:// URL",
            Assert.Throws<OptionsException>(() => Load("--public-url", "ftp://x")).Message);
        Assert.Contains("must be an http:// or https:// URL",
            Assert.Throws<OptionsException>(() => Load("--public-url", "https://host/?q=1")).Message);
    }

    [Fact]
    public void A_share_group_subscribes_through_shared_subscriptions_of_an_external_broker()
    {
        var options = Load("--mqtt", "mqtt://broker.local", "--mqtt-share", "ingest");

        Assert.Equal("ingest", options.MqttShareGroup);
        Assert.All(PostureSense.Server.Ingestion.IngestionPipeline.SubscriptionsFor(options.MqttShareGroup),
            filter => Assert.StartsWith("$share/ingest/posturesense/v1/+/", filter));
    }

    [Fact]
    public void A_share_group_without_an_external_broker_is_refused()
    {
        var error = Assert.Throws<OptionsException>(() => Load("--mqtt-share", "ingest"));
        Assert.Contains("--mqtt-share needs an external broker", error.Message);
    }

    [Fact]
    public void Each_server_of_a_group_can_have_its_own_client_id()
    {
        Assert.Equal("posturesense-server", Load().ClientId);
        Assert.Equal("posturesense-server-b", Load("--mqtt", "mqtt://broker.local", "--mqtt-client-id", "posturesense-server-b").ClientId);
        var error = Assert.Throws<OptionsException>(() => Load("--mqtt-client-id", "two words"));
        Assert.Contains("--mqtt-client-id 'two words' must be 1 to 64 letters", error.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("all+")]
    [InlineData("#")]
    public void A_share_group_must_be_one_topic_level(string group)
    {
        var error = Assert.Throws<OptionsException>(() => Load("--mqtt", "mqtt://broker.local", "--mqtt-share", group));
        Assert.Contains($"--mqtt-share '{group}' must be one topic level", error.Message);
    }

    [Fact]
    public void An_mqtt_url_without_a_port_uses_1883()
    {
        Assert.Equal(new MqttBrokerAddress("10.0.0.5", 1883), MqttBrokerAddress.Parse("mqtt://10.0.0.5"));
    }

    [Theory]
    [InlineData("--store", "influxdb3://localhost:8086/posture", "unknown scheme 'influxdb3'")]
    [InlineData("--store", "posture.db", "no scheme")]
    [InlineData("--store", "sqlite:", "no file path")]
    [InlineData("--mqtt", "tcp://host:1883", "not an mqtt:// or mqtts:// URL")]
    [InlineData("--mqtt", "mqtt://host:99999", "not an mqtt:// or mqtts:// URL")]
    [InlineData("--http", "https://127.0.0.1:8443", "not an http:// URL")]
    [InlineData("--http", "http://dashboard.example:80", "use an IP address")]
    [InlineData("--http", "http://127.0.0.1:8080/dash", "has a path")]
    [InlineData("--verbose", "yes", "unknown option '--verbose'")]
    public void Bad_values_give_a_one_line_error_naming_the_option(string option, string value, string expected)
    {
        var error = Assert.Throws<OptionsException>(() => Load(option, value));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_option_without_its_value_is_an_error()
    {
        Assert.Contains("needs a value", Assert.Throws<OptionsException>(() => Load("--http")).Message);
    }

    [Fact]
    public void Every_bad_value_is_named_at_once()
    {
        var error = Assert.Throws<OptionsException>(() => Load("--store", "posture.db", "--http", "https://127.0.0.1:8443", "--signup", "maybe", "--verbose"));

        Assert.Contains("unknown option '--verbose'", error.Message);
        Assert.Contains("--store 'posture.db' has no scheme", error.Message);
        Assert.Contains("--http 'https://127.0.0.1:8443' is not an http:// URL", error.Message);
        Assert.Contains("--signup 'maybe' must be open or closed", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_alert_allowlist_is_read_from_the_command_line_and_appsettings_and_checked()
    {
        var loopback = IPAddress.Loopback;
        Assert.True(Load().AlertDelivery.Allow.IsEmpty);
        var allow = Load("--alert-allow", "ntfy.lan:8080, 192.168.1.0/24,[fd00::5]:80").AlertDelivery.Allow;
        Assert.True(allow.Allows("NTFY.lan", 8080, IPAddress.Parse("192.168.7.7")));
        Assert.False(allow.Allows("ntfy.lan", 80, IPAddress.Parse("192.168.7.7")));
        Assert.True(allow.Allows("hooks.lan", 443, IPAddress.Parse("192.168.1.44")));
        Assert.True(allow.Allows("hooks.lan", 443, IPAddress.Parse("::ffff:192.168.1.44")));
        Assert.True(allow.Allows("fd00::5", 80, IPAddress.Parse("fd00::5")));
        Assert.False(allow.Allows("localhost", 8080, loopback));

        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"PostureSense":{"AlertAllow":"127.0.0.1:2586"}}""");
        Assert.True(ServerOptionsLoader.Load([], dir.Path).AlertDelivery.Allow.Allows("127.0.0.1", 2586, loopback));

        var error = Assert.Throws<OptionsException>(() => Load("--alert-allow", "ntfy.lan:http,10.0.0.1/8"));
        Assert.Contains("--alert-allow: 'ntfy.lan:http' is not a host[:port], an IP address[:port] or a CIDR range", error.Message);
    }

    [Fact]
    public void Sign_up_closed_in_appsettings_is_reopened_from_the_command_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"PostureSense":{"Signup":"closed"}}""");

        Assert.False(ServerOptionsLoader.Load([], dir.Path).SignUpOpen);
        Assert.True(ServerOptionsLoader.Load(["--signup=open"], dir.Path).SignUpOpen);
    }

    [Fact]
    public void A_configuration_built_elsewhere_is_read_from_its_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PostureSense:Signup"] = "closed", ["PostureSense:Http"] = "http://127.0.0.1:9090" })
            .Build();
        var options = ServerOptionsLoader.FromConfiguration(configuration);
        Assert.False(options.SignUpOpen);
        Assert.Equal(9090, options.Http.Port);

        configuration["PostureSense:Store"] = "posture.db";
        Assert.StartsWith("PostureSense:Store 'posture.db' has no scheme",
            Assert.Throws<OptionsException>(() => ServerOptionsLoader.FromConfiguration(configuration)).Message);
    }

    [Fact]
    public void Appsettings_in_the_given_directory_are_read_and_the_command_line_wins()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"PostureSense":{"Store":"sqlite:from-file.db","Mqtt":"mqtt://127.0.0.1:1999"}}""");

        var options = ServerOptionsLoader.Load(["--store", "sqlite:from-args.db"], dir.Path);

        Assert.Equal("sqlite:from-args.db", options.Store.ToString());
        Assert.Equal(1999, options.Mqtt!.Port);
    }

    [Fact]
    public void A_bad_value_in_appsettings_is_named_as_such()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("appsettings.json"), """{"PostureSense":{"Http":"http://127.0.0.1:80800"}}""");

        var error = Assert.Throws<OptionsException>(() => ServerOptionsLoader.Load([], dir.Path));

        Assert.StartsWith("appsettings.json PostureSense:Http 'http://127.0.0.1:80800'", error.Message);
    }

    [Theory]
    [InlineData(new[] { "--store", "mongodb://x" }, null,
        "posturesense-server: --store 'mongodb://x' has the unknown scheme 'mongodb'; supported: sqlite:PATH, influxdb[s]://[user:pass@]host:port/DATABASE, influxdb2[s]://host:port/?org=ORG&bucket=BUCKET&token=TOKEN")]
    [InlineData(new[] { "--verbose" }, null, "posturesense-server: unknown option '--verbose'")]
    [InlineData(new string[0], "mongodb://x",
        "posturesense-server: POSTURESENSE_STORE 'mongodb://x' has the unknown scheme 'mongodb'; supported: sqlite:PATH, influxdb[s]://[user:pass@]host:port/DATABASE, influxdb2[s]://host:port/?org=ORG&bucket=BUCKET&token=TOKEN")]
    public async Task The_program_exits_with_2_and_one_line_on_a_bad_value(string[] args, string? storeVariable, string expected)
    {
        var (code, _, stderr) = await RunAsync(args, storeVariable);

        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.Trim());
    }

    [Fact]
    public async Task Help_is_generated_from_the_options()
    {
        var (code, stdout, _) = await RunAsync(["--help"], null);

        Assert.Equal(0, code);
        Assert.Contains("--mqtt-share <GROUP>", stdout);
        Assert.Contains("[POSTURESENSE_PUBLIC_URL]", stdout);
    }

    static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, string? storeVariable)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PostureSense.Server.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["POSTURESENSE_STORE"] = storeVariable;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, stderr);
    }
}
