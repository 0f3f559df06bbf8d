using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Server.Api;
using PostureSense.Server.History;
using PostureSense.Server.Storage;
using static PostureSense.Server.Dashboard.Html;

namespace PostureSense.Server.Dashboard;

/// <summary><c>GET /devices/{id}?day=yyyy-MM-dd</c>: a wearer's day, its prompts, and the exercises.</summary>
static class DevicePage
{
    public static async Task<IResult> RenderAsync(string id, string? dayText, bool owned, DayReports days, CancellationToken ct)
    {
        if (!DeviceId.IsValid(id))
            return Error(StatusCodes.Status400BadRequest, $"'{id}' is not a device id.");
        var date = days.Today;
        if (!string.IsNullOrEmpty(dayText) && !LocalDay.TryParse(dayText, out date))
            return Error(StatusCodes.Status400BadRequest, $"'{dayText}' is not a date; use yyyy-MM-dd.");
        if (!owned)
            return Error(StatusCodes.Status404NotFound, $"You have no device '{id}'.");

        var report = await days.BuildAsync(id, date, ct);
        var zone = days.Zone;
        var body = new StringBuilder();
        body.Append("<h1>").Append(E(id)).Append("</h1>");
        AppendDayNav(body, id, date, days.Today);
        AppendSummary(body, report);
        AppendChart(body, report);
        AppendPrompts(body, report, zone);
        AppendExercises(body);
        return Page($"{id} {date:yyyy-MM-dd}", body.ToString());
    }

    static void AppendDayNav(StringBuilder body, string id, DateOnly date, DateOnly today)
    {
        string Link(DateOnly d, string label) =>
            $"<a href=\"/devices/{Uri.EscapeDataString(id)}?day={d.ToString(LocalDay.Format, CultureInfo.InvariantCulture)}\">{E(label)}</a>";
        body.Append("<nav>").Append(Link(date.AddDays(-1), "< previous day"))
            .Append("<strong>").Append(E(date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture))).Append("</strong> ");
        if (date < today) body.Append(Link(date.AddDays(1), "next day >")).Append(Link(today, "today"));
        body.Append("</nav>");
    }

    static void AppendSummary(StringBuilder body, DayReport report)
    {
        var s = report.Summary;
        body.Append("<h2>Summary</h2>");
        if (s.WornMinutes == 0)
        {
            body.Append("<p>No posture data for this day.</p>");
            return;
        }
        void Card(string label, string value) =>
            body.Append("<div class=\"card\">").Append(E(label)).Append("<b>").Append(E(value)).Append("</b></div>");
        body.Append("<div class=\"cards\">");
        Card("Worn", Minutes(s.WornMinutes));
        Card("Upright", s.UprightShare is { } u ? $"{u * 100:0}%" : "-");
        Card("Hunched", Minutes(s.HunchedMinutes));
        Card("Longest hunch", Minutes(s.LongestHunch.TotalMinutes));
        Card("Sitting bouts", s.SittingBouts.Count.ToString(CultureInfo.InvariantCulture));
        Card("Longest sitting", Minutes(s.LongestSittingBout.TotalMinutes));
        Card("Prompts sent", s.PromptsSent.ToString(CultureInfo.InvariantCulture));
        Card("Stretches done", s.StretchesDone.ToString(CultureInfo.InvariantCulture));
        Card("Dismissed", s.StretchesDismissed.ToString(CultureInfo.InvariantCulture));
        body.Append("</div>");
    }

    /// <summary>Mean pitch per minute across the day, with the prolonged-hunch angle marked.</summary>
    static void AppendChart(StringBuilder body, DayReport report)
    {
        if (report.Timeline.Count == 0) return;
        const double width = 1440, height = 200, minPitch = -10, maxPitch = 60, hunchDeg = 20;
        double X(long ts) => Math.Round((ts - report.Day.FromTs) / 60_000.0 * width / ((report.Day.ToTs - report.Day.FromTs) / 60_000.0), 1);
        double Y(double pitch) => Math.Round(height - (Math.Clamp(pitch, minPitch, maxPitch) - minPitch) / (maxPitch - minPitch) * height, 1);
        var inv = CultureInfo.InvariantCulture;
        body.Append("<h2>Posture through the day</h2>")
            .Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Mean forward lean per minute\">")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" x2=\"{width}\" y1=\"{Y(hunchDeg)}\" y2=\"{Y(hunchDeg)}\" stroke=\"#d9822b\" stroke-dasharray=\"6 4\"/>");
        for (var hour = 3; hour < 24; hour += 3)
        {
            var x = X(report.Day.FromTs + hour * 3_600_000L).ToString(inv);
            body.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{x}\" x2=\"{x}\" y1=\"0\" y2=\"{height}\" stroke=\"#eef0f3\"/><text x=\"{x}\" y=\"14\" font-size=\"12\" fill=\"#5b6473\">{hour:00}:00</text>");
        }
        foreach (var p in report.Timeline)
        {
            var color = p.MeanPitch >= hunchDeg ? "#c0392b" : "#2c7fb8";
            body.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{X(p.Ts).ToString(inv)}\" y=\"{Y(p.MeanPitch).ToString(inv)}\" width=\"1\" height=\"{(height - Y(p.MeanPitch)).ToString(inv)}\" fill=\"{color}\"/>");
        }
        body.Append("</svg><p>Bars: mean forward lean per minute, 0:00 to 24:00. Dashed line: 20°, the prolonged-hunch angle.</p>");
    }

    static void AppendPrompts(StringBuilder body, DayReport report, TimeZoneInfo zone)
    {
        body.Append("<h2>Stretch prompts</h2>");
        if (report.Prompts.Count == 0)
        {
            body.Append("<p>No prompts this day.</p>");
            return;
        }
        var outcomes = DayView.Outcomes(report.Acks);
        body.Append("<table><thead><tr><th>Time</th><th>Why</th><th>Exercise</th><th>Answer</th></tr></thead><tbody>");
        foreach (var p in report.Prompts)
        {
            var exercise = ExerciseCatalog.TryGet(p.ExerciseId, out var e) ? e.Name : p.ExerciseId;
            var why = p.Reason == PromptReason.Hunch ? "prolonged hunch" : "prolonged sitting";
            var answer = outcomes.GetValueOrDefault(p.CommandId) switch
            {
                CommandAck.Statuses.Done => "done",
                CommandAck.Statuses.Dismissed => "dismissed",
                CommandAck.Statuses.Received => "received, not answered",
                _ => "no answer",
            };
            body.Append("<tr><td>").Append(E(Time(p.Ts, zone))).Append("</td><td>").Append(E(why))
                .Append("</td><td>").Append(E(exercise)).Append("</td><td>").Append(E(answer)).Append("</td></tr>");
        }
        body.Append("</tbody></table>");
    }

    static void AppendExercises(StringBuilder body)
    {
        body.Append("<h2>The exercises</h2>");
        foreach (var exercise in ExerciseCatalog.All)
        {
            body.Append("<h3>").Append(E(exercise.Name)).Append("</h3><ol>");
            foreach (var step in exercise.Steps) body.Append("<li>").Append(E(step)).Append("</li>");
            body.Append("</ol><p>").Append(E(exercise.Dose)).Append("</p>");
        }
        body.Append("<div class=\"advice\"><h2>When to see a professional</h2><p>See a doctor or physiotherapist if you have:</p><ul>");
        foreach (var sign in ExerciseCatalog.SeeAProfessionalWhen) body.Append("<li>").Append(E(sign)).Append("</li>");
        body.Append("</ul><p>PostureSense coaches posture habits. It does not diagnose or treat any condition.</p></div>");
    }
}
