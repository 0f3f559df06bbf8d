using PostureSense.Agent.Replay;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Coaching;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Processing;

public class NudgeTests
{
    static readonly long T0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Feeds consecutive 1 s frames; returns the nudges with their offsets from T0 in seconds.</summary>
    sealed class Wearer
    {
        readonly NudgeRule _rule = new(CoachingSettings.Default);
        int _second;
        public List<(double AtSeconds, NudgeEvent Nudge)> Nudges { get; } = [];

        public Wearer Hold(int seconds, double pitch, int steps = 0, double motion = 0.01)
        {
            for (var i = 0; i < seconds; i++, _second++)
                if (_rule.Observe(new PostureFrame(T0 + _second * 1000L, pitch, 0, motion, steps)) is { } n)
                    Nudges.Add(((n.At.ToUnixTimeMilliseconds() - T0) / 1000.0, n));
            return this;
        }
    }

    [Fact]
    public void Hunching_at_20_degrees_buzzes_after_30_seconds()
    {
        var wearer = new Wearer().Hold(10, 2).Hold(29, 20);
        Assert.Empty(wearer.Nudges);

        wearer.Hold(1, 20);

        var (at, nudge) = Assert.Single(wearer.Nudges);
        Assert.Equal(40, at);
        Assert.Equal(20, nudge.PitchDeg);
        Assert.False(nudge.Reminder);
    }

    [Fact]
    public void Bursts_of_25_seconds_never_buzz()
    {
        var wearer = new Wearer();
        for (var i = 0; i < 20; i++) wearer.Hold(25, 20).Hold(3, 5);
        Assert.Empty(wearer.Nudges);
    }

    [Fact]
    public void Walking_bent_forward_does_not_buzz()
    {
        var wearer = new Wearer().Hold(60, 20, steps: 2, motion: 0.2).Hold(60, 20, steps: 0, motion: 0.08);
        Assert.Empty(wearer.Nudges);
    }

    [Fact]
    public void After_a_buzz_it_waits_for_the_wearer_to_sit_up_before_buzzing_again()
    {
        var wearer = new Wearer().Hold(30, 20); // nudge at 30 s
        wearer.Hold(3, 5).Hold(40, 20);         // a 3 s correction does not re-arm
        Assert.Single(wearer.Nudges);

        wearer.Hold(6, 5).Hold(30, 20);         // 6 s upright re-arms; 30 s more hunching buzzes
        Assert.Equal([30.0, 109.0], wearer.Nudges.Select(n => n.AtSeconds));
    }

    [Fact]
    public void Hunching_on_regardless_gets_a_reminder_every_two_minutes()
    {
        var wearer = new Wearer().Hold(300, 20);

        Assert.Equal([30.0, 150.0, 270.0], wearer.Nudges.Select(n => n.AtSeconds));
        Assert.Equal([false, true, true], wearer.Nudges.Select(n => n.Nudge.Reminder));
    }

    [Fact]
    public void The_pipeline_buzzes_a_simulated_wearer_half_a_minute_into_a_hunch()
    {
        // Upright 5 s (calibration), easing over 2 s to 20°, then held: pitch >= 15 from about 6.2 s.
        var result = OfflineReplay.Run(clock => new SimulatedMpu6050(new SettlingWearer(20, 0), clock), TimeSpan.FromSeconds(60));

        var nudge = Assert.Single(result.Nudges);
        var after = (nudge.At - new ReplayOptions().Start).TotalSeconds;
        Assert.InRange(after, 36, 39);
        Assert.InRange(nudge.PitchDeg, 19, 21);
    }

    [Theory]
    [InlineData(88, 0)]   // face down with a phone
    [InlineData(-89, 0)]  // on the back
    [InlineData(92, 40)]  // on all fours, turned
    [InlineData(75, 0)]   // bent to the floor
    public void Lying_down_on_all_fours_or_bent_to_the_floor_never_buzzes(double pitch, double roll)
    {
        var rule = new NudgeRule(CoachingSettings.Default);
        for (var s = 0; s < 600; s++)
            Assert.Null(rule.Observe(new PostureFrame(T0 + s * 1000L, pitch, roll, 0.01, 0)));
    }

    [Fact]
    public void A_bend_in_a_hunch_starts_the_hold_again()
    {
        var wearer = new Wearer().Hold(25, 25);
        for (var i = 0; i < 10; i++) wearer.Hold(1, 80);
        wearer.Hold(25, 25);
        Assert.Empty(wearer.Nudges);
        wearer.Hold(5, 25);
        Assert.Single(wearer.Nudges);
    }
}
