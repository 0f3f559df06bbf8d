using PostureSense.Core.Contract;
using System.Globalization;
using PostureSense.Server.History;
using PostureSense.Storage.History;

namespace PostureSense.Server.Ui.Shared;

/// <summary>Numbers and times as the dashboard words them.</summary>
public static class Show
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Time(long ts, TimeZoneInfo zone, string format = "HH:mm") =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ts), zone).ToString(format, Invariant);

    public static string Minutes(double minutes) => Durations.Text(minutes);

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0", Invariant) + "%" : "-";

    public static string Day(DateOnly day) => day.ToString(LocalDay.Format, Invariant);

    public static string Number(double value, string format = "0.#") => value.ToString(format, Invariant);

    /// <summary>The path of a device page: the id is a device id (validated), the rest fixed text.</summary>
    public static string DevicePath(DeviceId deviceId, string page = "") =>
        "/devices/" + Uri.EscapeDataString(deviceId.Value) + (page.Length > 0 ? "/" + page : "");

    public static string DayPath(DeviceId deviceId, DateOnly day) => DevicePath(deviceId, "day/" + Day(day));

    /// <summary>What became of a prompt, with what the device counted if it watched the stretch: "done, 9 reps".</summary>
    public static string Outcome(Api.PromptView prompt)
    {
        var text = prompt.Outcome ?? "no answer";
        if (prompt.Reps is { } reps) text += $", {reps} rep{(reps == 1 ? "" : "s")}";
        if (prompt.HoldsS is { Count: > 0 } holds) text += ", held " + string.Join(" + ", holds.Select(h => h.ToString("0", Invariant) + " s"));
        return text;
    }
}
