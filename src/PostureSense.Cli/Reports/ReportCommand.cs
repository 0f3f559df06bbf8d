using PostureSense.Core.Coaching;
using PostureSense.Server.Accounts;
using PostureSense.Server.History;
using PostureSense.Server.Settings;
using Microsoft.Extensions.Logging.Abstractions;

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
        var settingsFor = await SettingsAsync(options.AppDatabase, cancellationToken);
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

    /// <summary>The wearer's thresholds when the app database is there (it is not created for a report), else the defaults.</summary>
    static async Task<Func<string, CoachingSettings>> SettingsAsync(string appDatabase, CancellationToken cancellationToken)
    {
        if (!File.Exists(appDatabase)) return _ => CoachingSettings.Default;
        var db = await AppDatabase.OpenAsync(appDatabase, cancellationToken);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, cancellationToken);
        var settings = await SettingsService.OpenAsync(db, accounts, TimeProvider.System, NullLogger<SettingsService>.Instance, cancellationToken);
        return settings.SettingsFor;
    }
}
