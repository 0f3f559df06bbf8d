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
