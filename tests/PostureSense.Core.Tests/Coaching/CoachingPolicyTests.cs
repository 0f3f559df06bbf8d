using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;

namespace PostureSense.Core.Tests.Coaching;

public class CoachingPolicyTests
{
    // A wearer in Berlin (UTC+1 in November); 09:00 local.
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("wearer", TimeSpan.FromHours(1), "wearer", "wearer");
    static readonly DateTimeOffset NineLocal = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    static (CoachingPolicy Policy, FakeTimeProvider Clock) Make(DateTimeOffset now, CoachingSettings? settings = null)
    {
        var clock = new FakeTimeProvider(now);
        return (new CoachingPolicy(settings ?? CoachingSettings.Default, clock, Berlin), clock);
    }

    static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    [Fact]
    public void A_live_episode_in_the_day_is_prompted()
    {
        var (policy, clock) = Make(NineLocal);
        Assert.True(policy.Decide(PromptReason.Hunch, Ms(clock.GetUtcNow().AddSeconds(-3))).ShouldSend);
    }

    [Fact]
    public void A_backlog_replayed_hours_later_does_not_buzz_the_wearer()
    {
        var (policy, clock) = Make(NineLocal);
        Assert.Equal(PromptVerdict.Stale, policy.Decide(PromptReason.Hunch, Ms(clock.GetUtcNow().AddHours(-3))).Verdict);
        Assert.Equal(PromptVerdict.Stale, policy.Decide(PromptReason.Hunch, Ms(clock.GetUtcNow().AddSeconds(-121))).Verdict);
        Assert.Equal(PromptVerdict.Send, policy.Decide(PromptReason.Hunch, Ms(clock.GetUtcNow().AddSeconds(-119))).Verdict);
    }

    [Fact]
    public void One_prompt_per_reason_per_cooldown()
    {
        var (policy, clock) = Make(NineLocal);
        policy.Record(PromptReason.Hunch, clock.GetUtcNow());

        clock.Advance(TimeSpan.FromMinutes(14));
        var decision = policy.Decide(PromptReason.Hunch, Ms(clock.GetUtcNow()));
        Assert.Equal(PromptVerdict.CoolingDown, decision.Verdict);
        Assert.Equal(NineLocal.AddMinutes(15), decision.NotBefore);
        Assert.True(policy.Decide(PromptReason.Sitting, Ms(clock.GetUtcNow())).ShouldSend); // other reason unaffected

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(policy.Decide(PromptReason.Hunch, Ms(clock.GetUtcNow())).ShouldSend);
    }

    [Theory]
    [InlineData(21, 59, false)]
    [InlineData(22, 0, true)]
    [InlineData(23, 30, true)]
    [InlineData(3, 0, true)]
    [InlineData(6, 59, true)]
    [InlineData(7, 0, false)]
    [InlineData(12, 0, false)]
    public void No_prompts_in_quiet_hours_of_the_wearers_local_time(int hour, int minute, bool quiet)
    {
        var localNow = new DateTimeOffset(2026, 11, 24, hour, minute, 0, TimeSpan.FromHours(1));
        var (policy, _) = Make(localNow.ToUniversalTime());
        var decision = policy.Decide(PromptReason.Sitting, Ms(localNow));
        Assert.Equal(quiet ? PromptVerdict.QuietHours : PromptVerdict.Send, decision.Verdict);
        if (quiet)
        {
            var end = decision.NotBefore!.Value.ToOffset(TimeSpan.FromHours(1));
            Assert.Equal((7, 0), (end.Hour, end.Minute));
            Assert.True(end > localNow && end - localNow <= TimeSpan.FromHours(9));
        }
    }

    [Fact]
    public void Quiet_hours_within_one_day_and_none_at_all_work_too()
    {
        var lunch = CoachingSettings.Default with { QuietStart = new(12, 0), QuietEnd = new(13, 0) };
        var (policy, _) = Make(new DateTimeOffset(2026, 11, 24, 11, 30, 0, TimeSpan.Zero), lunch); // 12:30 local
        Assert.Equal(PromptVerdict.QuietHours, policy.Decide(PromptReason.Hunch, Ms(new DateTimeOffset(2026, 11, 24, 11, 30, 0, TimeSpan.Zero))).Verdict);

        var never = CoachingSettings.Default with { QuietStart = new(0, 0), QuietEnd = new(0, 0) };
        var midnight = new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero); // 00:00 local
        var (always, _) = Make(midnight, never);
        Assert.True(always.Decide(PromptReason.Hunch, Ms(midnight)).ShouldSend);
    }

    [Fact]
    public void The_defaults_are_valid_and_nonsense_is_explained()
    {
        Assert.Empty(CoachingSettings.Default.Validate());
        var bad = CoachingSettings.Default with { HunchPitchDeg = -5, HunchWindow = TimeSpan.FromMinutes(2), Cooldown = TimeSpan.Zero };
        var problems = bad.Validate();
        Assert.Contains("hunch pitch must be between 0 and 90 degrees", problems);
        Assert.Contains("hunch window must be at least the hunch hold and at most 2 h", problems);
        Assert.Contains("cooldown must be 1 min to 24 h", problems);
    }
}
