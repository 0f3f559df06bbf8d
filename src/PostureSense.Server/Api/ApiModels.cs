using PostureSense.Core.Contract;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Server.Clocks;
using PostureSense.Server.History;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Api;

// The JSON shapes of the API. Durations are minutes and times Unix ms, so that a chart or a
// script reads them without parsing "hh:mm:ss" strings.

/// <param name="LastFrameTs">The device's newest frame, on the server's clock (its ts with the device's learned clock offset).</param>
/// <param name="StatusTs">When its newest status message arrived, on the server's clock.</param>
public sealed record DeviceView(DeviceId Id, long? LastFrameTs, bool Online, long FirstSeenTs, long? StatusTs, string? Fw, bool? Calibrated)
{
    /// <summary>A device without a status message counts as online while its frames are this fresh.</summary>
    public static readonly TimeSpan FramesOnlineWindow = TimeSpan.FromMinutes(2);

    /// <param name="clockOffsetMs">How far the device's clock is behind ours: its newest frame is shown, and judged fresh, on our clock.</param>
    public static DeviceView From(DeviceRecord d, DateTimeOffset now, long clockOffsetMs = 0)
    {
        var lastFrame = d.LastFrameTs + clockOffsetMs;
        return new(
            d.DeviceId,
            lastFrame,
            d.Status?.Online ?? (lastFrame is { } ts && now.ToUnixTimeMilliseconds() - ts <= FramesOnlineWindow.TotalMilliseconds),
            d.FirstSeenTs,
            d.StatusReceivedTs,
            d.Status?.Fw,
            d.Status?.Calibrated);
    }

    /// <summary>The views of these devices, those never heard from included.</summary>
    public static async Task<List<DeviceView>> ForAsync(IPostureStore store, IEnumerable<DeviceId> ids, DateTimeOffset now, DeviceClocks clocks,
        CancellationToken ct)
    {
        var views = new List<DeviceView>();
        foreach (var id in ids) views.Add(await store.GetDeviceAsync(id, ct) is { } d ? From(d, now, clocks.OffsetMs(id)) : NeverSeen(id));
        return views;
    }

    /// <summary>A device the wearer claimed that has not sent anything yet.</summary>
    public static DeviceView NeverSeen(DeviceId id) => new(id, null, false, 0, null, null, null);
}

public sealed record DayView(
    DeviceId DeviceId, string Day, long FromTs, long ToTs, SummaryView Summary,
    IReadOnlyList<MinutePoint> Timeline, IReadOnlyList<PromptView> Prompts, IReadOnlyList<AckView> Acks)
{
    public static DayView From(DayReport report)
    {
        var outcome = Outcomes(report.Acks);
        var watched = Watched(report.Acks);
        return new DayView(
            report.DeviceId, report.Day.Date.ToString(LocalDay.Format, System.Globalization.CultureInfo.InvariantCulture),
            report.Day.FromTs, report.Day.ToTs,
            SummaryView.From(report.Summary),
            report.Timeline,
            [.. report.Prompts.Select(p => PromptView.From(p, outcome.GetValueOrDefault(p.CommandId), watched.GetValueOrDefault(p.CommandId)))],
            [.. report.Acks.Select(a => new AckView(a.CommandId, a.Status, a.Ts, a.Exercise, a.Reps, a.HoldsS))]);
    }

    /// <summary>Per command, the newest ack that says what the device saw of the stretch (reps or holds).</summary>
    public static Dictionary<string, AckRecord> Watched(IEnumerable<AckRecord> acks) =>
        acks.Where(a => a.Reps is not null || a.HoldsS is not null)
            .GroupBy(a => a.CommandId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Ts)!);

    /// <summary>The newest ack per command is what became of it.</summary>
    public static Dictionary<string, string> Outcomes(IEnumerable<AckRecord> acks) => DayReport.Outcomes(acks);
}

