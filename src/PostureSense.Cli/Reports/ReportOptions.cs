using System.Globalization;
using PostureSense.Accounts;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Cli.Reports;

/// <summary>What <c>posturesense report</c> was asked for.</summary>
public sealed record ReportOptions(string DeviceId, DateOnly Day, StoreLocation Store, string AppDatabase,
    string? ChartPath, string? CsvPath, int Width, int Height)
{
    public const int DefaultWidth = 1600;
    public const int DefaultHeight = 600;

    public const string Usage =
        "usage: posturesense report --device ID --day YYYY-MM-DD [--store sqlite:PATH|influxdb://...] [--app-db PATH] " +
        "[--out chart.png] [--size 1600x600] [--csv frames.csv]";

    static readonly string[] Names = ["device", "day", "store", "app-db", "out", "size", "csv"];

    public static ReportOptions Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine(args, Names, Usage);
        var device = line.Required("device");
        if (!PostureSense.Core.Contract.DeviceId.IsValid(device)) throw new OptionsException($"--device '{device}' is not a device id; use 1-63 lowercase letters, digits or '-'");
        var dayText = line.Required("day");
        if (!LocalDay.TryParse(dayText, out var day)) throw new OptionsException($"--day '{dayText}' is not a date; use YYYY-MM-DD");
        var (width, height) = line.Optional("size") is { } size ? ParseSize(size) : (DefaultWidth, DefaultHeight);
        var store = CliStores.Store(line);
        return new ReportOptions(device, day, store, CliStores.AppDatabase(line, store),
            OutputPath(line.Optional("out"), "--out", ".png"), OutputPath(line.Optional("csv"), "--csv", ".csv"), width, height);
    }

    static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 300 and <= 8000
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h is >= 200 and <= 8000
            ? (w, h)
            : throw new OptionsException($"--size '{text}' must be WIDTHxHEIGHT in pixels, 300-8000 by 200-8000, such as 1600x600");
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
