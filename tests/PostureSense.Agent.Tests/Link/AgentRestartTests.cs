using System.Text;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Outbox;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Link;

/// <summary>An agent with a data directory, stopped while the broker is away and started again.</summary>
public sealed class AgentRestartTests : IDisposable
{
    const string Device = "desk-10";
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    readonly TempDirectory _dir = new();
    readonly int _port = TestBroker.FreePort();

    public void Dispose() => _dir.Dispose();

    PostureAgent NewAgent() => new(
        new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse(Device), Broker = new MqttBrokerAddress("127.0.0.1", _port), DataDirectory = _dir.Path },
        new SimulatedMpu6050(new SettlingWearer(10, 0), _clock), new RecordingMotor(_clock), _clock);

    [Fact]
    public async Task After_a_restart_unsent_batches_go_first_in_seq_order_and_seq_continues()
    {
        await using (var offline = NewAgent())
        {
            await offline.StartAsync(TestContext.Current.CancellationToken);
            await using (new ClockPump(_clock))
                await Eventually.True(() => offline.PendingBatches >= 3, "three batches kept while the broker is down");
        }
        IReadOnlyList<TelemetryBatch> kept;
        using (var outbox = TelemetryOutbox.Open(TelemetryOutbox.FilePath(_dir.Path, PostureSense.Core.Contract.DeviceId.Parse(Device)), 86_400)) kept = outbox.ReadAll();
        Assert.Equal(Enumerable.Range(1, kept.Count).Select(i => (long)i), kept.Select(b => b.Seq));

        await using var broker = await TestBroker.StartAsync(_port);
        await using var online = NewAgent();
        await online.StartAsync(TestContext.Current.CancellationToken);
        await using (new ClockPump(_clock))
            await Eventually.True(() => broker.On(Device, Topics.Telemetry).Count() > kept.Count + 1 && online.PendingBatches == 0,
                "the kept batches and new ones");

        var onWire = broker.On(Device, Topics.Telemetry)
            .Select(m => WireFormat.ParseTelemetry(Encoding.UTF8.GetBytes(m.Payload), _clock.GetUtcNow()))
            .Select(p => p.Ok ? p.Value!.Batch : throw new Xunit.Sdk.XunitException(p.Error))
            .DistinctBy(b => b.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, onWire.Count).Select(i => (long)i), onWire.Select(b => b.Seq));
        Assert.All(kept, k => Assert.Equal(k.Frames, onWire[(int)k.Seq - 1].Frames));
        var ts = onWire.SelectMany(b => b.Frames).Select(f => f.Ts).ToList();
        Assert.Equal(ts.Order(), ts);
        Assert.Equal(ts.Count, ts.Distinct().Count());
    }
}
