using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Server.Tests.Ingestion;

/// <summary>
/// The embedded broker acknowledges a device's batch only once it is stored, whatever the load:
/// a fleet catching up after an outage, a store that has stalled, a server stopped in the middle.
/// Real broker over TCP, real SQLite; what a device counts as delivered is what its PUBACK said.
/// </summary>
public sealed class AcknowledgedOnceStoredTests(ITestOutputHelper output) : IAsyncLifetime
{
    const int Devices = 20;
    const int BatchesPerDevice = 384; // a 32-minute day at one frame a second
    const int FramesPerBatch = 5;
    static readonly long Now = TestFrames.Morning.ToUnixTimeMilliseconds();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDirectory _dir = new();
    ServerHarness _harness = null!;

    string DbPath => _dir.File("burst.db");

    public async ValueTask InitializeAsync() => _harness = await ServerHarness.StartAsync(DbPath);

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_fleet_bursting_far_past_the_brokers_queue_limit_has_every_acknowledged_frame_stored()
    {
        var fleet = await ConnectFleetAsync();
        var clock = Stopwatch.StartNew();

        var burst = await fleet.BurstAsync();

        output.WriteLine($"{burst.Sent} batches sent, {burst.Acknowledged.Count} acknowledged, {burst.Refused} refused, " +
                         $"{burst.Failed} unanswered; {StoredFrames().Count} frames stored; {clock.Elapsed.TotalSeconds:0.0} s");
        // Each PUBACK came after its write, so the store holds them already: no waiting for ingestion.
        AssertStored(burst.Acknowledged);
        // Nothing refused or lost either: each device's connection took one batch at a time, at the store's pace.
        Assert.Equal(Devices * BatchesPerDevice, burst.Acknowledged.Count);
        Assert.Equal(Devices * BatchesPerDevice * FramesPerBatch, StoredFrames().Count);
        // Counted after the write, by the coaching that follows it.
        await Eventually.TrueAsync(() => _harness.Server.Stats.Accepted(Topics.Telemetry) == Devices * BatchesPerDevice, "every batch counted accepted");
        await fleet.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_arriving_while_the_store_is_stalled_is_acknowledged_only_once_stored()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        var frames = TestFrames.Run(Now - 60_000, 5, pitch: 12);

        Task<MqttClientPublishResult> publish;
        await using (var stall = await StallWritesAsync())
        {
            publish = device.PublishTelemetryAsync(frames);
            await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
            Assert.False(publish.IsCompleted, "no PUBACK while the write cannot go through");
        }

        Assert.Equal(MqttClientPublishReasonCode.Success, (await publish).ReasonCode);
        Assert.Equal(frames, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 60_000, Now, Ct));
    }

    [Fact]
    public async Task A_batch_the_store_cannot_take_in_time_is_refused_for_now_and_taken_when_sent_again()
    {
        var device = await _harness.ConnectDeviceAsync("desk-1");
        var frames = TestFrames.Run(Now - 60_000, 5, pitch: 12);

        await using (var stall = await StallWritesAsync())
        {
            var refused = await device.PublishTelemetryAsync(frames);
            // A reason the agent keeps the batch for and sends again after a backoff.
            Assert.Equal(MqttClientPublishReasonCode.UnspecifiedError, refused.ReasonCode);
            Assert.Contains("again later", refused.ReasonString, StringComparison.Ordinal);
        }

        Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishTelemetryAsync(frames)).ReasonCode);
        Assert.Equal(frames, await _harness.Server.Store.ReadFramesAsync(DeviceId.Parse("desk-1"), Now - 60_000, Now, Ct));
    }

    [Fact]
    public async Task Stopping_the_server_in_the_middle_of_a_burst_loses_no_acknowledged_frame()
    {
        var fleet = await ConnectFleetAsync();
        var running = fleet.BurstAsync();
        await Eventually.TrueAsync(() => fleet.AcknowledgedSoFar >= Devices * BatchesPerDevice / 4, "a quarter of the burst to be acknowledged",
            TimeSpan.FromSeconds(60));

        await _harness.Server.StopAsync(Ct);
        var burst = await running;

        output.WriteLine($"{burst.Sent} batches sent, {burst.Acknowledged.Count} acknowledged, {burst.Refused} refused, {burst.Failed} unanswered");
        Assert.True(burst.Acknowledged.Count < Devices * BatchesPerDevice, "the server stopped before the burst was over");
        AssertStored(burst.Acknowledged);
        await fleet.DisposeAsync();
    }

    async Task<Fleet> ConnectFleetAsync()
    {
        var clients = new List<(string Id, IMqttClient Client)>();
        for (var i = 0; i < Devices; i++)
        {
            var id = $"burst-{i:00}";
            var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _harness.Server.MqttPort)
                .WithClientId(id).WithCredentials(id, (await _harness.ProvisionAsync(id)).Password)
                .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(60)).Build(), Ct);
            clients.Add((id, client));
        }
        return new Fleet(clients);
    }

    /// <summary>Every frame of every acknowledged batch is in the store.</summary>
    void AssertStored(IReadOnlyCollection<(string Device, int Batch)> acknowledged)
    {
        var stored = StoredFrames();
        var missing = acknowledged.SelectMany(a => Fleet.Frames(a.Batch).Select(f => (a.Device, f.Ts))).Where(f => !stored.Contains(f)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged frames are not stored, e.g. {string.Join(", ", missing.Take(5))}");
    }

    HashSet<(string Device, long Ts)> StoredFrames()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT device_id, ts FROM frames";
        using var reader = command.ExecuteReader();
        var frames = new HashSet<(string, long)>();
        while (reader.Read()) frames.Add((reader.GetString(0), reader.GetInt64(1)));
        return frames;
    }

    /// <summary>Holds the database's write lock, as a stalled disk or another writer would, until disposed.</summary>
    async Task<IAsyncDisposable> StallWritesAsync()
    {
        var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync(Ct);
        // Not deferred: the write lock is taken at once.
        var transaction = connection.BeginTransaction(deferred: false);
        return new Stall(connection, transaction);
    }

    sealed class Stall(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Devices that each publish their day at once: every batch sent without waiting for the one before.</summary>
    sealed class Fleet(List<(string Id, IMqttClient Client)> clients) : IAsyncDisposable
    {
        int _acknowledged;

        public int AcknowledgedSoFar => Volatile.Read(ref _acknowledged);

        public static IEnumerable<PostureFrame> Frames(int batch) =>
            Enumerable.Range(batch * FramesPerBatch, FramesPerBatch)
                .Select(n => new PostureFrame(Now - 40 * 60_000 + n * 1000L, 8 + 4 * Math.Sin(n / 60.0), -1.5, 0.01, 0));

        public async Task<BurstResult> BurstAsync()
        {
            var acknowledged = new ConcurrentBag<(string, int)>();
            var refused = 0;
            var failed = 0;
            await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, BatchesPerDevice).Select(async b =>
            {
                var payload = WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, b + 1, [.. Frames(b)]));
                try
                {
                    var result = await c.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(DeviceId.Parse(c.Id), Topics.Telemetry))
                        .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None);
                    if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                    {
                        acknowledged.Add((c.Id, b));
                        Interlocked.Increment(ref _acknowledged);
                    }
                    else Interlocked.Increment(ref refused);
                }
                catch (Exception)
                {
                    // The connection went without a PUBACK: a device keeps the batch.
                    Interlocked.Increment(ref failed);
                }
            })));
            return new BurstResult(clients.Count * BatchesPerDevice, [.. acknowledged], refused, failed);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (_, client) in clients)
            {
                try
                {
                    if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
                }
                catch (MQTTnet.Exceptions.MqttCommunicationException) { /* gone already */ }
                client.Dispose();
            }
        }
    }

    sealed record BurstResult(int Sent, IReadOnlyCollection<(string Device, int Batch)> Acknowledged, int Refused, int Failed);
}
