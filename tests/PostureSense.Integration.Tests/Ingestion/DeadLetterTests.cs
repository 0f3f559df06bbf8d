using System.Diagnostics.Metrics;
using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Server.Metrics;
using PostureSense.Storage;
using PostureSense.Storage.DeadLetters;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Ingestion;

/// <summary>
/// One message InfluxDB can never store, against a real influxd: it is kept as a dead letter,
/// counted, and nothing else waits on it. 9.3e12 ms is in the year 2264, past InfluxDB's
/// nanosecond clock (it ends in 2262): influxd 1.6 answers a plain 400 "time outside range"
/// for it alone, and a 400 "partial write" (the other points stored) when it shares a request.
/// </summary>
public sealed class DeadLetterTests : IAsyncLifetime
{
    const long BeyondInflux = 9_300_000_000_000;
    static readonly long Now = TestFrames.Morning.ToUnixTimeMilliseconds();
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly TempDirectory _dir = new();
    InfluxDbServer _influx = null!;
    ServerHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _influx = await InfluxDbServer.StartAsync("posture_dead", cancellationToken: Ct);
        _harness = await ServerHarness.StartAsync(_dir.File("unused.db"), configure: o => o with
        {
            Store = StoreLocation.Parse($"influxdb://127.0.0.1:{_influx.HttpPort}/{_influx.Database}"),
            AppDatabase = _dir.File("app.db"),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        if (_influx is not null) await _influx.DisposeAsync();
        _dir.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task An_ack_beyond_influxdbs_range_is_refused_and_the_good_frames_of_two_devices_after_it_are_stored()
    {
        var desk1 = await _harness.ConnectDeviceAsync("desk-1");
        var desk2 = await _harness.ConnectDeviceAsync("desk-2");

        await desk1.PublishAsync(Topics.Ack, WireFormat.Serialize(new CommandAck(1, "c-1", CommandAck.Statuses.Done, BeyondInflux)));
        var good1 = TestFrames.Run(Now - 10_000, 10, pitch: 8);
        var good2 = TestFrames.Run(Now - 10_000, 10, pitch: 4);
        await desk1.PublishTelemetryAsync(good1);
        await desk2.PublishTelemetryAsync(good2);
        await _harness.WaitForProcessedAsync(3);

        Assert.Equal(1, _harness.Server.Stats.Rejected(RejectionReasons.FutureTimestamp));
        Assert.Equal(good1, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 10_000, Now, Ct));
        Assert.Equal(good2, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-2"), Now - 10_000, Now, Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_point_out_of_range_is_dead_lettered_with_its_reason_and_nothing_else_waits_on_it()
    {
        long counted = 0, gauge = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PostureMetrics.MeterName && instrument.Name.StartsWith("posturesense.store.dead_letters", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "posturesense.store.dead_letters.kept") Interlocked.Exchange(ref gauge, Math.Max(Interlocked.Read(ref gauge), value));
            else foreach (var tag in tags)
                if (tag is { Key: "reason", Value: DeadLetterReasons.OutOfRange }) Interlocked.Add(ref counted, value);
        });
        listener.Start();
        var store = _harness.Server.Store;
        var earlier1 = TestFrames.Run(Now - 60_000, 5, pitch: 12);
        var earlier2 = TestFrames.Run(Now - 60_000, 5, pitch: 14);
        var bad = new AckRecord(DeviceId.Parse("desk-1"), "c-1", CommandAck.Statuses.Done, BeyondInflux);

        // Straight into the server's store, as a message that got past validation would: alone, and inside a batch.
        await store.WriteAckAsync(bad, Ct);
        await store.WriteBatchAsync([new FramesWrite(DeviceId.Parse("desk-1"), earlier1), new AckWrite(bad), new FramesWrite(DeviceId.Parse("desk-2"), earlier2)], Ct);

        // Ingestion is not stuck behind it: the next frames of both devices are stored.
        var desk1 = await _harness.ConnectDeviceAsync("desk-1");
        var desk2 = await _harness.ConnectDeviceAsync("desk-2");
        var good1 = TestFrames.Run(Now - 10_000, 10, pitch: 8);
        var good2 = TestFrames.Run(Now - 10_000, 10, pitch: 4);
        await desk1.PublishTelemetryAsync(good1);
        await desk2.PublishTelemetryAsync(good2);
        await _harness.WaitForProcessedAsync(2);

        Assert.Equal(earlier1, await store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 60_000, Now - 50_000, Ct));
        Assert.Equal(earlier2, await store.ReadFramesAsync(DeviceId.Parse("desk-2"), Now - 60_000, Now - 50_000, Ct));
        Assert.Equal(good1, await store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 10_000, Now, Ct));
        Assert.Equal(good2, await store.ReadFramesAsync(DeviceId.Parse("desk-2"), Now - 10_000, Now, Ct));

        // Kept beside the app database, with InfluxDB's words, whatever the store.
        var letters = new DeadLetterFile(_dir.File(DeadLetterFile.FileName)).ReadAll();
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l =>
        {
            Assert.Equal((DeviceId.Parse("desk-1"), "ack", DeadLetterReasons.OutOfRange), (l.DeviceId, l.Kind, l.Reason));
            Assert.Contains("time outside range", l.Error);
            Assert.Contains(BeyondInflux.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Write);
        });
        Assert.Equal(2, _harness.Server.Stats.DeadLettered(DeadLetterReasons.OutOfRange));
        listener.RecordObservableInstruments();
        Assert.True(Interlocked.Read(ref counted) >= 2);
        Assert.Equal(2, Interlocked.Read(ref gauge));
        Assert.Single(_harness.Logs.Errors, e => e.Contains("desk-1", StringComparison.Ordinal) && e.Contains(DeadLetterReasons.OutOfRange, StringComparison.Ordinal));
    }
}
