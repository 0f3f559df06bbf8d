using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Alerts;
using PostureSense.Server.Cluster;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Server.Metrics;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Cluster;

/// <summary>
/// Silos in this process that share one SQLite store, one command publisher that records what
/// devices were sent, and one fake domain clock, as server nodes share a database, a broker and
/// the wearer's time. The cluster itself keeps real time, as it does in production.
/// </summary>
sealed class GrainCluster : ICommandPublisher, IAlertAnnouncer, IAsyncDisposable
{
    /// <summary>Short enough for a test, long enough for deliveries in a test to land within it.</summary>
    public static readonly TimeSpan MaxGapWait = TimeSpan.FromSeconds(2);

    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly List<(DeviceId Device, DeviceCommand Command)> _sent = [];
    readonly List<PromptAlert> _announced = [];

    GrainCluster(SqliteStore store, FakeTimeProvider clock)
    {
        Store = store;
        Clock = clock;
    }

    public SqliteStore Store { get; }
    public FakeTimeProvider Clock { get; }
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>Alerts put on the wearers' channels (snooze reminders), from whichever silo.</summary>
    public IReadOnlyList<PromptAlert> Announced
    {
        get { lock (_announced) return [.. _announced]; }
    }

    public void Announce(PromptAlert alert)
    {
        lock (_announced) _announced.Add(alert);
    }

    public IReadOnlyList<DeviceCommand> SentTo(string device)
    {
        lock (_sent) return [.. _sent.Where(s => s.Device.Value == device).Select(s => s.Command)];
    }

    /// <summary>
    /// The device's stored prompts once at least <paramref name="count"/> were sent. A prompt the gap
    /// timer released is published before it is stored, so both are waited for.
    /// </summary>
    public async Task<IReadOnlyList<PromptRecord>> PromptsAsync(string device, int count = 1)
    {
        await Eventually.TrueAsync(() => SentTo(device).Count >= count, $"{count} prompt(s) sent");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var stored = await Store.ReadPromptsAsync(DeviceId.Parse(device), 0, long.MaxValue, Ct);
            if (stored.Count >= count || DateTime.UtcNow > deadline) return [.. stored.OrderBy(p => p.Ts)];
            await Task.Delay(20, Ct);
        }
    }

    public static async Task<GrainCluster> StartAsync(string dbPath, short silos = 3)
    {
        var clock = new FakeTimeProvider(TestFrames.Morning);
        var fleet = new GrainCluster(await SqliteStore.OpenAsync(dbPath, clock, Ct), clock);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{DeviceGrainOptions.Section}:{nameof(DeviceGrainOptions.MaxGapWait)}"] = MaxGapWait.ToString(),
            });
            host.Services.AddSingleton<IPostureStore>(fleet.Store);
            host.Services.AddSingleton<ICommandPublisher>(fleet);
            host.Services.AddSingleton(new IngestionStats());
            host.Services.AddKeyedSingleton<TimeProvider>(PostureClock.Key, clock);
            host.Services.AddDeviceGrains(host.Configuration);
            host.Services.AddSingleton(new SnoozeReminder(fleet.Store, fleet, clock));
        });
        builder.ConfigureSilo((_, silo) => silo.UseInMemoryReminderService());
        fleet.Cluster = builder.Build();
        await fleet.Cluster.DeployAsync(Ct);
        return fleet;
    }

    /// <summary>A grain factory of one silo: a call through it is made from that node.</summary>
    public IGrainFactory Node(int index) => Cluster.Silos[index % Cluster.Silos.Count].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// What ingestion on a node does with a batch: store its frames, then hand it to the device's
    /// grain. The wearer's clock stands a second after the newest frame stored so far.
    /// </summary>
    public async Task DeliverAsync(IGrainFactory via, string device, long seq, IReadOnlyList<PostureFrame> frames)
    {
        await StoreOnlyAsync(device, frames);
        await via.GetGrain<IDeviceGrain>(device).OnBatchStoredAsync(new TelemetryBatch(ContractLimits.Version, seq, [.. frames]), Ct);
    }

    /// <summary>
    /// A node that stored a batch and then could not hand it on (the grain's node dead, not yet
    /// declared so): the frames are in the store, and the grain never hears of them.
    /// </summary>
    public async Task StoreOnlyAsync(string device, IReadOnlyList<PostureFrame> frames)
    {
        var after = DateTimeOffset.FromUnixTimeMilliseconds(frames[^1].Ts + 1000);
        if (after > Clock.GetUtcNow()) Clock.SetUtcNow(after);
        await Store.WriteFramesAsync(DeviceId.Parse(device), frames, Ct);
    }

    public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken)
    {
        lock (_sent) _sent.Add((deviceId, command));
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Store.DisposeAsync();
    }
}
