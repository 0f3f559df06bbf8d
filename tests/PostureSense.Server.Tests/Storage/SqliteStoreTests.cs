using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Storage;

public sealed class SqliteStoreTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _clock = new(TestFrames.Morning);
    SqliteStore _store = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();

    public async ValueTask InitializeAsync() => _store = await SqliteStore.OpenAsync(_dir.File("store.db"), _clock, Ct);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_frame_stored_twice_leaves_one_point_with_the_latest_values()
    {
        var frame = new PostureFrame(T0, 24.6, -3.1, 0.012, 0);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), [frame], Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), [frame with { Pitch = 25.0 }], Ct);

        var read = await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0 - 1000, T0 + 1000, Ct);

        Assert.Equal([frame with { Pitch = 25.0 }], read);
    }

    [Fact]
    public async Task A_batch_delivered_twice_changes_nothing()
    {
        var frames = TestFrames.Run(T0, 60, pitch: 10);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), frames, Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), frames, Ct);

        Assert.Equal(frames, await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 60_000, Ct));
    }

    [Fact]
    public async Task Reads_a_range_of_one_device_in_time_order_from_inclusive_to_exclusive()
    {
        var day = TestFrames.Run(T0, 10, pitch: 5);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), day[5..], Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), day[..5], Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-2"), TestFrames.Run(T0, 10, pitch: 40), Ct);

        var read = await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0 + 2000, T0 + 7000, Ct);

        Assert.Equal(day[2..7], read);
    }

    [Fact]
    public async Task Stores_prompts_and_acks_and_finds_the_last_prompt_per_reason()
    {
        var hunch1 = new PromptRecord(DeviceId.Parse("desk-1"), "c-1", T0, PromptReason.Hunch, "cat-cow", "double", T0 - 300_000);
        var sitting = new PromptRecord(DeviceId.Parse("desk-1"), "c-2", T0 + 1000, PromptReason.Sitting, "superman", "long", T0 - 1_800_000);
        var hunch2 = new PromptRecord(DeviceId.Parse("desk-1"), "c-3", T0 + 2000, PromptReason.Hunch, "thread-the-needle", "double", T0 + 1000);
        foreach (var p in new[] { hunch2, hunch1, sitting }) await _store.WritePromptAsync(p, Ct);
        await _store.WriteAckAsync(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Received, T0 + 100), Ct);
        await _store.WriteAckAsync(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Done, T0 + 90_000), Ct);
        await _store.WriteAckAsync(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Done, T0 + 90_000), Ct);

        Assert.Equal([hunch1, sitting, hunch2], await _store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
        Assert.Equal(hunch2, await _store.LastPromptAsync(DeviceId.Parse("desk-1"), PromptReason.Hunch, Ct));
        Assert.Equal(sitting, await _store.LastPromptAsync(DeviceId.Parse("desk-1"), PromptReason.Sitting, Ct));
        Assert.Null(await _store.LastPromptAsync(DeviceId.Parse("desk-2"), PromptReason.Hunch, Ct));
        var acks = await _store.ReadAcksAsync(DeviceId.Parse("desk-1"), T0, T0 + 100_000, Ct);
        Assert.Equal(["received", "done"], acks.Select(a => a.Status));
    }

    [Fact]
    public async Task A_stretch_the_device_watched_keeps_its_exercise_reps_and_holds()
    {
        await _store.WriteAckAsync(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Done, T0, "superman", 3, [4.5, 5, 4.25]), Ct);
        await _store.WriteAckAsync(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Received, T0 - 1000), Ct);

        var acks = await _store.ReadAcksAsync(DeviceId.Parse("desk-1"), T0 - 5000, T0 + 5000, Ct);

        Assert.Null(acks[0].Reps);
        Assert.Null(acks[0].HoldsS);
        Assert.Equal(("superman", 3), (acks[1].Exercise, acks[1].Reps));
        Assert.Equal([4.5, 5, 4.25], acks[1].HoldsS!);
    }

    [Fact]
    public async Task A_file_from_before_stretch_details_opens_keeps_its_acks_and_stores_new_ones_in_full()
    {
        var path = _dir.File("older.db");
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            await using var cmd = old.CreateCommand();
            cmd.CommandText = $"""
                CREATE TABLE acks (device_id TEXT NOT NULL, command_id TEXT NOT NULL, status TEXT NOT NULL, ts INTEGER NOT NULL,
                  PRIMARY KEY (device_id, command_id, status));
                INSERT INTO acks VALUES ('desk-1', 'c-old', 'done', {T0});
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        await using var store = await SqliteStore.OpenAsync(path, _clock, Ct);
        await store.WriteAckAsync(new AckRecord(DeviceId.Parse("desk-1"), "c-new", CommandAck.Statuses.Done, T0 + 1, "cat-cow", 8), Ct);

        var acks = await store.ReadAcksAsync(DeviceId.Parse("desk-1"), T0, T0 + 10, Ct);
        Assert.Equal(new AckRecord(DeviceId.Parse("desk-1"), "c-old", "done", T0), acks[0]);
        Assert.Equal(new AckRecord(DeviceId.Parse("desk-1"), "c-new", "done", T0 + 1, "cat-cow", 8), acks[1]);
    }

    [Fact]
    public async Task Devices_are_recognised_on_first_write_with_their_latest_status_and_frame()
    {
        await _store.WriteStatusAsync(DeviceId.Parse("desk-2"), new DeviceStatus(1, true, "1.0.0", true, T0), T0 + 5, Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), TestFrames.Run(T0, 3, pitch: 1), Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), TestFrames.Run(T0 - 60_000, 3, pitch: 1), Ct);
        await _store.WriteStatusAsync(DeviceId.Parse("desk-2"), new DeviceStatus(1, false), T0 + 9, Ct);

        var devices = await _store.ListDevicesAsync(Ct);

        Assert.Equal(["desk-1", "desk-2"], devices.Select(d => d.DeviceId.Value));
        Assert.Equal(T0 + 2000, devices[0].LastFrameTs);
        Assert.Null(devices[0].Status);
        Assert.Equal(new DeviceStatus(1, false), devices[1].Status);
        Assert.Equal(T0 + 9, devices[1].StatusReceivedTs);
        Assert.Equal(T0, devices[1].FirstSeenTs);
        Assert.Null(await _store.GetDeviceAsync(DeviceId.Parse("desk-3"), Ct));
    }

    [Fact]
    public async Task A_device_row_no_device_could_have_written_is_left_out_of_the_list()
    {
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), TestFrames.Run(T0, 3, pitch: 1), Ct);
        await _store.DisposeAsync();
        // As another tool might leave it: an id that breaks the rule, which ingestion would never store.
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.File("store.db")};Pooling=False"))
        {
            await other.OpenAsync(Ct);
            await using var cmd = other.CreateCommand();
            cmd.CommandText = $"INSERT INTO devices (device_id, first_seen_ts) VALUES ('Desk 1', {T0})";
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        _store = await SqliteStore.OpenAsync(_dir.File("store.db"), _clock, Ct);

        Assert.Equal(["desk-1"], (await _store.ListDevicesAsync(Ct)).Select(d => d.DeviceId.Value));
        Assert.True(_store.HeldBeforeOpen(DeviceId.Parse("desk-1")));
    }

    [Fact]
    public async Task Reopening_the_file_keeps_everything_and_the_schema_is_idempotent()
    {
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), TestFrames.Run(T0, 5, pitch: 12), Ct);
        await _store.DisposeAsync();

        _store = await SqliteStore.OpenAsync(_dir.File("store.db"), _clock, Ct);

        Assert.Equal(5, (await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 5000, Ct)).Count);
    }
}