public sealed record SummaryView(
    string Day, double WornMinutes, double? UprightShare, double HunchedMinutes,
    IReadOnlyList<RunView> HunchEpisodes, double LongestHunchMinutes,
    IReadOnlyList<RunView> SittingBouts, double LongestSittingBoutMinutes,
    int PromptsSent, int StretchesDone, int StretchesDismissed, int PromptsUnanswered)
{
    public static SummaryView From(DaySummary s) => new(
        s.Day.ToString(LocalDay.Format, System.Globalization.CultureInfo.InvariantCulture),
        Math.Round(s.WornMinutes, 2), s.UprightShare is { } u ? Math.Round(u, 4) : null, Math.Round(s.HunchedMinutes, 2),
        [.. s.HunchEpisodes.Select(RunView.From)], Math.Round(s.LongestHunch.TotalMinutes, 2),
        [.. s.SittingBouts.Select(RunView.From)], Math.Round(s.LongestSittingBout.TotalMinutes, 2),
        s.PromptsSent, s.StretchesDone, s.StretchesDismissed, s.PromptsUnanswered);
}

public sealed record RunView(long StartTs, long EndTs, long? DetectedTs, double Minutes)
{
    public static RunView From(PostureRun r) => new(r.StartTs, r.EndTs, r.DetectedTs, Math.Round(r.Duration.TotalMinutes, 2));
}

/// <param name="Outcome">The newest ack's status (received, done, dismissed), or null if the device never answered.</param>
/// <param name="Reps">Repetitions the device counted while the wearer did the stretch, if it watched it.</param>
/// <param name="HoldsS">Each hold the device timed, in seconds, if it watched it.</param>
public sealed record PromptView(string CommandId, long Ts, string Reason, string Exercise, string ExerciseName, string Pattern,
    long EpisodeStartTs, string? Outcome, int? Reps = null, IReadOnlyList<double>? HoldsS = null)
{
    public static PromptView From(PromptRecord p, string? outcome, AckRecord? watched = null) => new(
        p.CommandId, p.Ts, p.Reason.ToWire(), p.ExerciseId,
        ExerciseCatalog.TryGet(p.ExerciseId, out var e) ? e.Name : p.ExerciseId,
        p.Pattern, p.EpisodeStartTs, outcome, watched?.Reps, watched?.HoldsS);
}

public sealed record AckView(string CommandId, string Status, long Ts, string? Exercise = null, int? Reps = null, IReadOnlyList<double>? HoldsS = null);

/// <summary><c>GET /api/devices/{id}/history</c>: one point per day, oldest first, today last.</summary>
public sealed record HistoryView(DeviceId DeviceId, int Days, IReadOnlyList<TrendPoint> Points);

/// <summary>A day of a trend. Days without data have zero worn minutes and a null upright share.</summary>
public sealed record TrendPoint(
    string Day, double WornMinutes, double? UprightShare, double HunchedMinutes, double LongestHunchMinutes, int HunchEpisodes,
    double LongestSittingBoutMinutes, int SittingBouts, int PromptsSent, int StretchesDone, int StretchesDismissed)
{
    public static TrendPoint From(DaySummary s) => new(
        s.Day.ToString(LocalDay.Format, System.Globalization.CultureInfo.InvariantCulture),
        Math.Round(s.WornMinutes, 2), s.UprightShare is { } u ? Math.Round(u, 4) : null, Math.Round(s.HunchedMinutes, 2),
        Math.Round(s.LongestHunch.TotalMinutes, 2), s.HunchEpisodes.Count,
        Math.Round(s.LongestSittingBout.TotalMinutes, 2), s.SittingBouts.Count,
        s.PromptsSent, s.StretchesDone, s.StretchesDismissed);
}

/// <summary><c>GET /api/devices/{id}/now</c>: the device (online, last sync) and what the wearer is doing.</summary>
public sealed record NowView(DeviceView Device, LiveState Live);

public sealed record CommandView(string CommandId, string Type, long Ts);

public sealed record CatalogView(IReadOnlyList<Exercise> Exercises, IReadOnlyList<string> SeeAProfessionalWhen, string Disclaimer);
