using MQTTnet.Protocol;
using PostureSense.Core.Configuration;
using PostureSense.Mqtt.Connecting;
using PostureSense.Mqtt.Tests.Support;

namespace PostureSense.Mqtt.Tests.Connecting;

/// <summary>How long the link waits between attempts: growing, capped, jittered, and exactly that long on its clock.</summary>
public sealed class BackoffTests
{
    [Fact]
    public void Each_step_doubles_up_to_the_cap_and_each_delay_lies_between_half_and_all_of_its_step()
    {
        var backoff = ReconnectBackoff.Default;

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 8).Select(a => backoff.StepFor(a).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.StepFor(int.MaxValue));
        foreach (var attempt in Enumerable.Range(0, 8))
        {
            Assert.Equal(backoff.StepFor(attempt) / 2, backoff.DelayFor(attempt, 0));
            Assert.Equal(backoff.StepFor(attempt), backoff.DelayFor(attempt, 1));
        }
    }

    [Fact]
    public void Below_the_cap_a_wait_is_longer_than_the_one_two_attempts_before_whatever_the_draws()
    {
        var backoff = ReconnectBackoff.Default;

        foreach (var attempt in Enumerable.Range(0, 5))
            Assert.True(backoff.DelayFor(attempt + 2, 0) > backoff.DelayFor(attempt, 0.999999), $"attempt {attempt}");
    }

    [Fact]
    public void A_fleet_retrying_at_the_same_step_spreads_out()
    {
        var delays = Enumerable.Range(0, 1000).Select(_ => ReconnectBackoff.Default.NextDelay(3)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
        Assert.True(delays.Distinct().Count() > 900, "the delays should differ from one device to the next");
        Assert.True(delays.Max() - delays.Min() > TimeSpan.FromSeconds(1.5), "the delays should cover the step's upper half");
    }

    [Fact]
    public async Task On_its_clock_the_link_waits_exactly_each_growing_jittered_delay_before_trying_again()
    {
        await using var broker = await InProcessBroker.StartAsync(refuse: MqttConnectReasonCode.NotAuthorized);
        var clock = new TimerCountingClock();
        var draws = new Queue<double>([0, 0.5, 0.75, 0.8]);
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)) { Random = () => draws.TryDequeue(out var draw) ? draw : 0 };
        var log = new LogLines();
        await using var running = new RunningLink(new MqttLink(new MqttLinkOptions
        {
            Broker = new MqttBrokerAddress("127.0.0.1", broker.Port),
            ClientId = "desk-1",
            Backoff = backoff,
        }, log, clock));

        // Steps 100, 200, 400, 500 (capped) ms; drawn at 0, 0.5, 0.75, 0.8 of their upper half.
        // Whole milliseconds: timers, fake or real, count no finer.
        TimeSpan[] expected = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(350), TimeSpan.FromMilliseconds(450)];
        await Eventually.True(() => broker.ConnectAttempts == 1 && clock.Created == 1, "the first attempt and the wait after it", () => log.Text);
        for (var i = 0; i < expected.Length; i++)
        {
            clock.Advance(expected[i] - TimeSpan.FromTicks(1));
            Assert.Equal(i, clock.Fired);
            Assert.Equal(i + 1, broker.ConnectAttempts);

            clock.Advance(TimeSpan.FromTicks(1));
            Assert.Equal(i + 1, clock.Fired);
            await Eventually.True(() => broker.ConnectAttempts == i + 2 && clock.Created == i + 2, $"attempt {i + 2} and the wait after it", () => log.Text);
        }

        Assert.False(running.Link.IsConnected);
        Assert.Equal(expected.Length + 1, log.Count("the broker refused the user name or password (NotAuthorized); check the user and password in --mqtt"));
    }
}
