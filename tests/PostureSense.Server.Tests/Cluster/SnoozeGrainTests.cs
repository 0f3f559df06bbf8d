using PostureSense.Core.Contract;
using PostureSense.Server.Alerts;
using PostureSense.Core.History;
using PostureSense.Core.Exercises;
using PostureSense.Server.Cluster.Snooze;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>
/// A snoozed prompt's reminder in a cluster waits in the cluster's reminder table, not in the
/// memory of the node the phone reached, and comes back once unless the stretch was done.
/// </summary>
public sealed class SnoozeGrainTests : IDisposable
{
    static readonly DeviceId Device = DeviceId.Parse("desk-1");
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    static readonly TimeSpan Snooze = TimeSpan.FromSeconds(2);
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static async Task<PromptRecord> StoredPromptAsync(GrainCluster fleet, string commandId)
    {
        var prompt = new PromptRecord(Device, commandId, T0, PromptReason.Hunch, "cat-cow", "double", T0 - 300_000);
        await fleet.Store.WritePromptAsync(prompt, Ct);
        return prompt;
    }

    static ClusterSnoozeReminders RemindersOn(GrainCluster fleet, int node) => new(fleet.Node(node));

    [Fact]
    public async Task A_snoozed_prompt_comes_back_once_as_a_reminder_whichever_node_set_it()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var prompt = await StoredPromptAsync(fleet, "c-snoozed");

        await RemindersOn(fleet, 1).ScheduleAsync(prompt, Snooze, Ct);
        Assert.Empty(fleet.Announced);

        await Eventually.TrueAsync(() => fleet.Announced.Count > 0, "the reminder");
        var alert = Assert.Single(fleet.Announced);
        Assert.Equal((Device, "c-snoozed", true), (alert.DeviceId, alert.CommandId, alert.Reminder));
        // The reminder fires once: it is removed, not left to come back every minute.
        await Task.Delay(Snooze * 2, Ct);
        Assert.Single(fleet.Announced);
    }

    [Fact]
    public async Task A_stretch_done_before_the_reminder_cancels_it_from_another_node()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var done = await StoredPromptAsync(fleet, "c-done");
        var snoozed = await StoredPromptAsync(fleet, "c-still-snoozed");

        await RemindersOn(fleet, 0).ScheduleAsync(done, Snooze, Ct);
        await RemindersOn(fleet, 0).ScheduleAsync(snoozed, Snooze, Ct);
        await RemindersOn(fleet, 2).CancelAsync(Device, "c-done", Ct);

        await Eventually.TrueAsync(() => fleet.Announced.Count > 0, "the other prompt's reminder");
        await Task.Delay(Snooze, Ct);
        Assert.Equal(["c-still-snoozed"], fleet.Announced.Select(a => a.CommandId));
    }

    [Fact]
    public async Task A_reminder_of_a_prompt_done_on_the_device_meanwhile_stays_quiet()
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"));
        var prompt = await StoredPromptAsync(fleet, "c-done-on-device");
        await RemindersOn(fleet, 0).ScheduleAsync(prompt, Snooze, Ct);
        // The wearer did the stretch a minute later and the device said so; nobody pressed "Done" on the phone.
        fleet.Clock.Advance(TimeSpan.FromMinutes(1));
        await fleet.Store.WriteAckAsync(new AckRecord(Device, "c-done-on-device", CommandAck.Statuses.Done, T0 + 60_000), Ct);

        await Task.Delay(Snooze * 3, Ct);
        Assert.Empty(fleet.Announced);
    }

    [Theory]
    [InlineData("desk-1")]
    [InlineData("Not A Device/c-1")]
    [InlineData("desk-1/")]
    public async Task A_key_that_names_no_prompt_is_refused(string key)
    {
        await using var fleet = await GrainCluster.StartAsync(_dir.File("store.db"), silos: 1);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fleet.Node(0).GetGrain<ISnoozeGrain>(key).ScheduleAsync(Snooze));
    }
}
