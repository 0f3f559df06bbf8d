using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>
/// deploy/mosquitto as shipped, with its TLS listener and certificates made by its make-certs.sh:
/// devices log in with their passwords over TLS, the server stores what they send, a wrong password
/// is refused and the ACL holds on the TLS listener too.
/// </summary>
public sealed class ShippedTlsBrokerTests : IAsyncLifetime
{
    const string ServerUser = "posturesense-server";
    static readonly Dictionary<string, string> Users = new()
    {
        ["desk-a"] = "desk-a-secret",
        ["desk-b"] = "desk-b-secret",
        [ServerUser] = "server-secret",
    };

    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-shipped-tls-").FullName;
    MosquittoServer _broker = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;
    string Certs => Path.Combine(_dir, "certs");
    string CaFile => Path.Combine(Certs, "ca.pem");

    public async ValueTask InitializeAsync()
    {
        await MakeCertsAsync();
        _broker = await MosquittoServer.StartAsync(Users, cancellationToken: Ct,
            tls: new BrokerTlsFiles(Path.Combine(Certs, "server.pem"), Path.Combine(Certs, "server.key"), CaFile));
        Assert.NotEqual(0, _broker.TlsPort);
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The shipped script, as an operator runs it, for the address the devices dial.</summary>
    async Task MakeCertsAsync(string? client = null)
    {
        ServerProcess.Require("openssl", "apt-get install openssl");
        var script = Path.Combine(AppContext.BaseDirectory, "deploy", "mosquitto", "make-certs.sh");
        string[] args = client is null ? [script, "127.0.0.1", "localhost"] : [script, "--client"];
        var start = new ProcessStartInfo("sh", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CERT_DIR"] = Certs;
        if (client is not null) start.Environment["CLIENT"] = client;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"make-certs.sh failed ({process.ExitCode}): {await stdout}{stderr}");
    }

    Task<(IMqttClient Client, MqttClientConnectResultCode Result)> ConnectDeviceAsync(string device, string password,
        X509Certificate2? clientCertificate = null) => ConnectDeviceAsync(_broker, device, password, clientCertificate);

    async Task<(IMqttClient Client, MqttClientConnectResultCode Result)> ConnectDeviceAsync(MosquittoServer broker, string device, string password,
        X509Certificate2? clientCertificate = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var trust = new BrokerTrust(BrokerTrust.LoadCa(CaFile));
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.TlsPort)
            .WithClientId(device)
            .WithCredentials(device, password)
            .WithTimeout(MqttTestClient.Wait)
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithCertificateValidationHandler(trust.Validate);
                if (clientCertificate is not null) tls.WithClientCertificates(new X509Certificate2Collection(clientCertificate));
            })
            .Build(), Ct);
        return (client, result.ResultCode);
    }

    static MqttApplicationMessage Telemetry(string device, IReadOnlyList<PostureFrame> frames) => new MqttApplicationMessageBuilder()
        .WithTopic(Topics.For(DeviceId.Parse(device), Topics.Telemetry))
        .WithPayload(WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, 1, frames)))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    [Fact]
    public async Task A_device_over_tls_with_its_password_reaches_the_server_which_stores_it()
    {
        await using var server = await PostureServerProcess.StartAsync(
            $"mqtts://{ServerUser}:{Users[ServerUser]}@{_broker.Host}:{_broker.TlsPort}", "sqlite:" + Path.Combine(_dir, "server.db"), Ct,
            "--mqtt-ca", CaFile);
        var (device, connected) = await ConnectDeviceAsync("desk-a", Users["desk-a"]);
        using var _ = device;
        Assert.Equal(MqttClientConnectResultCode.Success, connected);

        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var frames = Enumerable.Range(0, 5).Select(i => new PostureFrame(start + i * 1000L, 12, -2, 0.01, 0)).ToList();
        var published = await device.PublishAsync(Telemetry("desk-a", frames), Ct);
        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);

        // /api/stats is the operator's.
        using var http = await server.OperatorClientAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await http.GetFromJsonAsync<JsonElement>("/api/stats", Ct)).GetProperty("framesStored").GetInt64() != frames.Count)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the device's frames were not stored:\n" + server.Output + _broker.Log);
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task A_wrong_password_over_tls_is_refused()
    {
        var (device, result) = await ConnectDeviceAsync("desk-a", "not-the-password");
        using var _ = device;

        Assert.Contains(result, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
        Assert.False(device.IsConnected);
    }

    [Fact]
    public async Task Over_tls_a_device_cannot_publish_under_another_devices_id()
    {
        await using var server = await MqttTestClient.ConnectAsync(_broker, ServerUser, Users[ServerUser]);
        await server.SubscribeAsync("posturesense/v1/+/telemetry");
        var (device, connected) = await ConnectDeviceAsync("desk-a", Users["desk-a"]);
        using var _ = device;
        Assert.Equal(MqttClientConnectResultCode.Success, connected);
        var frame = new PostureFrame(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 12, -2, 0.01, 0);

        var forged = await device.PublishAsync(Telemetry("desk-b", [frame]), Ct);
        var own = await device.PublishAsync(Telemetry("desk-a", [frame]), Ct);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, own.ReasonCode);
        var received = await server.UntilAsync(Topics.For(DeviceId.Parse("desk-a"), Topics.Telemetry));
        Assert.DoesNotContain(received, m => m.Topic == Topics.For(DeviceId.Parse("desk-b"), Topics.Telemetry));
    }

    [Fact]
    public async Task A_device_may_also_present_a_client_certificate_from_the_ca()
    {
        await MakeCertsAsync(client: "desk-a");
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(Certs, "desk-a.pem"), Path.Combine(Certs, "desk-a.key"));

        var (device, result) = await ConnectDeviceAsync("desk-a", Users["desk-a"], certificate);
        using var _ = device;

        Assert.Equal(MqttClientConnectResultCode.Success, result);
    }

    [Fact]
    public async Task With_client_certificates_made_mandatory_none_or_one_from_another_ca_is_refused()
    {
        // The operator's switch the shipped config names: require_certificate true, nothing else changed.
        var strictDir = Directory.CreateDirectory(Path.Combine(_dir, "strict")).FullName;
        var shippedDir = Path.GetDirectoryName(MosquittoServer.ShippedConfig)!;
        File.Copy(Path.Combine(shippedDir, "acl"), Path.Combine(strictDir, "acl"));
        var config = File.ReadAllText(MosquittoServer.ShippedConfig);
        Assert.Contains("require_certificate false", config, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(strictDir, "mosquitto.conf"),
            config.Replace("require_certificate false", "require_certificate true", StringComparison.Ordinal), Ct);
        await MakeCertsAsync(client: "desk-a");
        await using var strict = await MosquittoServer.StartAsync(Users, Path.Combine(strictDir, "mosquitto.conf"),
            new BrokerTlsFiles(Path.Combine(Certs, "server.pem"), Path.Combine(Certs, "server.key"), CaFile), Ct);
        using var own = X509Certificate2.CreateFromPemFile(Path.Combine(Certs, "desk-a.pem"), Path.Combine(Certs, "desk-a.key"));
        using var foreign = SelfSignedClientCertificate("desk-a");

        Assert.False(await ConnectsAsync(strict, null), "a device without a client certificate got in");
        Assert.False(await ConnectsAsync(strict, foreign), "a client certificate from another CA got in");
        Assert.True(await ConnectsAsync(strict, own), "the device's certificate from the CA was refused:\n" + strict.Log);
    }

    /// <summary>Whether desk-a, with its right password, gets in presenting <paramref name="certificate"/>.</summary>
    async Task<bool> ConnectsAsync(MosquittoServer broker, X509Certificate2? certificate)
    {
        try
        {
            var (client, result) = await ConnectDeviceAsync(broker, "desk-a", Users["desk-a"], certificate);
            using var _ = client;
            return result == MqttClientConnectResultCode.Success && client.IsConnected;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return false; // the TLS handshake was refused
        }
    }

    /// <summary>A certificate for <paramref name="name"/> that signs itself: as if made with another CA.</summary>
    static X509Certificate2 SelfSignedClientCertificate(string name)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Exported and read back: TLS on Linux wants a certificate whose key it can use as loaded from a file.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task The_plain_listener_serves_the_server_on_loopback_alongside()
    {
        await using var server = await MqttTestClient.ConnectAsync(_broker, ServerUser, Users[ServerUser]);

        Assert.True(server.Client.IsConnected);
        Assert.NotEqual(_broker.Port, _broker.TlsPort);
    }
}
