using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server.Coaching;
using PostureSense.Server.Metrics;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Coaching;

/// <summary>
/// Coaches of idle devices are let go and restored from the store when the devices come back:
/// memory follows the devices in use, and the wearer gets the same prompts either way.
/// </summary>
public sealed class IdleEvictionTests : IDisposable
{
    static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);
    static readonly long T0 = TestFrames.Morning.ToUnixTimeMilliseconds();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    sealed class Fleet(SqliteStore store, FakeTimeProvider clock) : ICommandPublisher, IAsyncDisposable
    {
        public List<DeviceCommand> Sent { get; } = [];
        public SqliteStore Store => store;
        public FakeTimeProvider Clock => clock;
        public CoachingService Coaching { get; private set; } = null!;

        public static async Task<Fleet> OpenAsync(string path)
        {
            var clock = new FakeTimeProvider(TestFrames.Morning);
            var fleet = new Fleet(await SqliteStore.OpenAsync(path, clock, Ct), clock);
            fleet.Coaching = new CoachingService(fleet.Store, fleet, new IngestionStats(), clock, NullLogger<CoachingService>.Instance);
            return fleet;
        }

        public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken)
        {
            lock (Sent) Sent.Add(command);
            return Task.CompletedTask;
        }

        /// <summary>Frames as the ingestion loop hands them over, 5 s batches, the clock following them.</summary>
        public async Task SendAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames)
        {
            foreach (var batch in frames.Batches(5))
            {
                clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(batch[^1].Ts + 1000));
                await store.WriteFramesAsync(deviceId, batch, Ct);
                await Coaching.OnFramesStoredAsync(deviceId, batch, Ct);
            }
        }

        public ValueTask DisposeAsync() => store.DisposeAsync();
    }

    [Fact]
    public async Task Two_hundred_idle_devices_are_all_let_go_and_the_gauge_shows_it()
    {
        await using var fleet = await Fleet.OpenAsync(_dir.File("fleet.db"));
        using var metrics = new PostureMetrics();
        metrics.HeldDevices = () => fleet.Coaching.HeldDevices;
        for (var i = 0; i < 200; i++)
            await fleet.SendAsync(DeviceId.Parse($"desk-{i}"), TestFrames.Run(T0, 1, pitch: 5));
        Assert.Equal(200, metrics.HeldDevices());

        // Half of them speak again just before the limit: only the others go.
        fleet.Clock.Advance(Idle - TimeSpan.FromMinutes(1));
        for (var i = 0; i < 100; i++) await fleet.Coaching.CoachForAsync(DeviceId.Parse($"desk-{i}"), Ct);
        fleet.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(100, await fleet.Coaching.EvictAsync(Idle, Ct));
        Assert.Equal(100, metrics.HeldDevices());

        fleet.Clock.Advance(Idle);
        Assert.Equal(100, await fleet.Coaching.EvictAsync(Idle, Ct));
        Assert.Equal(0, metrics.HeldDevices());
    }

    [Fact]
    public async Task The_server_lets_go_of_a_quiet_device_on_its_own_and_takes_it_back()
    {
        await using var harness = await ServerHarness.StartAsync(_dir.File("server.db"), configure: o => o with { DeviceIdle = Idle });
        var coaching = harness.Server.Services.GetRequiredService<CoachingService>();
        var device = await harness.ConnectDeviceAsync("desk-1");
        await harness.SendLiveAsync(device, TestFrames.Run(T0, 10, pitch: 5));
        // Coaching follows storing in a loop of its own.
        await Eventually.TrueAsync(() => coaching.HeldDevices == 1, "the device's coach");

        // A minute at a time, as time passes: the sweep runs every minute of the domain clock.
        for (var minute = 0; minute < 30 && coaching.HeldDevices > 0; minute++)
        {
            harness.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50, Ct);
        }
        Assert.Equal(0, coaching.HeldDevices);
        Assert.True(harness.Clock.GetUtcNow() - TestFrames.Morning >= Idle, "let go before it was idle for the limit");

        var back = harness.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await harness.SendLiveAsync(device, TestFrames.Run(back, 10, pitch: 5));
        await Eventually.TrueAsync(() => coaching.HeldDevices == 1, "the device's coach, made again");
        Assert.Empty(harness.Logs.Errors);
    }

    /// <summary>
    /// Hunched, prompted; away past the idle limit but inside the 15 min cooldown; back hunched.
    /// The second prompt must wait for the cooldown and suggest the next exercise, evicted or not.
    /// </summary>
    async Task<List<(string Reason, string Exercise, long Ts)>> RunDayAsync(string path, bool evict)
    {
        await using var fleet = await Fleet.OpenAsync(path);
        await fleet.SendAsync(DeviceId.Parse("desk-1"), TestFrames.Run(T0, 6 * 60, pitch: 30));
        fleet.Clock.Advance(Idle + TimeSpan.FromMinutes(1));
        if (evict)
        {
            Assert.Equal(1, await fleet.Coaching.EvictAsync(Idle, Ct));
            Assert.Equal(0, fleet.Coaching.HeldDevices);
        }
        var back = fleet.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await fleet.SendAsync(DeviceId.Parse("desk-1"), TestFrames.Run(back, 20 * 60, pitch: 30));
        return [.. fleet.Sent.Select(c => (c.Reason!, c.Exercise!, c.Ts))];
    }

    [Fact]
    public async Task A_device_back_after_eviction_gets_the_same_prompts_as_one_never_let_go()
    {
        var kept = await RunDayAsync(_dir.File("kept.db"), evict: false);
        var evicted = await RunDayAsync(_dir.File("evicted.db"), evict: true);

        Assert.Equal(2, kept.Count);
        Assert.Equal(kept, evicted);
        // The cooldown held across the eviction: 15 min between the prompts, not a prompt at once on return.
        Assert.True(evicted[1].Ts - evicted[0].Ts >= TimeSpan.FromMinutes(15).TotalMilliseconds);
        Assert.NotEqual(evicted[0].Exercise, evicted[1].Exercise);
    }
}
