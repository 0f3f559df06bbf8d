using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;
using PostureSense.Storage.Influx;

namespace PostureSense.Integration.Tests.Storage;

/// <summary><see cref="InfluxStore"/> against a real influxd: what goes in comes back out, exactly.</summary>
public sealed class InfluxStoreTests : IAsyncLifetime
{
    const long T0 = 1_795_478_400_000; // a UTC midnight
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 3_600_000));
    InfluxDbServer _influx = null!;
    InfluxStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _influx = await InfluxDbServer.StartAsync("posture_it", cancellationToken: Ct);
        _store = await Open(_influx);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        if (_influx is not null) await _influx.DisposeAsync();
    }

    Task<InfluxStore> Open(InfluxDbServer influx, InfluxWriterOptions? options = null) =>
        InfluxStore.OpenAsync(InfluxEndpoint.Parse($"influxdb://127.0.0.1:{influx.HttpPort}/{influx.Database}"), _clock,
            options: options ?? new InfluxWriterOptions { FirstDelay = TimeSpan.FromMilliseconds(20), MaxAttempts = 2 }, cancellationToken: Ct);

    static List<PostureFrame> Frames(long start, int count) =>
        Enumerable.Range(0, count).Select(i => new PostureFrame(start + i * 1000L, 24.6 + i % 7 * 0.1, -3.1, 0.012 * (i % 3), i % 4)).ToList();

    [Fact(Timeout = 60_000)]
    public async Task A_stretch_the_device_watched_keeps_its_exercise_reps_and_holds()
    {
        await _store.WriteBatchAsync([
            new AckWrite(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Received, T0 + 100)),
            new AckWrite(new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Done, T0 + 60_000, "thread-the-needle", null, [20.5, 19.75])),
            new AckWrite(new AckRecord(DeviceId.Parse("desk-1"), "c-2", CommandAck.Statuses.Done, T0 + 61_000, "cat-cow", 10)),
        ], Ct);

        var acks = await _store.ReadAcksAsync(DeviceId.Parse("desk-1"), T0, T0 + 100_000, Ct);

        Assert.Equal(new AckRecord(DeviceId.Parse("desk-1"), "c-1", "received", T0 + 100), acks[0]);
        Assert.Equal(("thread-the-needle", (int?)null), (acks[1].Exercise, acks[1].Reps));
        Assert.Equal([20.5, 19.75], acks[1].HoldsS!);
        Assert.Equal(new AckRecord(DeviceId.Parse("desk-1"), "c-2", "done", T0 + 61_000, "cat-cow", 10), acks[2]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Frames_read_back_with_the_same_values_in_order_and_a_batch_written_twice_leaves_one_point_per_ts()
    {
        var frames = Frames(T0, 120);
        IReadOnlyList<StoreWrite> batch = [new FramesWrite(DeviceId.Parse("desk-1"), frames[60..]), new FramesWrite(DeviceId.Parse("desk-1"), frames[..60]),
            new FramesWrite(DeviceId.Parse("desk-2"), Frames(T0, 10))];

        await _store.WriteBatchAsync(batch, Ct);
        await _store.WriteBatchAsync(batch, Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), [frames[5] with { Pitch = 40.5 }], Ct);

        var expected = frames.ToList();
        expected[5] = expected[5] with { Pitch = 40.5 };
        Assert.Equal(expected, await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 120_000, Ct));
        Assert.Equal(expected[10..20], await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0 + 10_000, T0 + 20_000, Ct));
        Assert.Empty(await _store.ReadFramesAsync(DeviceId.Parse("desk-3"), T0, T0 + 120_000, Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Prompts_acks_status_and_devices_round_trip()
    {
        var hunch1 = new PromptRecord(DeviceId.Parse("desk-1"), "c-1", T0, PromptReason.Hunch, "cat-cow", "double", T0 - 300_000);
        var sitting = new PromptRecord(DeviceId.Parse("desk-1"), "c-2", T0 + 1000, PromptReason.Sitting, "superman", "long", T0 - 1_800_000);
        var hunch2 = new PromptRecord(DeviceId.Parse("desk-1"), "c-3", T0 + 2000, PromptReason.Hunch, "thread-the-needle", "double", T0 + 1000);
        foreach (var p in new[] { hunch2, hunch1, sitting }) await _store.WritePromptAsync(p, Ct);
        // Two commands acked in the same millisecond stay two acks; a redelivered ack stays one.
        var acks = new[]
        {
            new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Received, T0 + 100),
            new AckRecord(DeviceId.Parse("desk-1"), "c-2", CommandAck.Statuses.Received, T0 + 100),
            new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Done, T0 + 90_000),
        };
        await _store.WriteBatchAsync([.. acks.Select(a => new AckWrite(a)), new AckWrite(acks[2])], Ct);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var online = new DeviceStatus(1, true, "1.0.0", true, T0 + 5000);
        await _store.WriteBatchAsync([new StatusWrite(DeviceId.Parse("desk-1"), online, T0 + 5100), new FramesWrite(DeviceId.Parse("desk-1"), Frames(T0, 3))], Ct);
        await _store.WriteStatusAsync(DeviceId.Parse("desk-2"), online, T0 + 6000, Ct);
        // The will message after it: the newest status is it alone, not mixed with the fields before.
        await _store.WriteStatusAsync(DeviceId.Parse("desk-2"), new DeviceStatus(1, false), T0 + 7000, Ct);

        Assert.Equal([hunch1, sitting, hunch2], await _store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
        Assert.Equal(hunch2, await _store.LastPromptAsync(DeviceId.Parse("desk-1"), PromptReason.Hunch, Ct));
        Assert.Equal(sitting, await _store.LastPromptAsync(DeviceId.Parse("desk-1"), PromptReason.Sitting, Ct));
        Assert.Null(await _store.LastPromptAsync(DeviceId.Parse("desk-2"), PromptReason.Hunch, Ct));
        Assert.Equal(acks, await _store.ReadAcksAsync(DeviceId.Parse("desk-1"), T0, T0 + 100_000, Ct));

        var firstSeen = T0 + 3_600_000; // the store's clock when desk-1 was first written
        var desk1 = new DeviceRecord(DeviceId.Parse("desk-1"), firstSeen, T0 + 2000, online, T0 + 5100);
        var desk2 = new DeviceRecord(DeviceId.Parse("desk-2"), firstSeen + 10_000, null, new DeviceStatus(1, false), T0 + 7000);
        Assert.Equal([desk1, desk2], await _store.ListDevicesAsync(Ct));
        Assert.Equal(desk1, await _store.GetDeviceAsync(DeviceId.Parse("desk-1"), Ct));
        Assert.Null(await _store.GetDeviceAsync(DeviceId.Parse("desk-9"), Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task First_seen_stays_the_earliest_across_a_reopened_store()
    {
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), Frames(T0, 1), Ct);
        await _store.DisposeAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        _store = await Open(_influx);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), Frames(T0 + 1000, 1), Ct);

        // Another worker that saw the device later writes a later sighting: the earliest still wins.
        await _influx.WriteAsync($"device,device=desk-1 first_seen={T0 + 9_000_000}i {T0 + 9_000_000}", cancellationToken: Ct);

        Assert.Equal(T0 + 3_600_000, (await _store.GetDeviceAsync(DeviceId.Parse("desk-1"), Ct))!.FirstSeenTs);
        using var points = await _influx.QueryAsync("SELECT count(first_seen) FROM device", Ct);
        // One from this store's first sighting and the one written by hand; the reopened store knew the device.
        Assert.Equal(2, points.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task Strings_with_every_special_character_read_back_exactly()
    {
        const string nasty = "a,b c=d \"q\" \\ back\\slash\nnew line\ttab ü 🙂 'single' end\\";
        var prompt = new PromptRecord(DeviceId.Parse("desk-1"), "c," + nasty, T0, PromptReason.Sitting, "ex " + nasty, "pat=" + nasty, T0 - 1);
        var tagged = new AckRecord(DeviceId.Parse("desk-1"), "c, =\"\\x ü", CommandAck.Statuses.Done, T0 + 5);
        var untagged = new AckRecord(DeviceId.Parse("desk-1"), "c," + nasty, CommandAck.Statuses.Dismissed, T0 + 6);

        await _store.WritePromptAsync(prompt, Ct);
        await _store.WriteBatchAsync([new AckWrite(tagged), new AckWrite(untagged)], Ct);

        Assert.Equal([prompt], await _store.ReadPromptsAsync(DeviceId.Parse("desk-1"), T0, T0 + 1, Ct));
        Assert.Equal(prompt, await _store.LastPromptAsync(DeviceId.Parse("desk-1"), PromptReason.Sitting, Ct));
        Assert.Equal([tagged, untagged], await _store.ReadAcksAsync(DeviceId.Parse("desk-1"), T0, T0 + 10, Ct));
        Assert.Equal(1, _store.UntaggedAcks);
        var status = new DeviceStatus(1, true, "fw " + nasty, false, 7);
        await _store.WriteStatusAsync(DeviceId.Parse("desk-1"), status, T0 + 7, Ct);
        Assert.Equal(status, (await _store.GetDeviceAsync(DeviceId.Parse("desk-1"), Ct))!.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_whole_day_of_frames_is_written_and_read_back_complete()
    {
        var day = Frames(T0, 86_400);
        // As ingestion would: many messages of 60 frames in one batch, which the writer sends in chunks.
        await _store.WriteBatchAsync(day.Chunk(60).Select(c => (StoreWrite)new FramesWrite(DeviceId.Parse("desk-1"), c)).ToList(), Ct);

        var read = await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 86_400_000, Ct);

        Assert.Equal(86_400, read.Count);
        Assert.Equal(day[0], read[0]);
        Assert.Equal(day[^1], read[^1]);
        Assert.Equal(day, read);
    }

    [Fact(Timeout = 60_000)]
    public async Task Writes_fail_while_influxd_is_down_and_succeed_after_it_is_back()
    {
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), Frames(T0, 5), Ct);

        await _influx.StopAsync();
        await Assert.ThrowsAsync<InfluxWriteException>(() => _store.WriteFramesAsync(DeviceId.Parse("desk-1"), Frames(T0 + 5000, 5), Ct));
        await Assert.ThrowsAsync<InfluxQueryException>(() => _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));

        await _influx.RestartAsync(Ct);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), Frames(T0 + 5000, 5), Ct);

        Assert.Equal([.. Frames(T0, 5), .. Frames(T0 + 5000, 5)], await _store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Opening_a_missing_database_says_how_to_create_it()
    {
        var endpoint = InfluxEndpoint.Parse($"influxdb://127.0.0.1:{_influx.HttpPort}/nope");

        var error = await Assert.ThrowsAsync<PostureSense.Core.Configuration.OptionsException>(
            () => InfluxStore.OpenAsync(endpoint, cancellationToken: Ct));

        Assert.Contains("CREATE DATABASE", error.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_store_location_opens_an_influx_store()
    {
        var location = StoreLocation.Parse($"influxdb://127.0.0.1:{_influx.HttpPort}/{_influx.Database}");

        await using var store = await PostureStores.OpenAsync(location, _clock, cancellationToken: Ct);

        Assert.IsType<InfluxStore>(store);
    }
}
