using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Clock;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.FirmwareSim.Clock;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Clock;

/// <summary>A Pi that booted ten hours behind, against a real broker: nothing goes out until its clock is set, then all of it on true time.</summary>
public sealed class UnsynchronizedAgentTests
{
    [Fact]
    public async Task Frames_made_before_network_time_go_out_once_it_comes_in_the_hours_they_were_lived()
    {
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var trueClock = new FakeTimeProvider(start);
        var clock = new WrongClock(trueClock, -TimeSpan.FromHours(10), syncAfter: TimeSpan.FromMinutes(1));
        var published = new ConcurrentQueue<TelemetryBatch>();
        await using var broker = await TestBroker.StartAsync();
        var options = new AgentOptions { DeviceId = DeviceId.Parse("desk-9"), Broker = new MqttBrokerAddress("127.0.0.1", broker.Port) };
        // The wearer lives on true time; the agent reads the Pi's clock.
        await using var agent = new PostureAgent(options, new SimulatedMpu6050(new SettlingWearer(3, 0), trueClock),
            new RecordingMotor(trueClock), clock, clockSync: new ClockSyncFrom(() => clock.IsSynchronized));
        agent.BatchPublished += published.Enqueue;

        await agent.StartAsync(TestContext.Current.CancellationToken);
        await using (new ClockPump(trueClock))
        {
            await Eventually.True(() => trueClock.GetUtcNow() > start.AddSeconds(50), "50 s on an unset clock");
            Assert.Empty(published);
            await Eventually.True(() => published.Sum(b => b.Frames.Count) >= 80, "the held frames and live ones after them");
        }

        var frames = published.SelectMany(b => b.Frames).ToList();
        Assert.All(frames, f => Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(f.Ts), start, trueClock.GetUtcNow()));
        Assert.True(frames[0].Ts < start.AddSeconds(10).ToUnixTimeMilliseconds(), "the first frames, made while the clock was wrong, are sent too");
        Assert.All(frames.Zip(frames.Skip(1)), pair => Assert.True(pair.Second.Ts > pair.First.Ts));
    }
}
