namespace PostureSense.Integration.Tests.Servers;

public sealed class ServerProcessTests
{
    // Outside CI the same call ends in Assert.Skip, which xunit reports as a skip even when caught,
    // so only the CI branch can be pinned here.
    [Fact]
    public void A_missing_server_fails_the_test_under_CI()
    {
        var failed = Assert.Throws<InvalidOperationException>(() => ServerProcess.Require("posturesense-no-such-server", "apt-get install it", ci: true));
        Assert.Contains("posturesense-no-such-server is not installed: apt-get install it", failed.Message);
    }
}

public sealed class MiddayZoneTests
{
    [Fact]
    public void At_every_hour_of_the_day_the_zone_given_to_a_server_process_is_at_noon()
    {
        var day = new DateTime(2026, 11, 30, 0, 30, 0, DateTimeKind.Utc);
        for (var hour = 0; hour < 24; hour++)
        {
            var utc = day.AddHours(hour);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Ingestion.PostureServerProcess.MiddayZone(utc));
            Assert.Equal(new TimeOnly(12, 30), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone)));
        }
    }
}
