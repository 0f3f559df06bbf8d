using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.Mqtt.Tls;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>
/// The server against mosquitto with a TLS listener and a password file, started as an operator
/// would: <c>--mqtt mqtts://...</c> and the private CA as <c>--mqtt-ca</c>. It stores what a
/// device sends over TLS, and says plainly why when it cannot trust the broker or log in.
/// </summary>
public sealed class ServerTlsTests : IAsyncLifetime
{
    const string Device = "desk-a";
    const string ServerUser = "posturesense-server";
    static readonly Dictionary<string, string> Users = new() { [Device] = "desk-a-secret", [ServerUser] = "server-secret" };

    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-server-tls-").FullName;
    TlsMosquitto _tls = null!;

    MosquittoServer Broker => _tls.Broker;
    string CaFile => _tls.CaFile;
    string OtherCaFile => _tls.OtherCaFile;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _tls = await TlsMosquitto.StartAsync(Users, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null) await _tls.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    Task<PostureServerProcess> StartServerAsync(string password, string? caFile) =>
        PostureServerProcess.StartAsync($"mqtts://{ServerUser}:{password}@{Broker.Host}:{Broker.Port}",
            "sqlite:" + Path.Combine(_dir, "server.db"), Ct, caFile is null ? [] : ["--mqtt-ca", caFile]);

    [Fact]
    public async Task Over_tls_with_its_password_the_server_stores_a_devices_telemetry()
    {
        await using var server = await StartServerAsync(Users[ServerUser], CaFile);
        Assert.Contains($"Connected to MQTT broker mqtts://{ServerUser}@127.0.0.1:{Broker.Port}", server.Output);

        using var device = new MqttClientFactory().CreateMqttClient();
        var trust = new BrokerTrust(BrokerTrust.LoadCa(CaFile));
        await device.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Host, Broker.Port)
            .WithClientId(Device)
            .WithCredentials(Device, Users[Device])
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(trust.Validate))
            .Build(), Ct);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var frames = Enumerable.Range(0, 5).Select(i => new PostureFrame(start + i * 1000L, 12, -2, 0.01, 0)).ToList();
        await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(DeviceId.Parse(Device), Topics.Telemetry))
            .WithPayload(WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, 1, frames)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), Ct);

        using var http = await server.OperatorClientAsync(Ct);
        await Until(async () => (await http.GetFromJsonAsync<JsonElement>("/api/stats", Ct)).GetProperty("framesStored").GetInt64() == frames.Count,
            "the device's frames to be stored", () => server.Output + Broker.Log);
        Assert.DoesNotContain(Users[ServerUser], server.Output);
    }

    [Theory]
    [InlineData(true, "is not signed by the CA in --mqtt-ca")]
    [InlineData(false, "is not trusted by this system")]
    public async Task A_broker_certificate_the_server_cannot_trust_is_refused_plainly(bool giveOtherCa, string reason)
    {
        await using var server = await StartServerAsync(Users[ServerUser], giveOtherCa ? OtherCaFile : null);

        await Until(() => Task.FromResult(Count(server.Output, reason) >= 2), "two refused handshakes", () => server.Output + Broker.Log);

        Assert.Contains("TLS refused: the broker's certificate (CN=127.0.0.1, issued by CN=PostureSense test CA)", server.Output);
        Assert.DoesNotContain("Connected to MQTT broker", server.Output);
        Assert.DoesNotContain($"as {ServerUser}", Broker.Log); // never logged in, so never sent its password
    }

    [Fact]
    public async Task A_wrong_password_is_said_plainly_and_not_printed()
    {
        await using var server = await StartServerAsync("not-the-password", CaFile);

        await Until(() => Task.FromResult(Count(server.Output, "the broker refused the user name or password") >= 2),
            "two refused logins", () => server.Output + Broker.Log);

        Assert.Contains("check the user and password in --mqtt or POSTURESENSE_MQTT", server.Output);
        Assert.DoesNotContain("not-the-password", server.Output);
    }

    static int Count(string text, string what) => text.Split(what).Length - 1;

    static async Task Until(Func<Task<bool>> condition, string what, Func<string> context)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}:\n{context()}");
            await Task.Delay(100, Ct);
        }
    }
}
