using System.Buffers;
using System.Net.Http.Json;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Integration.Tests.Broker;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Two nodes on one app database, both running before the wearer does anything: a claim and a
/// settings change made through node a count on node b at once, without a restart. The wearer's
/// page on b shows the new device's alert, and the grain, wherever it lives, coaches on the new
/// settings: a hunch shorter than the default hold is prompted.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterSyncTests
{
    const string Device = "sync-desk";
    const string DevicePassword = "device-pw";
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "server-pw";
    const string Wearer = "wearer@example.org";
    const string Password = "a long enough password";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_claim_and_settings_saved_on_one_node_count_on_the_other_at_once()
    {
        var users = new Dictionary<string, string> { [Device] = DevicePassword, [ServerUser] = ServerPassword };
        await using var redis = await RedisServer.StartAsync(Ct);
        await using var broker = await MosquittoServer.StartAsync(users, cancellationToken: Ct);
        await using var influx = await InfluxDbServer.StartAsync("posturesense", cancellationToken: Ct);
        using var appDir = new TempDirectory();
        var appDb = appDir.File("app.db");
        var pairingCode = await CreateAccountAsync(appDb);
        var mqtt = $"mqtt://{ServerUser}:{ServerPassword}@127.0.0.1:{broker.Port}";
        var store = $"influxdb://127.0.0.1:{influx.HttpPort}/posturesense";

        var starting = new[] { "a", "b" }.Select(name => PostureServerProcess.StartAsync(mqtt, store, Ct,
            "--mqtt-share", "ingest", "--mqtt-client-id", $"posturesense-server-{name}", "--cluster", redis.Url, "--app-db", appDb)).ToList();
        PostureServerProcess[] nodes;
        try
        {
            nodes = await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) await (await node).DisposeAsync();
            throw;
        }
        await using var a = nodes[0];
        await using var b = nodes[1];

        using var wearerOnA = await ClusterAlertTests.SignInAsync(a, Wearer);
        using var wearerOnB = await ClusterAlertTests.SignInAsync(b, Wearer);
        await using var pageOnB = await ClusterAlertTests.EventStream.OpenAsync(wearerOnB);

        // Both after the nodes read the app database: b learns of them only from a.
        using var claimed = await wearerOnA.PostAsJsonAsync($"/api/devices/{Device}/claim", new { pairingCode }, Ct);
        claimed.EnsureSuccessStatusCode();
        using var saved = await wearerOnA.PutAsJsonAsync("/api/settings", new { coaching = new { hunchHoldS = 60, hunchWindowS = 90 } }, Ct);
        saved.EnsureSuccessStatusCode();
        var logs = () => $"\n--- node a:\n{a.Output}\n--- node b:\n{b.Output}";
        await WaitForAsync(async () => (await wearerOnB.GetStringAsync("/api/me", Ct)).Contains(Device, StringComparison.Ordinal),
            () => $"the device in the wearer's list on node b{logs()}");

        await using var device = await MqttTestClient.ConnectAsync(broker, Device, DevicePassword);
        var commandTopic = Topics.For(DeviceId.Parse(Device), Topics.Command);
        var commands = Channel.CreateUnbounded<DeviceCommand>();
        device.Client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == commandTopic)
                commands.Writer.TryWrite(WireFormat.ParseCommand(e.ApplicationMessage.Payload.ToArray(), DateTimeOffset.UtcNow).Value!);
            return Task.CompletedTask;
        };
        Assert.True((int)await device.SubscribeAsync(commandTopic) <= 2, "the device may read its commands");

        // Two minutes hunched: a prompt on the saved one-minute hold, none on the default five.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        var telemetry = Topics.For(DeviceId.Parse(Device), Topics.Telemetry);
        var seq = 0L;
        foreach (var batch in TestFrames.Run(now - 2 * 60_000, 2 * 60, pitch: 30).Batches(30))
            await device.PublishAsync(telemetry, Encoding.UTF8.GetString(TestFrames.Batch(++seq, batch)));

        using var waitForPrompt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        waitForPrompt.CancelAfter(TimeSpan.FromSeconds(30));
        DeviceCommand command;
        try
        {
            do command = await commands.Reader.ReadAsync(waitForPrompt.Token);
            while (command.Reason != "hunch");
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"no hunch prompt on the saved hold{logs()}");
            throw;
        }

        // Earlier events may come first (another prompt of the run, say): the hunch's alert is the one asked for.
        var (name, id, alert) = await pageOnB.NextAsync($"the alert on node b{logs()}");
        while (id != command.Id) (name, id, alert) = await pageOnB.NextAsync($"the hunch alert on node b{logs()}");
        Assert.Equal(("prompt", Device), (name, alert.GetProperty("deviceId").GetString()));
    }

    /// <summary>The wearer and a provisioned device nobody owns yet; its pairing code.</summary>
    static async Task<string> CreateAccountAsync(string path)
    {
        await using var db = await AppDatabase.OpenAsync(path, Ct);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, Ct);
        Assert.NotNull((await accounts.SignUpAsync(Wearer, Password, Ct)).Wearer);
        return (await accounts.Devices.ProvisionAsync(DeviceId.Parse(Device), cancellationToken: Ct)).PairingCode;
    }

    /// <summary>The notice crosses one-way; a few seconds at most on a busy machine.</summary>
    static async Task WaitForAsync(Func<Task<bool>> condition, Func<string> what)
    {
        for (var tries = 0; tries < 100; tries++)
        {
            if (await condition()) return;
            await Task.Delay(100, Ct);
        }
        Assert.Fail($"timed out waiting for {what()}");
    }
}
