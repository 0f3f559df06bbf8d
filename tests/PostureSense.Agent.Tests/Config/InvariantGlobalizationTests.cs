using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Config;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Config;

/// <summary>
/// The agent runs without ICU (a headless device need not carry it), and so do these tests: time
/// zones come from the system's tz database, not from ICU, so quiet hours still follow the
/// wearer's zone, its daylight saving time included.
/// </summary>
public class InvariantGlobalizationTests
{
    [Fact]
    public void The_tests_run_without_icu_as_the_agent_does()
    {
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        Assert.Equal("", CultureInfo.CurrentCulture.Name);
    }

    [Fact]
    public void Quiet_hours_follow_the_wearers_zone_across_a_daylight_saving_change()
    {
        // Berlin changes from UTC+1 to UTC+2 on 29 March 2026 at 02:00 local time.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        var active = new ActiveConfig(CoachingSettings.Default, clock);
        active.Offer(new DeviceConfig(ContractLimits.Version, 1, TimeZone: "Europe/Berlin"));

        // 22:30 UTC on the 28th is 23:30 in Berlin (UTC+1): quiet until 07:00 local, by then UTC+2.
        var night = new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero), active.QuietUntil(night)?.ToUniversalTime());
        // 20:30 UTC on the 28th is 21:30 in Berlin: not quiet yet.
        Assert.Null(active.QuietUntil(night.AddHours(-2)));
        Assert.Equal("Europe/Berlin", active.Zone.Id);
    }
}
