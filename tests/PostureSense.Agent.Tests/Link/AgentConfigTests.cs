using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Config;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Link;

/// <summary>
/// The wearer's retained <c>config</c> steering the device's own nudge, through a real broker,
/// and kept on disk for a start without one. The wearer sits upright for 5 s, then at 12°: under
/// the default 15° the device would never buzz.
/// </summary>
public sealed class AgentConfigTests : IAsyncDisposable
{
    const string Device = "desk-11";
    static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    static readonly string ConfigTopic = Topics.For(DeviceId.Parse(Device), Topics.Config);
    readonly FakeTimeProvider _clock = new(Start);
    readonly TempDirectory _data = new();
    readonly RecordingMotor _motor;
    readonly LogRecorder _log = new();

    public AgentConfigTests() => _motor = new RecordingMotor(_clock);

    public ValueTask DisposeAsync()
    {
        _data.Dispose();
        return ValueTask.CompletedTask;
    }

    PostureAgent NewAgent(int port) => new(
        new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse(Device), Broker = new MqttBrokerAddress("127.0.0.1", port), DataDirectory = _data.Path },
        new SimulatedMpu6050(new SettlingWearer(12, 0), _clock), _motor, _clock, _log);

    /// <summary>Nudge 10 s after 10°, at 40 %; no quiet hours unless <paramref name="more"/> says so.</summary>
    /// <summary>A config ts <paramref name="ms"/> after a day before the start: in the window, and in order.</summary>
    static long T(long ms) => Start.AddDays(-1).ToUnixTimeMilliseconds() + ms;

    static string Config(long ts, string more = ""","quietStart":"00:00","quietEnd":"00:00" """) =>
        $$"""{"v":1,"ts":{{ts}},"nudgePitchDeg":10,"nudgeAfterS":10,"vibrationStrength":40{{more}}}""";

    /// <summary>Runs the wearer's day until <paramref name="done"/>; returns the nudges' offsets from the start in seconds.</summary>
    async Task<List<double>> RunUntilAsync(PostureAgent agent, Func<bool> done, string what)
    {
        var nudges = new ConcurrentQueue<double>();
        agent.Nudged += (at, _) => nudges.Enqueue((at - Start).TotalSeconds);
        await using (new ClockPump(_clock))
            await Eventually.True(done, what);
        return [.. nudges];
    }

    [Fact]
    public async Task A_retained_config_makes_the_device_buzz_sooner_at_a_smaller_angle_and_softer()
    {
        await using var broker = await TestBroker.StartAsync();
        var ts = Start.AddDays(-1).ToUnixTimeMilliseconds();
        await broker.PublishAsync(ConfigTopic, Config(ts), retain: true);
        await using var agent = NewAgent(broker.Port);
        await agent.StartAsync(TestContext.Current.CancellationToken);
        // The config arrives on connect, in real time; the wearer's clock starts once it is in use.
        await Eventually.True(() => agent.Config?.Ts == ts, "the retained config to apply");

        var nudges = await RunUntilAsync(agent, () => _motor.Vibrations.Count > 0, "a nudge at 12°");

        // 12° is past 10° about 6.5 s in; 10 s later it buzzes, at the configured strength.
        Assert.InRange(Assert.Single(nudges), 15.5, 18);
        Assert.Equal((VibrationPattern.Short, 40), (_motor.Vibrations[0].Pattern, _motor.Vibrations[0].StrengthPercent));
        await Eventually.True(() => broker.On(Device, Topics.Status).Any(m => m.Payload.Contains($"\"configTs\":{ts}")), "configTs in the status");
        Assert.Equal(ts, ConfigFile.Load(ConfigFile.PathFor(_data.Path, PostureSense.Core.Contract.DeviceId.Parse(Device)), _log.CreateLogger("test"), _clock.GetUtcNow())?.Ts);
    }

    [Fact]
    public async Task After_a_restart_without_a_broker_the_saved_config_still_applies()
    {
        var ts = Start.AddHours(-2).ToUnixTimeMilliseconds();
        int port;
        await using (var broker = await TestBroker.StartAsync())
        {
            port = broker.Port;
            await broker.PublishAsync(ConfigTopic, Config(ts), retain: true);
            await using var first = NewAgent(port);
            await first.StartAsync(TestContext.Current.CancellationToken);
            await Eventually.True(() => first.Config?.Ts == ts, "the retained config to apply");
        }

        // The broker is gone for good: the second run has nothing but its data directory.
        await using var second = NewAgent(port);
        Assert.Equal(ts, second.Config?.Ts);
        await second.StartAsync(TestContext.Current.CancellationToken);
        var nudges = await RunUntilAsync(second, () => _motor.Vibrations.Count > 0, "a nudge at 12° from the saved config");

        Assert.False(second.IsConnected);
        Assert.InRange(Assert.Single(nudges), 15.5, 18);
        Assert.Equal(40, _motor.Vibrations[0].StrengthPercent);
    }

    [Fact]
    public async Task A_bad_or_older_config_is_ignored_whole_with_its_reason_and_the_good_one_stays()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var agent = NewAgent(broker.Port);
        var applied = new ConcurrentQueue<long?>();
        agent.ConfigApplied += c => applied.Enqueue(c.Ts);
        await agent.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.True(() => agent.IsConnected, "the agent to connect");

        await broker.PublishAsync(ConfigTopic, Config(T(2000)), retain: true);
        await Eventually.True(() => agent.Config?.Ts == T(2000), "the first config");
        await broker.PublishAsync(ConfigTopic, $$"""{"v":1,"ts":{{T(3000)}},"nudgeAfterS":10,"vibrationStrength":5}""", retain: true);
        await broker.PublishAsync(ConfigTopic, $$"""{"v":1,"ts":{{T(3500)}},"nudgeAfterS":"soon"}""", retain: true);
        await broker.PublishAsync(ConfigTopic, Config(T(1000), ""","nudgeAfterS":45"""), retain: true);
        // Far ahead of the device's clock: were it taken, it would outrank every config the wearer saves after it.
        await broker.PublishAsync(ConfigTopic, Config(9_300_000_000_000), retain: true);
        await broker.PublishAsync(ConfigTopic, Config(T(4000), ""","quietStart":"23:00","quietEnd":"06:00" """), retain: true);
        // Waits for the event, not the property: the config is in use a moment before it is announced.
        await Eventually.True(() => applied.Contains(T(4000)), "the newest good config");

        Assert.Equal([T(2000), T(4000)], applied.ToArray());
        Assert.True(_log.Has(LogLevel.Warning, "vibration strength must be 10 to 100 percent"), string.Join("\n", _log.Lines));
        Assert.True(_log.Has(LogLevel.Warning, "malformed JSON"), string.Join("\n", _log.Lines));
        Assert.True(_log.Has(LogLevel.Warning, "older than the one in use"), string.Join("\n", _log.Lines));
        Assert.True(_log.Has(LogLevel.Warning, "ts 9300000000000 is more than 30 min in the future"), string.Join("\n", _log.Lines));
        Assert.Equal(T(4000), ConfigFile.Load(ConfigFile.PathFor(_data.Path, PostureSense.Core.Contract.DeviceId.Parse(Device)), _log.CreateLogger("test"), _clock.GetUtcNow())?.Ts);
    }

    [Fact]
    public async Task In_quiet_hours_the_device_does_not_buzz_on_its_own_but_a_prompt_still_plays()
    {
        await using var broker = await TestBroker.StartAsync();
        // 09:00 UTC is 18:00 in Tokyo: quiet there, while the device's own zone (UTC) is in working hours.
        await broker.PublishAsync(ConfigTopic, Config(T(1), ""","quietStart":"17:00","quietEnd":"19:00","timeZone":"Asia/Tokyo" """), retain: true);
        await using var agent = NewAgent(broker.Port);
        var silenced = new ConcurrentQueue<DateTimeOffset>();
        agent.NudgeSilenced += silenced.Enqueue;
        await agent.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.True(() => agent.Config?.Ts == T(1), "the retained config to apply");

        var nudges = await RunUntilAsync(agent, () => !silenced.IsEmpty, "the nudge that quiet hours hold back");
        Assert.Empty(nudges);
        Assert.Empty(_motor.Vibrations);
        Assert.True(_log.Has(LogLevel.Information, "quiet hours last until 19:00 (Asia/Tokyo)"), string.Join("\n", _log.Lines));

        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        await broker.PublishAsync(Topics.For(DeviceId.Parse(Device), Topics.Command), $$"""{"v":1,"id":"c-q","type":"vibrate","ts":{{now}},"pattern":"double"}""");
        await Eventually.True(() => _motor.Vibrations.Count > 0, "the prompt to play");
        Assert.Equal((VibrationPattern.Double, 40), (_motor.Vibrations[0].Pattern, _motor.Vibrations[0].StrengthPercent));
    }
}
