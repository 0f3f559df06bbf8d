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
    const string Wearer = "wearer@example.org";
    const string Password = "a long enough password";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_claim_and_settings_saved_on_one_node_count_on_the_other_at_once()
    {
        string pairingCode = "";
        await using var cluster = await TwoNodeCluster.StartAsync(Device, async path => pairingCode = await CreateAccountAsync(path), Ct);
        var (a, b) = (cluster.A, cluster.B);

        using var wearerOnA = await ClusterAlertTests.SignInAsync(a, Wearer);
        using var wearerOnB = await ClusterAlertTests.SignInAsync(b, Wearer);
        await using var pageOnB = await ClusterAlertTests.EventStream.OpenAsync(wearerOnB);

        // Both after the nodes read the app database: b learns of them only from a.
        using var claimed = await wearerOnA.PostAsJsonAsync($"/api/devices/{Device}/claim", new { pairingCode }, Ct);
        claimed.EnsureSuccessStatusCode();
        using var saved = await wearerOnA.PutAsJsonAsync("/api/settings", new { coaching = new { hunchHoldS = 60, hunchWindowS = 90 } }, Ct);
        saved.EnsureSuccessStatusCode();
        var logs = () => cluster.Logs;
        await WaitForAsync(async () => (await wearerOnB.GetStringAsync("/api/me", Ct)).Contains(Device, StringComparison.Ordinal),
            () => $"the device in the wearer's list on node b{logs()}");

        // Two minutes hunched: a prompt on the saved one-minute hold, none on the default five.
        await cluster.PublishHunchAsync(TimeSpan.FromMinutes(2));
        var command = await cluster.NextPromptAsync("hunch", TimeSpan.FromSeconds(30), Ct);

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
