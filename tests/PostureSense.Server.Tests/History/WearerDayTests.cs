using PostureSense.Core.Contract;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Coaching;
using PostureSense.Core.Posture;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Tests.History;

/// <summary>Days are the wearer's: cut in their zone, with their true length, and only days that can exist.</summary>
public sealed class WearerDayTests : IAsyncLifetime
{
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDirectory _dir = new();
    // A server in a container: its own zone is UTC.
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    SqliteStore _store = null!;

    public async ValueTask InitializeAsync() => _store = await SqliteStore.OpenAsync(_dir.File("days.db"), _clock, Ct);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    DayReports Reports(TimeZoneInfo? wearerZone) => new(_store, _clock, _ => CoachingSettings.Default, _ => wearerZone);

    static long At(int day, int hour, int minute, TimeZoneInfo zone)
    {
        var local = new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    async Task<bool> HasFrameAsync(DayReports reports, DateOnly day, long ts) =>
        (await reports.BuildWithFramesAsync(DeviceId.Parse("desk-1"), day, Ct)).Frames.Any(f => f.Ts == ts);

    [Fact]
    public async Task A_late_evening_hunch_counts_for_the_wearers_day_not_the_servers()
    {
        // 23:30 in Berlin is still the 24th there; half past midnight in Berlin is 23:30 UTC, the 24th for the server.
        var lateEvening = At(24, 23, 30, Berlin);
        var afterMidnight = At(24, 23, 30, TimeZoneInfo.Utc);
        await _store.WriteFramesAsync(DeviceId.Parse("desk-1"), [new PostureFrame(lateEvening, 30, 0, 0.01, 0), new PostureFrame(afterMidnight, 30, 0, 0.01, 0)], Ct);

        var wearer = Reports(Berlin);
        Assert.True(await HasFrameAsync(wearer, new DateOnly(2026, 11, 24), lateEvening));
        Assert.False(await HasFrameAsync(wearer, new DateOnly(2026, 11, 24), afterMidnight));
        Assert.True(await HasFrameAsync(wearer, new DateOnly(2026, 11, 25), afterMidnight));

        // No zone set: the server's, the last resort.
        var server = Reports(null);
        Assert.True(await HasFrameAsync(server, new DateOnly(2026, 11, 24), afterMidnight));
        Assert.Equal(TimeZoneInfo.Utc, server.ZoneFor(DeviceId.Parse("desk-1")));
    }

    [Fact]
    public void Today_is_the_wearers_today()
    {
        // 23:30 UTC on the 25th: the server's day is the 25th, Berlin's already the 26th.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 26), Reports(Berlin).TodayFor(DeviceId.Parse("desk-1")));
        Assert.Equal(new DateOnly(2026, 11, 25), Reports(null).TodayFor(DeviceId.Parse("desk-1")));
    }

    [Theory]
    [InlineData("9999-12-31", "out of range")]
    [InlineData("0001-01-01", "out of range")]
    [InlineData("1999-12-31", "out of range")]
    [InlineData("2026-11-27", "out of range")]
    [InlineData("2026-02-30", "is not a date")]
    [InlineData("yesterday", "is not a date")]
    public void Days_that_cannot_have_data_are_refused_with_a_reason(string text, string reason)
    {
        Assert.False(Reports(Berlin).TryParseDay(DeviceId.Parse("desk-1"), text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("2000-01-01")]
    [InlineData("2026-11-25")]
    [InlineData("2026-11-26")]
    public void Days_from_the_first_possible_to_the_wearers_tomorrow_are_accepted(string text) =>
        Assert.True(Reports(Berlin).TryParseDay(DeviceId.Parse("desk-1"), text, out _, out _));

    [Theory]
    [InlineData(2026, 3, 29, 23)]
    [InlineData(2026, 10, 25, 25)]
    [InlineData(2026, 11, 24, 24)]
    public void A_day_has_its_true_length_in_the_wearers_zone(int year, int month, int day, int hours)
    {
        var cut = LocalDay.Of(new DateOnly(year, month, day), Berlin);
        Assert.Equal(TimeSpan.FromHours(hours), TimeSpan.FromMilliseconds(cut.ToTs - cut.FromTs));
    }
}
