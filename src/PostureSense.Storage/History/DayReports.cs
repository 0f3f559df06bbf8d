using PostureSense.Core.Contract;
using PostureSense.Core.Coaching;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage.History;

/// <summary>Builds a <see cref="DayReport"/> from the store; shared by the JSON API and the dashboard.</summary>
/// <param name="zoneFor">
/// The zone a device's days are cut in: its wearer's. Null (or no zone for the device) = the
/// clock's local zone, the server's, which in a container is UTC and not where the wearer lives.
/// </param>
public sealed class DayReports(IPostureStore store, TimeProvider clock, Func<DeviceId, CoachingSettings> settingsFor,
    Func<DeviceId, TimeZoneInfo?>? zoneFor = null)
{
    /// <summary>Acks arrive after their prompt; one sent just before midnight is still that day's.</summary>
    public static readonly TimeSpan AckGrace = TimeSpan.FromHours(6);
    static readonly long AckGraceMs = (long)AckGrace.TotalMilliseconds;

    public TimeZoneInfo Zone => clock.LocalTimeZone;
    public DateOnly Today => LocalDay.Today(clock);

    /// <summary>The zone the device's days are cut and its times shown in.</summary>
    public TimeZoneInfo ZoneFor(DeviceId deviceId) => zoneFor?.Invoke(deviceId) ?? clock.LocalTimeZone;

    /// <summary>The device's wearer's today.</summary>
    public DateOnly TodayFor(DeviceId deviceId) => LocalDay.Today(clock, ZoneFor(deviceId));

    /// <summary>Parses a day asked for by the device's wearer; false with a message when it is no date or out of range.</summary>
    public bool TryParseDay(DeviceId deviceId, string? text, out DateOnly date, out string? error) =>
        LocalDay.TryParseInRange(text, TodayFor(deviceId), out date, out error);

    public async Task<DayReport> BuildAsync(DeviceId deviceId, DateOnly date, CancellationToken cancellationToken) =>
        (await BuildWithFramesAsync(deviceId, date, cancellationToken)).Report;

    /// <summary>The report and the day's frames it was built from (for an export), read once.</summary>
    public async Task<(DayReport Report, IReadOnlyList<PostureFrame> Frames)> BuildWithFramesAsync(DeviceId deviceId, DateOnly date,
        CancellationToken cancellationToken)
    {
        var day = LocalDay.Of(date, ZoneFor(deviceId));
        var frames = await store.ReadFramesAsync(deviceId, day.FromTs, day.ToTs, cancellationToken);
        var prompts = await store.ReadPromptsAsync(deviceId, day.FromTs, day.ToTs, cancellationToken);
        var ids = prompts.Select(p => p.CommandId).ToHashSet();
        var acks = (await store.ReadAcksAsync(deviceId, day.FromTs, day.ToTs + AckGraceMs, cancellationToken))
            .Where(a => ids.Contains(a.CommandId)).ToList();
        var summary = DaySummarizer.Summarize(date, frames, prompts, acks, settingsFor(deviceId));
        return (new DayReport(deviceId, day, summary, MinutePoint.Downsample(frames), prompts, acks), frames);
    }
}
