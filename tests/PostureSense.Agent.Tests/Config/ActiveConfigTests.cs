using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Config;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Config;

public class ActiveConfigTests
{
    // 14:00 UTC is 23:00 in Tokyo.
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero));

    static DeviceConfig Config(long? ts, double? nudgePitch = null, int? nudgeAfter = null, string? timeZone = null, int? strength = null) =>
        new(ContractLimits.Version, ts, NudgePitchDeg: nudgePitch, NudgeAfterS: nudgeAfter, TimeZone: timeZone, VibrationStrength: strength);

    [Fact]
    public void Without_a_config_the_agent_uses_its_own_settings_at_full_strength()
    {
        var active = new ActiveConfig(CoachingSettings.Default with { NudgePitchDeg = 12 }, _clock);

        Assert.Null(active.Current);
        Assert.Equal((12.0, TimeSpan.FromSeconds(30), 100), (active.Coaching.NudgePitchDeg, active.Coaching.NudgeAfter, active.StrengthPercent));
        Assert.Null(active.QuietUntil(_clock.GetUtcNow()));                        // 14:00 in the device's zone (UTC)
        Assert.Equal(new DateTimeOffset(2026, 1, 6, 7, 0, 0, TimeSpan.Zero), active.QuietUntil(_clock.GetUtcNow().AddHours(9)));
    }

    [Fact]
    public void A_config_sets_the_nudge_and_the_strength_and_leaves_what_the_server_uses_alone()
    {
        var baseline = CoachingSettings.Default with { WalkingMotionG = 0.08 };
        var active = new ActiveConfig(baseline, _clock);

        Assert.Equal(ConfigVerdict.Applied, active.Offer(Config(1000, nudgePitch: 22, nudgeAfter: 45, strength: 40) with { WalkingMotionG = 0.2 }));

        Assert.Equal((22.0, TimeSpan.FromSeconds(45), 40), (active.Coaching.NudgePitchDeg, active.Coaching.NudgeAfter, active.StrengthPercent));
        Assert.Equal(0.08, active.Coaching.WalkingMotionG);
    }

    [Fact]
    public void The_newest_config_wins_and_an_older_one_changes_nothing()
    {
        var active = new ActiveConfig(CoachingSettings.Default, _clock);
        var first = Config(2000, nudgeAfter: 20);

        Assert.Equal(ConfigVerdict.Applied, active.Offer(first));
        Assert.Equal(ConfigVerdict.Unchanged, active.Offer(first with { }));
        Assert.Equal(ConfigVerdict.Older, active.Offer(Config(1999, nudgeAfter: 60)));
        Assert.Equal(ConfigVerdict.Older, active.Offer(Config(null, nudgeAfter: 60)));
        Assert.Same(first, active.Current);
        Assert.Equal(TimeSpan.FromSeconds(20), active.Coaching.NudgeAfter);

        Assert.Equal(ConfigVerdict.Applied, active.Offer(Config(2000, nudgeAfter: 25))); // saved again in the same millisecond
        Assert.Equal(ConfigVerdict.Applied, active.Offer(Config(3000, nudgeAfter: 10)));
        Assert.Equal(TimeSpan.FromSeconds(10), active.Coaching.NudgeAfter);
    }

    [Fact]
    public void Quiet_hours_are_counted_in_the_configs_zone_or_else_the_devices()
    {
        var active = new ActiveConfig(CoachingSettings.Default, _clock);
        var now = _clock.GetUtcNow();

        active.Offer(Config(1, timeZone: "Asia/Tokyo"));
        Assert.Equal(new DateTimeOffset(2026, 1, 6, 7, 0, 0, TimeSpan.FromHours(9)), active.QuietUntil(now));

        active.Offer(Config(2));
        Assert.Null(active.QuietUntil(now));
        _clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.NotNull(new ActiveConfig(CoachingSettings.Default, _clock).QuietUntil(now));
    }

    [Fact]
    public void No_quiet_hours_when_start_and_end_are_equal()
    {
        var active = new ActiveConfig(CoachingSettings.Default, _clock);
        active.Offer(Config(1, timeZone: "Asia/Tokyo") with { QuietStart = "00:00", QuietEnd = "00:00" });
        Assert.Null(active.QuietUntil(_clock.GetUtcNow()));
    }
}
