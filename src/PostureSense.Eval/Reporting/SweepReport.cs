using System.Globalization;
using System.Text;
using PostureSense.Eval.Sweep;

namespace PostureSense.Eval.Reporting;

/// <summary>The sweep's part of the printout: a row per held angle, then the totals without the don't-care band.</summary>
public static class SweepReport
{
    public static string Render(SweepResult sweep, string? pngPath)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var table = new TextTable("held °", "true flexion °", "read pitch °", "counts as", "sessions", "detected", "prompted", "detection rate", "prompt rate");
        foreach (var row in sweep.Rows)
            table.Add(
                row.AngleDeg.ToString("0.0", CultureInfo.InvariantCulture),
                row.MeanTrueFlexionDeg.ToString("0.00", CultureInfo.InvariantCulture),
                row.MeanReadPitchDeg.ToString("0.00", CultureInfo.InvariantCulture),
                row.Class switch { SweepClass.Hunch => "hunch", SweepClass.Upright => "below", _ => "don't care" },
                row.Sessions.Count.ToString(CultureInfo.InvariantCulture),
                row.Detected.ToString(CultureInfo.InvariantCulture),
                row.Prompted.ToString(CultureInfo.InvariantCulture),
                row.DetectionRate.ToString("0.00", CultureInfo.InvariantCulture),
                row.PromptRate.ToString("0.00", CultureInfo.InvariantCulture));
        var low = sweep.ThresholdDeg - sweep.MarginDeg;
        var high = sweep.ThresholdDeg + sweep.MarginDeg;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"threshold sweep: a hunch held at each angle, {SweepSession.Hold.TotalMinutes:0} min, between upright sitting\n");
        text.Append(table).Append('\n');
        text.Append(CultureInfo.InvariantCulture,
            $"holds over {high:0}°: detected {sweep.HunchDetected} of {sweep.HunchSessions} (recall {sweep.Recall:0.000}); ")
            .Append(CultureInfo.InvariantCulture,
            $"holds under {low:0}°: prompted {sweep.UprightPrompted} of {sweep.UprightSessions} (false-prompt rate {sweep.FalsePromptRate:0.000})\n");
        text.Append(CultureInfo.InvariantCulture,
            $"don't care, {low:0}-{high:0}° (left out of both): {sweep.DontCareSessions} sessions, detected {sweep.DontCareDetected}, prompted {sweep.DontCarePrompted}\n");
        if (pngPath is not null) text.Append(CultureInfo.InvariantCulture, $"sweep chart: {pngPath}\n");
        return text.ToString();
    }
}
