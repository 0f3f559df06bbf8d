using PostureSense.Core.Contract;
using PostureSense.Accounts;
using PostureSense.Accounts.Settings;
using PostureSense.Core.Coaching;
using PostureSense.Storage.History;

namespace PostureSense.Cli.Reports;

/// <summary>
/// <c>posturesense report</c>: the same day report the dashboard shows, built by the server's own
/// code from the same store, as a table on stdout, a PNG timeline and a CSV of the frames.
/// </summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(ReportOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        await using var store = await CliStores.OpenExistingAsync(options.Store, cancellationToken);
        var settingsFor = await SettingsAsync(options.AppDatabase, options.DeviceId, cancellationToken);
        var days = new DayReports(store, clock, settingsFor);
        var (report, frames) = await days.BuildWithFramesAsync(options.DeviceId, options.Day, cancellationToken);

        output.Write(SummaryTable.Format(report, clock.LocalTimeZone));
        if (options.ChartPath is { } chart)
        {
            TimelineChart.Save(report, settingsFor(options.DeviceId).HunchPitchDeg, clock.LocalTimeZone, chart, options.Width, options.Height);
            output.WriteLine($"Chart: {Path.GetFullPath(chart)} ({options.Width}x{options.Height})");
        }
        if (options.CsvPath is { } csv)
        {
            await FramesCsv.WriteAsync(csv, frames, clock.LocalTimeZone, cancellationToken);
            output.WriteLine($"Frames: {Path.GetFullPath(csv)} ({frames.Count} rows)");
        }
        return 0;
    }

    /// <summary>
    /// The thresholds of the device's wearer when the app database is there (it is not created for a
    /// report), else the defaults; settings that do not read back valid count as the defaults, as in the server.
    /// </summary>
    static async Task<Func<DeviceId, CoachingSettings>> SettingsAsync(string appDatabase, DeviceId deviceId, CancellationToken cancellationToken)
    {
        if (!File.Exists(appDatabase)) return _ => CoachingSettings.Default;
        await using var db = await AppDatabase.OpenAsync(appDatabase, cancellationToken);
        var json = await db.OwnerOfAsync(deviceId, cancellationToken) is { } owner ? await db.GetSettingsJsonAsync(owner, cancellationToken) : null;
        var settings = json is not null && WearerSettings.Parse(json, out _) is { } saved && saved.Validate().Count == 0
            ? saved.ToCoachingSettings()
            : CoachingSettings.Default;
        return _ => settings;
    }
}
