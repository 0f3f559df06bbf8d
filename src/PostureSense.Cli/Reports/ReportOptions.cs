using System.Globalization;
using Microsoft.Extensions.Configuration;
using PostureSense.Accounts;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Hosting.Options;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Cli.Reports;

/// <summary>What <c>posturesense report</c> was asked for.</summary>
public sealed record ReportOptions(DeviceId DeviceId, DateOnly Day, StoreLocation Store, string AppDatabase,
    string? ChartPath, string? CsvPath, int Width, int Height)
{
    public const int DefaultWidth = 1600;
    public const int DefaultHeight = 600;

    /// <summary>The arguments after <c>posturesense report</c>; every problem in one <see cref="OptionsException"/>.</summary>
    public static ReportOptions Parse(IReadOnlyList<string> args, SettingsSources? sources = null)
    {
        var layers = CliCommands.Load(["report"], args, sources);
        var settings = layers.Settings.Get<ReportSettings>() ?? new ReportSettings();
        var problems = layers.StartChecks();
        var deviceText = layers.Required(settings.Device, "--device", problems);
        PostureSense.Core.Contract.DeviceId device = default;
        if (settings.Device is not null && !PostureSense.Core.Contract.DeviceId.TryParse(deviceText, out device))
            problems.Add($"{layers.SourceOf("Device")} {PostureSense.Core.Contract.DeviceId.NotAnIdMessage(deviceText)}");
        var dayText = layers.Required(settings.Day, "--day", problems);
        if (!LocalDay.TryParse(dayText, out var day) && settings.Day is not null)
            problems.Add($"{layers.SourceOf("Day")} '{dayText}' is not a date; use YYYY-MM-DD");
        var (width, height) = settings.Size is { } size
            ? problems.Check(() => ParseSize(size, layers.SourceOf("Size")), (DefaultWidth, DefaultHeight))
            : (DefaultWidth, DefaultHeight);
        var store = CliStores.Store(settings.Store, layers, problems);
        var chart = problems.Check(() => OutputPath(settings.Out, layers.SourceOf("Out"), ".png"), null);
        var csv = problems.Check(() => OutputPath(settings.Csv, layers.SourceOf("Csv"), ".csv"), null);
        problems.ThrowIfAny();
        return new ReportOptions(device, day, store, CliStores.AppDatabase(settings.AppDb, store), chart, csv, width, height);
    }

    static (int Width, int Height) ParseSize(string text, string source)
    {
        var parts = text.Split('x');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 300 and <= 8000
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h is >= 200 and <= 8000
            ? (w, h)
            : throw new OptionsException($"{source} '{text}' must be WIDTHxHEIGHT in pixels, 300-8000 by 200-8000, such as 1600x600");
    }

    /// <summary>A file to write: the right extension, in a folder that exists.</summary>
    static string? OutputPath(string? path, string option, string extension)
    {
        if (path is null) return null;
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            throw new OptionsException($"{option} '{path}' must name a {extension} file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder)) throw new OptionsException($"{option} '{path}': folder '{folder}' does not exist");
        return path;
    }
}

/// <summary>The report's settings as written; each property is an option (<c>AppDb</c> is <c>--app-db</c>).</summary>
internal sealed class ReportSettings
{
    public string? Device { get; set; }
    public string? Day { get; set; }
    public string? Store { get; set; }
    public string? AppDb { get; set; }
    public string? Out { get; set; }
    public string? Size { get; set; }
    public string? Csv { get; set; }
}
