using System.Globalization;
using PostureSense.Core.Posture;

namespace PostureSense.Cli.Reports;

/// <summary>The day's frames as CSV, one row per frame, so a spreadsheet or a script can take over.</summary>
public static class FramesCsv
{
    public const string Header = "ts,time,pitch,roll,motion,steps";

    /// <summary>Negative zero (InfluxDB hands it back as stored) written as 0, so both stores export the same file.</summary>
    static double Number(double value) => value + 0.0;

    public static async Task WriteAsync(string path, IReadOnlyList<PostureFrame> frames, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        await writer.WriteLineAsync(Header);
        var inv = CultureInfo.InvariantCulture;
        foreach (var f in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(f.Ts), zone);
            await writer.WriteLineAsync(string.Create(inv,
                $"{f.Ts},{local:yyyy-MM-ddTHH:mm:sszzz},{Number(f.Pitch):0.###},{Number(f.Roll):0.###},{Number(f.Motion):0.####},{f.Steps}"));
        }
    }
}
