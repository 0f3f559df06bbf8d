using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;
using PostureSense.Server.Coaching;
using PostureSense.Server.Metrics;
using PostureSense.Storage;

namespace PostureSense.Server.Tests.Coaching;

/// <summary>
/// What the wearer feels when the broker does not answer a prompt's publish: the prompt comes
/// late rather than twice. A publish that failed or hung goes again as the same command (the device
/// plays a command id once), a coach made again from the store does not send the episode a second
/// command, and a command that could not get through for minutes is dropped rather than buzzed late.
/// </summary>
public sealed class PromptSenderTests : IDisposable
{
    readonly TempDirectory _dir = new();
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DeviceId Desk = DeviceId.Parse("desk-1");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_failed_publish_goes_again_with_the_next_frames_as_the_same_command()
    {
        await using var fixture = await Fixture.StartAsync(_dir.File("a.db"));
        var coach = await fixture.HunchedCoachAsync(minutes: 6);
        fixture.Broker.FailNext = 1;

        await fixture.Sender.SendDueAsync(coach, Ct);
        Assert.Empty(fixture.Broker.Delivered);
        Assert.Single(fixture.Broker.Attempts);

        await fixture.ObserveAsync(coach, seconds: 5);
        await fixture.Sender.SendDueAsync(coach, Ct);

        var delivered = Assert.Single(fixture.Broker.Delivered);
        Assert.Equal(fixture.Broker.Attempts[0].Id, delivered.Id);
        Assert.Equal(delivered.Id, Assert.Single(await fixture.PromptsAsync()).CommandId);
        Assert.Equal(1, fixture.Announced);

        // Delivered: nothing more goes out while the episode lasts.
        await fixture.ObserveAsync(coach, seconds: 60);
        await fixture.Sender.SendDueAsync(coach, Ct);
        Assert.Single(fixture.Broker.Attempts.Skip(1));
    }

    [Fact]
    public async Task A_publish_the_broker_never_answers_is_given_up_on_and_sent_again_as_the_same_command()
    {
        await using var fixture = await Fixture.StartAsync(_dir.File("b.db"));
        var coach = await fixture.HunchedCoachAsync(minutes: 6);
        fixture.Broker.HangNext = 1;

        // Would wait forever without the publish timeout.
        var sending = fixture.Sender.SendDueAsync(coach, Ct);
        await Eventually.TrueAsync(() => fixture.Broker.Attempts.Count == 1, "the publish");
        fixture.Network.Advance(PromptSender.PublishTimeout - TimeSpan.FromSeconds(1));
        await Task.Delay(100, Ct);
        Assert.False(sending.IsCompleted);
        fixture.Network.Advance(TimeSpan.FromSeconds(1));
        await sending.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Empty(fixture.Broker.Delivered);

        await fixture.ObserveAsync(coach, seconds: 5);
        await fixture.Sender.SendDueAsync(coach, Ct);
        Assert.Equal([fixture.Broker.Attempts[0].Id], fixture.Broker.Delivered.Select(c => c.Id));
    }

    [Fact]
    public async Task A_coach_made_again_from_the_store_after_a_failed_publish_sends_the_same_command_again_and_no_new_one()
    {
        await using var fixture = await Fixture.StartAsync(_dir.File("c.db"));
        var coach = await fixture.HunchedCoachAsync(minutes: 6);
        fixture.Broker.FailNext = 1;
        await fixture.Sender.SendDueAsync(coach, Ct);

        // The owner of the coach went (a node died, a grain moved) before the next frames came.
        var restored = await DeviceCoach.RestoreAsync(Desk, fixture.Store, CoachingSettings.Default, fixture.Clock, Ct);
        await restored.ObserveAsync(await fixture.Store.ReadFramesAsync(Desk, 0, long.MaxValue, Ct), fixture.Store, Ct);
        await fixture.ObserveAsync(restored, seconds: 30);
        await fixture.Sender.SendDueAsync(restored, Ct);

        // The restored coach sends the command that did not get through again, never a new one.
        Assert.Equal(2, fixture.Broker.Attempts.Count);
        Assert.Single(fixture.Broker.Attempts.Select(a => a.Id).Distinct());
        Assert.Single(await fixture.PromptsAsync());
    }

