using ScottPlot;

namespace PostureSense.Eval.Sweep;

/// <summary>
/// The sweep as a PNG: detection rate and false-prompt rate against the held angle, the threshold
/// a dashed line and the don't-care band shaded, so the margin around 20° is there to see.
/// </summary>
public static class SweepChart
{
    static readonly Color Detection = Color.FromHex("#1c7c3a");
    static readonly Color Prompt = Color.FromHex("#d9534f");
    static readonly Color Band = Color.FromHex("#808080").WithAlpha(0.18);

    public const int Width = 900, Height = 520;

    public static void Save(SweepResult sweep, string path)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var plot = new Plot();
        var band = plot.Add.HorizontalSpan(sweep.ThresholdDeg - sweep.MarginDeg, sweep.ThresholdDeg + sweep.MarginDeg, Band);
        band.LineStyle.Width = 0;

        var xs = sweep.Rows.Select(r => r.AngleDeg).ToArray();
        var detected = plot.Add.Scatter(xs, sweep.Rows.Select(r => r.DetectionRate).ToArray(), Detection);
        detected.LineWidth = 2;
        detected.MarkerSize = 8;
        // Prompts are drawn dashed over the detections: where both are 1 they coincide, and should be seen to.
        var prompted = plot.Add.Scatter(xs, sweep.Rows.Select(r => r.PromptRate).ToArray(), Prompt);
        prompted.LineWidth = 2;
        prompted.LinePattern = LinePattern.Dashed;
        prompted.MarkerShape = MarkerShape.OpenCircle;
        prompted.MarkerSize = 11;

        plot.Add.VerticalLine(sweep.ThresholdDeg, 1.5f, Colors.Black, LinePattern.Dashed);

        var seeds = sweep.Rows.Count == 0 ? 0 : sweep.Rows.Max(r => r.Sessions.Count);
        plot.Title($"Prolonged hunch vs held trunk angle ({seeds} seeded sessions per angle)");
        plot.XLabel("held trunk flexion (°)");
        plot.YLabel("share of sessions");
        var from = xs.Length == 0 ? sweep.ThresholdDeg - 5 : Math.Min(xs.Min(), sweep.ThresholdDeg - sweep.MarginDeg);
        var to = xs.Length == 0 ? sweep.ThresholdDeg + 5 : Math.Max(xs.Max(), sweep.ThresholdDeg + sweep.MarginDeg);
        plot.Axes.SetLimitsX(from - 0.5, to + 0.5);
        plot.Axes.SetLimitsY(-0.05, 1.1);
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.MiddleLeft; // under 19° both rates should be 0, over 21° 1: the left middle stays clear
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "detected (recall over 21°)", LineColor = Detection, LineWidth = 2, MarkerColor = Detection, MarkerShape = MarkerShape.FilledCircle });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "prompted (false under 19°)", LineColor = Prompt, LineWidth = 2, LinePattern = LinePattern.Dashed, MarkerColor = Prompt, MarkerShape = MarkerShape.OpenCircle });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"don't care ({sweep.ThresholdDeg - sweep.MarginDeg:0}-{sweep.ThresholdDeg + sweep.MarginDeg:0}°)", FillColor = Band });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"threshold {sweep.ThresholdDeg:0}°", LineColor = Colors.Black, LineWidth = 1.5f, LinePattern = LinePattern.Dashed });
        plot.SavePng(path, Width, Height);
    }
}
