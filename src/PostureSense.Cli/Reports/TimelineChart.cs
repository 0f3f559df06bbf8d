using System.Globalization;
using PostureSense.Core.Exercises;
using ScottPlot;
using PostureSense.Storage.History;

namespace PostureSense.Cli.Reports;

/// <summary>
/// The day as a PNG: mean pitch per minute (its maximum faint behind it), hunch episodes shaded
/// red and sitting bouts blue, the prolonged-hunch angle as a dashed line, each prompt a vertical
/// line coloured by what became of it. Times are local; the chart spans the hours worn.
/// </summary>
public static class TimelineChart
{
    static readonly Color Pitch = Color.FromHex("#23395d");
    static readonly Color HunchShade = Color.FromHex("#d9534f").WithAlpha(0.22);
    static readonly Color SittingShade = Color.FromHex("#5b8bd9").WithAlpha(0.16);
    static readonly Color Done = Color.FromHex("#1c7c3a");
    static readonly Color NotDone = Color.FromHex("#e08a00");

    public static void Save(DayReport report, double hunchPitchDeg, TimeZoneInfo zone, string path, int width, int height)
    {
        var plot = new Plot();
        double X(long ts) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ts), zone).DateTime.ToOADate();

        foreach (var run in report.Summary.SittingBouts)
        {
            var span = plot.Add.HorizontalSpan(X(run.StartTs), X(run.EndTs), SittingShade);
            span.LineStyle.Width = 0;
        }
        foreach (var run in report.Summary.HunchEpisodes)
        {
            var span = plot.Add.HorizontalSpan(X(run.StartTs), X(run.EndTs), HunchShade);
            span.LineStyle.Width = 0;
        }

        // One line per stretch of consecutive minutes: a gap (device off) stays a gap.
        foreach (var segment in Segments(report.Timeline))
        {
            var xs = segment.Select(p => X(p.Ts)).ToArray();
            var max = plot.Add.ScatterLine(xs, segment.Select(p => p.MaxPitch).ToArray(), Pitch.WithAlpha(0.25));
            max.LineWidth = 1;
            var mean = plot.Add.ScatterLine(xs, segment.Select(p => p.MeanPitch).ToArray(), Pitch);
            mean.LineWidth = 2;
        }

        var limit = plot.Add.HorizontalLine(hunchPitchDeg, 1, Color.FromHex("#d9534f"), LinePattern.Dashed);
        limit.LabelText = $"{hunchPitchDeg:0}°";

        var outcome = DayReport.Outcomes(report.Acks);
        foreach (var prompt in report.Prompts)
        {
            var done = outcome.GetValueOrDefault(prompt.CommandId) == "done";
            // Solid for a hunch prompt, dashed for a sitting one; the colour says what became of it.
            plot.Add.VerticalLine(X(prompt.Ts), 1.5f, done ? Done : NotDone,
                prompt.Reason == PromptReason.Hunch ? LinePattern.Solid : LinePattern.Dashed);
        }

        var axis = plot.Axes.DateTimeTicksBottom();
        if (axis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks) ticks.LabelFormatter = t => t.ToString("HH:mm", CultureInfo.InvariantCulture);
        var (from, to) = Shown(report);
        plot.Axes.SetLimitsX(X(from), X(to));
        var top = report.Timeline.Count == 0 ? 60 : Math.Max(60, report.Timeline.Max(p => p.MaxPitch) + 5);
        var bottom = report.Timeline.Count == 0 ? -15 : Math.Min(-15, report.Timeline.Min(p => p.MeanPitch) - 5);
        plot.Axes.SetLimitsY(bottom, top);
        plot.Title($"{report.DeviceId}, {report.Day.Date:yyyy-MM-dd}: upper-back pitch per minute");
        plot.YLabel("pitch (°, + = forward)");
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperRight; // pitch rarely climbs that high: the lines stay visible
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "mean pitch", LineColor = Pitch, LineWidth = 2 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "hunch episode", FillColor = HunchShade });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "sitting bout", FillColor = SittingShade });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "prompt, done", LineColor = Done, LineWidth = 2 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "prompt, not done", LineColor = NotDone, LineWidth = 2 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "(dashed: sitting prompt)", LineColor = Colors.Gray, LineWidth = 2, LinePattern = LinePattern.Dashed });
        plot.SavePng(path, width, height);
    }

    /// <summary>The hours the device was worn, with a margin; the whole day when it was not worn at all.</summary>
    static (long From, long To) Shown(DayReport report)
    {
        if (report.Timeline.Count == 0) return (report.Day.FromTs, report.Day.ToTs);
        const long hour = 3_600_000;
        var from = Math.Max(report.Day.FromTs, report.Timeline[0].Ts - hour / 2);
        var to = Math.Min(report.Day.ToTs, report.Timeline[^1].Ts + 60_000 + hour / 2);
        return (from, to);
    }

    static IEnumerable<List<MinutePoint>> Segments(IReadOnlyList<MinutePoint> points)
    {
        var segment = new List<MinutePoint>();
        foreach (var point in points)
        {
            if (segment.Count > 0 && point.Ts - segment[^1].Ts > 60_000)
            {
                yield return segment;
                segment = [];
            }
            segment.Add(point);
        }
        if (segment.Count > 0) yield return segment;
    }
}
