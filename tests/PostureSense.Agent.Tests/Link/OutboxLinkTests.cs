using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Link;
using PostureSense.Agent.Outbox;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Tests.Link;

/// <summary>The device link sending from a real outbox file to a real broker over TCP.</summary>
public sealed class OutboxLinkTests : IDisposable
{
    const string Device = "desk-9";
    static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _pacingClock = new(Start);

    public void Dispose() => _dir.Dispose();

    TelemetryOutbox OpenOutbox(int maxFrames = 86_400) => TelemetryOutbox.Open(TelemetryOutbox.FilePath(_dir.Path, PostureSense.Core.Contract.DeviceId.Parse(Device)), maxFrames);

    static void Fill(TelemetryOutbox outbox, int batches)
    {
        for (var i = 0; i < batches; i++)
            outbox.Append([.. Enumerable.Range(i * 5, 5).Select(s => new PostureFrame(Start.AddSeconds(s).ToUnixTimeMilliseconds(), 21, 0, 0.01, 0))], Start);
    }

    DeviceLink NewLink(TelemetryOutbox outbox, int port, ConcurrentQueue<long>? published = null)
    {
        var options = new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse(Device), Broker = new MqttBrokerAddress("127.0.0.1", port), ReplayBatchesPerSecond = 20 };
        var link = new DeviceLink(options, outbox, () => new DeviceStatus(ContractLimits.Version, true, "1.0.0", true, Start.ToUnixTimeMilliseconds()),
            NullLogger.Instance, _pacingClock);
        if (published is not null) link.BatchPublished += b => published.Enqueue(b.Seq);
        return link;
    }

    static IEnumerable<long> TelemetrySeqs(TestBroker broker) =>
        broker.On(Device, Topics.Telemetry).Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("seq").GetInt64());

    [Fact]
    public async Task A_batch_leaves_the_outbox_only_after_the_brokers_puback()
    {
        using var outbox = OpenOutbox();
        Fill(outbox, 1);
        await using var broker = await TestBroker.StartAsync();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The broker sends PUBACK only when its publish interceptor returns.
        broker.Server.InterceptingPublishAsync += async e =>
        {
            if (!e.ApplicationMessage.Topic.EndsWith("/telemetry", StringComparison.Ordinal)) return;
            received.TrySetResult();
            await release.Task;
        };
        await using var link = NewLink(outbox, broker.Port);
        try
        {
            link.Start();
            await received.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.Equal(1, outbox.Count);

            release.SetResult();
            await Eventually.True(() => outbox.Count == 0, "the batch to leave the outbox after PUBACK");
        }
        finally
        {
            // A failed assertion must not leave the broker's interceptor waiting, or stopping the broker waits with it.
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task With_the_broker_down_batches_stay_and_when_it_comes_up_they_drain_in_seq_order()
    {
        using var outbox = OpenOutbox();
        Fill(outbox, 30);
        var port = TestBroker.FreePort();
        await using var link = NewLink(outbox, port);
        link.Start();
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.Equal(30, outbox.Count);

        await using var broker = await TestBroker.StartAsync(port);
        await Eventually.True(() => TelemetrySeqs(broker).Count() >= 20, "the first second's worth of batches");
        _pacingClock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => outbox.Count == 0, "the outbox to drain");

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), TelemetrySeqs(broker).Distinct());
    }

    [Fact]
    public async Task Replay_goes_at_the_configured_rate_per_second_of_the_pacing_clock()
    {
        using var outbox = OpenOutbox();
        Fill(outbox, 100);
        await using var broker = await TestBroker.StartAsync();
        var published = new ConcurrentQueue<long>();
        await using var link = NewLink(outbox, broker.Port, published);
        link.Start();

        async Task<int> SettledCount(int expected)
        {
            await Eventually.True(() => published.Count >= expected, $"{expected} batches published");
            await Task.Delay(300); // waiting on the fake clock, nothing more may go out
            return published.Count;
        }

        var counts = new List<int> { await SettledCount(20) };
        foreach (var seconds in new[] { 1.0, 1.0, 0.5 })
        {
            var expected = counts[^1] + (int)(seconds * 20);
            _pacingClock.Advance(TimeSpan.FromSeconds(seconds));
            counts.Add(await SettledCount(expected));
        }

        Assert.Equal([20, 40, 60, 70], counts);
        Assert.Equal(Enumerable.Range(1, 70).Select(i => (long)i), published);
        Assert.Equal(30, outbox.Count);
    }

    [Fact]
    public async Task The_retained_status_reports_the_outbox_and_the_batches_dropped_past_the_bound()
    {
        using var outbox = OpenOutbox(maxFrames: 60);
        Fill(outbox, 20); // 100 frames into 60: the 8 oldest 5-frame batches go
        await using var broker = await TestBroker.StartAsync();
        await using var link = NewLink(outbox, broker.Port);
        link.Start();

        await Eventually.True(() => outbox.Count == 0, "the outbox to drain");
        await Eventually.True(() => broker.On(Device, Topics.Status).Count() >= 2, "a status after the drain");

        var statuses = broker.On(Device, Topics.Status).Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        Assert.Equal((12, 8), (statuses[0].GetProperty("outbox").GetInt32(), statuses[0].GetProperty("dropped").GetInt32()));
        Assert.Equal((0, 8), (statuses[^1].GetProperty("outbox").GetInt32(), statuses[^1].GetProperty("dropped").GetInt32()));
        Assert.True(WireFormat.ParseStatus(Encoding.UTF8.GetBytes(broker.On(Device, Topics.Status).First().Payload), Start).Ok);
        Assert.Equal(Enumerable.Range(9, 12).Select(i => (long)i), TelemetrySeqs(broker).Distinct());
    }

    [Fact]
    public async Task A_batch_the_broker_cannot_take_yet_stays_in_the_outbox_and_goes_after_a_backoff()
    {
        using var outbox = OpenOutbox();
        Fill(outbox, 3);
        await using var broker = await TestBroker.StartAsync();
        var outboxAtRefusals = new ConcurrentQueue<int>();
        // As the server's embedded broker answers while its store is behind: twice, then it takes it.
        broker.Server.InterceptingPublishAsync += e =>
        {
            if (!e.ApplicationMessage.Topic.EndsWith("/telemetry", StringComparison.Ordinal) || outboxAtRefusals.Count >= 2) return Task.CompletedTask;
            outboxAtRefusals.Enqueue(outbox.Count);
            e.ProcessPublish = false;
            e.Response.ReasonCode = MQTTnet.Protocol.MqttPubAckReasonCode.QuotaExceeded;
            return Task.CompletedTask;
        };
        var published = new ConcurrentQueue<long>();
        await using var link = NewLink(outbox, broker.Port, published);
        // The backoff (about 1 s, then 2 s) waits on the pacing clock.
        await using var pump = new ClockPump(_pacingClock);
        link.Start();

        await Eventually.True(() => outbox.Count == 0, "the outbox to drain");
        Assert.Equal([3, 3], outboxAtRefusals);
        Assert.Equal([1L, 2, 3], published);
        Assert.Equal([1L, 2, 3], TelemetrySeqs(broker));
    }

    [Fact]
    public async Task A_batch_refused_for_good_is_dropped_and_the_rest_go()
    {
        using var outbox = OpenOutbox();
        Fill(outbox, 3);
        await using var broker = await TestBroker.StartAsync();
        broker.Server.InterceptingPublishAsync += e =>
        {
            if (!e.ApplicationMessage.Topic.EndsWith("/telemetry", StringComparison.Ordinal)
                || JsonDocument.Parse(e.ApplicationMessage.Payload.ToArray()).RootElement.GetProperty("seq").GetInt64() != 2) return Task.CompletedTask;
            e.ProcessPublish = false;
            e.Response.ReasonCode = MQTTnet.Protocol.MqttPubAckReasonCode.PayloadFormatInvalid;
            return Task.CompletedTask;
        };
        await using var link = NewLink(outbox, broker.Port);
        link.Start();

        await Eventually.True(() => outbox.Count == 0, "the outbox to drain");
        Assert.Equal([1L, 3], TelemetrySeqs(broker));
    }
}
