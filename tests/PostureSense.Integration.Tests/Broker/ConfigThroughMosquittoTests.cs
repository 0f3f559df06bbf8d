using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts.Settings;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Server.Settings;
using PostureSense.Storage;

namespace PostureSense.Integration.Tests.Broker;

/// <summary>
/// A wearer's saved settings reach their device through mosquitto with the shipped ACL: the server
/// (its own broker user) may write the retained config, and the device (user = its id) reads it on
/// connect, even when it connects long after the save.
/// </summary>
public sealed class ConfigThroughMosquittoTests
{
    [Fact(Timeout = 120_000)]
    public async Task Saved_settings_are_retained_on_mosquitto_for_the_device_to_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var users = new Dictionary<string, string> { ["posturesense-server"] = "server-pw", ["desk-a"] = "pw-a" };
        await using var broker = await MosquittoServer.StartAsync(users, cancellationToken: ct);
        var folder = Directory.CreateTempSubdirectory("posturesense-config-it-");
        try
        {
            var options = new ServerOptions
            {
                Mqtt = MqttBrokerAddress.Parse($"mqtt://posturesense-server:server-pw@127.0.0.1:{broker.Port}"),
                Store = StoreLocation.Parse("sqlite:" + Path.Combine(folder.FullName, "posture.db")),
                Http = new HttpEndpoint(IPAddress.Loopback, 0),
                Management = new HttpEndpoint(IPAddress.Loopback, 0),
            };
            await using var server = new PostureServer(options, TimeProvider.System, NullLoggerFactory.Instance);
            await server.StartAsync(ct);
            var services = server;
            var wearer = (await services.Accounts.SignUpAsync("wearer@example.org", "long enough pass", ct)).Wearer!;
            Assert.True((await services.Accounts.AssignAsync(wearer.Id, "desk-a", ct)).Succeeded);
            var published = new TaskCompletionSource<DeviceConfig>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.ConfigSync.Published += (id, config) => { if (config.Strength == 55) published.TrySetResult(config); };

            var settings = WearerSettings.Parse("""{"coaching":{"vibrationStrength":55,"sittingLimitS":2400,"quietStart":"21:00"}}""", out var error)!;
            Assert.Null(error);
            Assert.NotNull((await services.Settings.SaveAsync(wearer.Id, settings, ct)).Saved);
            await published.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);

            // The device connects afterwards: the broker hands it the retained config.
            await using var device = await MqttTestClient.ConnectAsync(broker, "desk-a", "pw-a");
            Assert.Equal(MQTTnet.MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(Topics.For(DeviceId.Parse("desk-a"), Topics.Config)));
            var (topic, payload) = await device.NextAsync();

            Assert.Equal("posturesense/v1/desk-a/config", topic);
            var config = WireFormat.ParseConfig(System.Text.Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow);
            Assert.True(config.Ok, config.Error);
            Assert.Equal(55, config.Value!.VibrationStrength);
            Assert.Equal(2400, config.Value.SittingLimitS);
            Assert.Equal("21:00", config.Value.QuietStart);
            Assert.DoesNotContain("Refused", broker.Log, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            try { folder.Delete(recursive: true); }
            catch (IOException) { }
        }
    }
}