    [Fact]
    public async Task A_command_that_cannot_get_through_for_minutes_is_dropped_rather_than_buzzed_late()
    {
        await using var fixture = await Fixture.StartAsync(_dir.File("d.db"));
        var coach = await fixture.HunchedCoachAsync(minutes: 6);
        fixture.Broker.FailNext = int.MaxValue;
        await fixture.Sender.SendDueAsync(coach, Ct);

        // Still failing within the window: tried again each time.
        await fixture.ObserveAsync(coach, seconds: 60);
        await fixture.Sender.SendDueAsync(coach, Ct);
        Assert.Equal(2, fixture.Broker.Attempts.Count);

        // The broker is back, but the prompt is older than the window: it is not sent.
        fixture.Broker.FailNext = 0;
        await fixture.ObserveAsync(coach, seconds: (int)PromptSender.ResendWindow.TotalSeconds);
        await fixture.Sender.SendDueAsync(coach, Ct);
        Assert.Empty(fixture.Broker.Delivered);
        Assert.Null(coach.Unsent);
        Assert.Equal(0, fixture.Announced);
    }

    sealed class Fixture : IAsyncDisposable
    {
        Fixture(SqliteStore store, FakeTimeProvider clock)
        {
            Store = store;
            Clock = clock;
            Sender = new PromptSender(store, Broker, new IngestionStats(), clock, NullLogger.Instance, Network);
            Sender.PromptSent += (_, _) => Announced++;
        }

        public SqliteStore Store { get; }
        public FakeTimeProvider Clock { get; }
        public FlakyBroker Broker { get; } = new();

        /// <summary>The real time the publish timeout runs on.</summary>
        public FakeTimeProvider Network { get; } = new();
        public PromptSender Sender { get; }
        public int Announced { get; private set; }
        long _nextTs;

        public static async Task<Fixture> StartAsync(string db)
        {
            var clock = new FakeTimeProvider(TestFrames.Morning);
            return new Fixture(await SqliteStore.OpenAsync(db, clock, Ct), clock) { _nextTs = TestFrames.Morning.ToUnixTimeMilliseconds() };
        }

        /// <summary>A coach that has seen (and stored) this many minutes hunched: a hunch prompt is due.</summary>
        public async Task<DeviceCoach> HunchedCoachAsync(int minutes)
        {
            var coach = await DeviceCoach.RestoreAsync(Desk, Store, CoachingSettings.Default, Clock, Ct, historyPossible: false);
            await ObserveAsync(coach, minutes * 60);
            return coach;
        }

        /// <summary>More live frames, hunched, stored and seen by the coach; the clock follows them.</summary>
        public async Task ObserveAsync(DeviceCoach coach, int seconds)
        {
            var frames = TestFrames.Run(_nextTs, seconds, pitch: 30);
            _nextTs += seconds * 1000L;
            await Store.WriteFramesAsync(Desk, frames, Ct);
            Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(_nextTs));
            await coach.ObserveAsync(frames, Store, Ct);
        }

        public Task<IReadOnlyList<Core.History.PromptRecord>> PromptsAsync() => Store.ReadPromptsAsync(Desk, 0, long.MaxValue, Ct);

        public ValueTask DisposeAsync() => Store.DisposeAsync();
    }

    /// <summary>A broker that refuses or never answers the next publishes, and records what it took.</summary>
    sealed class FlakyBroker : ICommandPublisher
    {
        public int FailNext { get; set; }
        public int HangNext { get; set; }
        public List<DeviceCommand> Attempts { get; } = [];
        public List<DeviceCommand> Delivered { get; } = [];

        public async Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken)
        {
            Attempts.Add(command);
            if (HangNext > 0)
            {
                HangNext--;
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("broker refused the command");
            }
            Delivered.Add(command);
        }
    }
}
