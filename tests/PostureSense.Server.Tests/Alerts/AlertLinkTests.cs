using PostureSense.Core.Contract;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Server.Alerts;

namespace PostureSense.Server.Tests.Alerts;

/// <summary>The links behind a notification's buttons: they work for a day on the server's clock, and only as made.</summary>
public sealed class AlertLinkTests
{
    readonly FakeTimeProvider _clock = new(TestFrames.Morning);
    readonly EphemeralDataProtectionProvider _keys = new();

    [Fact]
    public void A_link_carries_its_action_device_and_prompt_for_a_day_on_the_servers_clock()
    {
        var signer = new AlertLinkSigner(_keys, new Uri("https://posture.example.org/"), _clock);
        var token = signer.Token(DeviceId.Parse("desk-1"), "c-0123456789", PromptAction.Snooze);

        Assert.True(signer.TryRead(token, out var action, out var device, out var command));
        Assert.Equal((PromptAction.Snooze, DeviceId.Parse("desk-1"), "c-0123456789"), (action, device, command));

        _clock.Advance(AlertLinkSigner.Lifetime - TimeSpan.FromMinutes(1));
        Assert.True(signer.TryRead(token, out _, out _, out _));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(signer.TryRead(token, out _, out _, out _));
    }

    [Fact]
    public void An_altered_link_or_one_made_with_other_keys_is_refused()
    {
        var signer = new AlertLinkSigner(_keys, null, _clock);
        var token = signer.Token(DeviceId.Parse("desk-1"), "c-1", PromptAction.Done);
        var altered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        var foreign = new AlertLinkSigner(new EphemeralDataProtectionProvider(), null, _clock).Token(DeviceId.Parse("desk-1"), "c-1", PromptAction.Done);

        Assert.False(signer.TryRead(altered, out _, out _, out _));
        Assert.False(signer.TryRead(foreign, out _, out _, out _));
        Assert.False(signer.TryRead("not a token", out _, out _, out _));
    }

    [Fact]
    public void Without_a_public_url_there_are_no_links_to_put_in_a_notification()
    {
        var alert = PromptAlert.Create(DeviceId.Parse("desk-1"), "c-1", 0, PostureSense.Core.Exercises.PromptReason.Hunch, "cat-cow", false);
        Assert.Null(new AlertLinkSigner(_keys, null, _clock).LinksFor(alert));
        var links = new AlertLinkSigner(_keys, new Uri("https://posture.example.org/base/"), _clock).LinksFor(alert)!;
        Assert.Equal("https://posture.example.org/base/devices/desk-1", links.Open.AbsoluteUri);
        Assert.StartsWith("https://posture.example.org/base/api/alerts/actions/", links.Done.AbsoluteUri);
    }
}
