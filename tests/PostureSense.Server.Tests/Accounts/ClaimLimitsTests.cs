using Microsoft.Extensions.Time.Testing;
using PostureSense.Server.Accounts;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>The wrong-code budget on a fake clock: used up per account and per address, back when the window ends.</summary>
public sealed class ClaimLimitsTests
{
    [Fact]
    public void An_account_runs_out_of_tries_and_gets_them_back_in_the_next_window()
    {
        var clock = new FakeTimeProvider(TestFrames.Morning);
        using var limits = new ClaimLimits(clock);
        for (var i = 0; i < ClaimLimits.PerAccount; i++)
        {
            Assert.True(limits.MayTry(1, "192.0.2.1"));
            limits.Failed(1, "192.0.2.1");
        }
        Assert.False(limits.MayTry(1, "192.0.2.1"));
        Assert.False(limits.MayTry(1, "192.0.2.2"));
        Assert.True(limits.MayTry(2, "192.0.2.1"));
        Assert.True(limits.RetryAfter <= ClaimLimits.Window);

        clock.Advance(limits.RetryAfter);
        Assert.True(limits.MayTry(1, "192.0.2.1"));
    }

    [Fact]
    public void An_address_runs_out_of_tries_whichever_accounts_it_uses()
    {
        var clock = new FakeTimeProvider(TestFrames.Morning);
        using var limits = new ClaimLimits(clock);
        for (var i = 0; i < ClaimLimits.PerAddress; i++) limits.Failed(100 + i, "192.0.2.9");
        Assert.False(limits.MayTry(999, "192.0.2.9"));
        Assert.True(limits.MayTry(999, "192.0.2.10"));
    }
}
