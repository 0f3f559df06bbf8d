using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Button;

namespace PostureSense.Agent.Tests.Button;

public class LongPressDetectorTests : IDisposable
{
    readonly FakeTimeProvider _clock = new();
    readonly LongPressDetector _button;
    int _long, _short;

    public LongPressDetectorTests()
    {
        _button = new LongPressDetector(_clock);
        _button.LongPressed += () => _long++;
        _button.ShortPressed += () => _short++;
    }

    void Wait(double ms) => _clock.Advance(TimeSpan.FromMilliseconds(ms));

    /// <summary>Contacts chattering for a while, ending on <paramref name="settlesPressed"/>.</summary>
    void Bounce(bool settlesPressed)
    {
        for (var i = 0; i < 7; i++)
        {
            _button.Update(i % 2 == 0 == settlesPressed);
            Wait(3);
        }
        _button.Update(settlesPressed);
    }

    [Fact]
    public void Held_for_two_seconds_is_one_long_press()
    {
        _button.Update(true);
        Wait(1999);
        Assert.Equal(0, _long);

        Wait(1);
        Assert.Equal((1, 0), (_long, _short));
    }

    [Fact]
    public void Held_forever_fires_once_and_letting_go_adds_nothing()
    {
        _button.Update(true);
        for (var i = 0; i < 600; i++) Wait(100);
        _button.Update(false);
        Wait(100);

        Assert.Equal((1, 0), (_long, _short));
    }

    [Fact]
    public void A_short_press_is_only_a_short_press()
    {
        _button.Update(true);
        Wait(500);
        _button.Update(false);
        Wait(2000);

        Assert.Equal((0, 1), (_long, _short));
    }

    [Fact]
    public void Bouncing_contacts_make_one_press_timed_from_when_they_settle()
    {
        Bounce(settlesPressed: true); // 21 ms of chatter
        Wait(1999);
        Assert.Equal(0, _long);
        Wait(1);
        Assert.Equal(1, _long);

        Bounce(settlesPressed: false);
        Wait(100);
        Assert.Equal((1, 0), (_long, _short));
    }

    [Fact]
    public void A_glitch_shorter_than_the_debounce_time_is_no_press()
    {
        _button.Update(true);
        Wait(10);
        _button.Update(false);
        Wait(3000);

        Assert.Equal((0, 0), (_long, _short));
        Assert.False(_button.IsPressed);
    }

    [Fact]
    public void Each_press_gets_its_own_long_press()
    {
        for (var i = 0; i < 3; i++)
        {
            _button.Update(true);
            Wait(2500);
            _button.Update(false);
            Wait(500);
        }
        Assert.Equal((3, 0), (_long, _short));
    }

    public void Dispose()
    {
        _button.Dispose();
        GC.SuppressFinalize(this);
    }
}
