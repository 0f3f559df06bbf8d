using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>
/// The server's embedded broker opened to the network as an operator does it: certificates from
/// the shipped make-certs.sh, <c>--broker-listen mqtts://</c>. A device over TLS is stored; a plain
/// listener beyond loopback and a key that is not the certificate's stop the server at start with
/// one line and exit code 2.
/// </summary>
public sealed class EmbeddedTlsBrokerTests : IAsyncLifetime
{
    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-embedded-tls-").FullName;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    string Certs => Path.Combine(_dir, "certs");
    static string ServerDll => Path.Combine(AppContext.BaseDirectory, "PostureSense.Server.dll");

    public async ValueTask InitializeAsync()
    {
        ServerProcess.Require("openssl", "apt-get install openssl");
        var start = new ProcessStartInfo("sh", [Path.Combine(AppContext.BaseDirectory, "deploy", "mosquitto", "make-certs.sh"), "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CERT_DIR"] = Certs;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"make-certs.sh failed ({process.ExitCode}): {await stdout}{stderr}");
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_device_over_the_tls_listener_is_stored()
    {
        await using var server = await PostureServerProcess.StartAsync(null, "sqlite:" + Path.Combine(_dir, "server.db"), Ct,
            "--broker-listen", "mqtts://127.0.0.1:0,mqtt://127.0.0.1:0", "--broker-cert", Path.Combine(Certs, "server.pem"),
            "--broker-key", Path.Combine(Certs, "server.key"), "--allow-unprovisioned-devices");
        var ready = server.Output.Split('\n').Last(l => l.Contains("MQTT over TLS 127.0.0.1:", StringComparison.Ordinal));
        var port = int.Parse(ready.Split("MQTT over TLS 127.0.0.1:")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);

        using var device = new MqttClientFactory().CreateMqttClient();
        var trust = new BrokerTrust(BrokerTrust.LoadCa(Path.Combine(Certs, "ca.pem")));
        await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("desk-a")
            .WithTimeout(MqttTestClient.Wait).WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(trust.Validate)).Build(), Ct);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var frames = Enumerable.Range(0, 5).Select(i => new PostureFrame(start + i * 1000L, 12, -2, 0.01, 0)).ToList();
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(DeviceId.Parse("desk-a"), Topics.Telemetry))
            .WithPayload(WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, 1, frames)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

        using var http = await server.OperatorClientAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await http.GetFromJsonAsync<JsonElement>("/api/stats", Ct)).GetProperty("framesStored").GetInt64() != frames.Count)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the device's frames were not stored:\n" + server.Output);
            await Task.Delay(100, Ct);
        }
    }

    [Theory]
    [InlineData("plain", "would let devices' passwords cross the network in clear")]
    [InlineData("wrong-key", "is not the key of the certificate in --broker-cert")]
    public async Task A_bad_listener_stops_the_server_at_start_with_one_line_and_exit_code_2(string what, string expected)
    {
        string[] listen = what == "plain"
            ? ["--broker-listen", "mqtt://0.0.0.0:1883"]
            : ["--broker-listen", "mqtts://127.0.0.1:0", "--broker-cert", Path.Combine(Certs, "server.pem"), "--broker-key", Path.Combine(Certs, "ca.key")];
        var start = new ProcessStartInfo("dotnet", [ServerDll, "--store", "sqlite:" + Path.Combine(_dir, "refused.db"), .. listen])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("posturesense-server: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr + await stdout);
    }
}
