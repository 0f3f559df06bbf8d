using System.Globalization;
using System.Text;
using PostureSense.Core.Detection;
using PostureSense.Storage.History;

namespace PostureSense.Cli.Reports;

/// <summary>The day's summary as a plain text table, then its episodes, bouts and prompts with local times.</summary>
public static class SummaryTable
{
    public static string Format(DayReport report, TimeZoneInfo zone)
    {
        var s = report.Summary;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"PostureSense day report: {report.DeviceId}, {report.Day.Date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} ({zone.Id})");
        if (s.WornMinutes == 0)
        {
            text.AppendLine("No posture data for this day.");
            return text.ToString();
        }
        var outcome = DayReport.Outcomes(report.Acks);
        Row(text, "Worn", Minutes(s.WornMinutes));
        Row(text, "Upright", s.UprightShare is { } u ? $"{u * 100:0}%" : "-");
        Row(text, "Hunched", Minutes(s.HunchedMinutes));
        Row(text, "Hunch episodes", $"{s.HunchEpisodes.Count} (longest {Minutes(s.LongestHunch.TotalMinutes)})");
        Row(text, "Sitting bouts", $"{s.SittingBouts.Count} (longest {Minutes(s.LongestSittingBout.TotalMinutes)})");
        Row(text, "Prompts sent", s.PromptsSent.ToString(CultureInfo.InvariantCulture));
        Row(text, "Stretches done", s.StretchesDone.ToString(CultureInfo.InvariantCulture));
        Row(text, "Dismissed", s.StretchesDismissed.ToString(CultureInfo.InvariantCulture));
        Row(text, "Unanswered", s.PromptsUnanswered.ToString(CultureInfo.InvariantCulture));
        Runs(text, "Hunch episodes", s.HunchEpisodes, zone);
        Runs(text, "Sitting bouts", s.SittingBouts, zone);
        if (report.Prompts.Count > 0)
        {
            text.AppendLine().AppendLine("Prompts");
            foreach (var p in report.Prompts)
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {Time(p.Ts, zone)}  {(p.Reason == Core.Exercises.PromptReason.Hunch ? "hunch  " : "sitting")}  {p.ExerciseId,-18} {outcome.GetValueOrDefault(p.CommandId) ?? "no answer"}");
        }
        return text.ToString();
    }

    static void Row(StringBuilder text, string label, string value) => text.AppendLine(CultureInfo.InvariantCulture, $"  {label,-16} {value}");

    static void Runs(StringBuilder text, string title, IReadOnlyList<PostureRun> runs, TimeZoneInfo zone)
    {
        if (runs.Count == 0) return;
        text.AppendLine().AppendLine(title);
        foreach (var r in runs)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Time(r.StartTs, zone)}-{Time(r.EndTs, zone)}  {Minutes(r.Duration.TotalMinutes)}");
    }

    static string Time(long ts, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ts), zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    static string Minutes(double minutes) => Durations.Text(minutes);
}
