using System.Net.Http.Json;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// The wearer snoozes a prompt from their phone, which happened to reach node a, and node a dies
/// right after: the reminder waits in the cluster, not in a's memory, and comes back once, on the
/// wearer's page on node b.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterSnoozeTests
{
    const string Device = "snooze-desk";
    const string Wearer = "wearer@example.org";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_snooze_taken_by_a_node_that_then_dies_still_comes_back_as_a_reminder()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(Device, path => ClusterAlertTests.CreateAccountsAsync(path, Device), Ct);
        using var wearerOnA = await ClusterAlertTests.SignInAsync(cluster.A, Wearer);
        using var wearerOnB = await ClusterAlertTests.SignInAsync(cluster.B, Wearer);
        using var saved = await wearerOnA.PutAsJsonAsync("/api/settings", new { alerts = new { snoozeMinutes = 1 } }, Ct);
        saved.EnsureSuccessStatusCode();
        await using var pageOnB = await ClusterAlertTests.EventStream.OpenAsync(wearerOnB);

        await cluster.PublishHunchAsync(TimeSpan.FromMinutes(6));
        var command = await cluster.NextPromptAsync("hunch", TimeSpan.FromSeconds(30), Ct);
        var (_, id, alert) = await pageOnB.NextAsync($"the prompt's alert on node b{cluster.Logs}");
        Assert.Equal(command.Id, id);
        Assert.False(alert.GetProperty("reminder").GetBoolean());

        using var snoozed = await wearerOnA.PostAsync($"/api/devices/{Device}/prompts/{command.Id}/snooze", null, Ct);
        snoozed.EnsureSuccessStatusCode();
        await cluster.A.KillAsync();

        // A minute's snooze, plus the time the cluster takes to see a dead and hand b its reminders.
        (_, id, alert) = await pageOnB.NextAsync($"the reminder on node b{cluster.Logs}", TimeSpan.FromMinutes(4));
        Assert.Equal(command.Id, id);
        Assert.True(alert.GetProperty("reminder").GetBoolean());
        Assert.Equal("Reminder: time for a stretch", alert.GetProperty("title").GetString());
        // Once: a second would be here within a retry's minute.
        await Task.Delay(TimeSpan.FromSeconds(70), Ct);
        Assert.False(pageOnB.HasEvent, "the reminder came twice");
    }
}
