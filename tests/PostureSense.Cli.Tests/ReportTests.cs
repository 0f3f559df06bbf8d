using PostureSense.Core.Contract;
using System.Diagnostics;
using PostureSense.Cli.Reports;
using PostureSense.Core.Configuration;
using SkiaSharp;

namespace PostureSense.Cli.Tests;

/// <summary><c>posturesense report</c> over a whole stored day: the table, a PNG that decodes, a CSV row per frame.</summary>
public sealed class ReportTests : IAsyncLifetime
{
    WorkdayStore _store = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await WorkdayStore.CreateAsync(Ct);

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task The_report_prints_the_summary_and_writes_a_decodable_png_and_a_csv_row_per_frame()
    {
        var chart = _store.File("day.png");
        var csv = _store.File("frames.csv");
        var output = new StringWriter();

        var code = await ReportCommand.RunAsync(Options("--out", chart, "--csv", csv), output, Ct);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("PostureSense day report: desk-1, Tuesday 10 March 2026", text);
        Assert.Contains("Worn             24 h 0 min", text);
        Assert.Contains("Hunched          20 min", text);
        Assert.Contains("Hunch episodes   1 (longest 20 min)", text);
        Assert.Contains("Prompts sent     2", text);
        Assert.Contains("Stretches done   1", text);
        Assert.Contains("10:05  hunch    cat-cow            done", text);
        Assert.Contains("10:30  sitting  superman           no answer", text);

        using var bitmap = SKBitmap.Decode(chart);
        Assert.NotNull(bitmap);
        Assert.Equal((ReportOptions.DefaultWidth, ReportOptions.DefaultHeight), (bitmap.Width, bitmap.Height));
        // Not a blank canvas: the pitch line and the shading put many colours on it.
        var colours = new HashSet<SKColor>();
        for (var x = 0; x < bitmap.Width; x += 7)
            for (var y = 0; y < bitmap.Height; y += 7)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 20, $"the chart has only {colours.Count} colours");

        var rows = await File.ReadAllLinesAsync(csv, Ct);
        Assert.Equal(FramesCsv.Header, rows[0]);
        Assert.Equal(_store.FrameCount + 1, rows.Length);
        Assert.Equal(86_401, rows.Length);
        var first = rows[1].Split(',');
        Assert.Equal(_store.LocalDay.FromTs.ToString(System.Globalization.CultureInfo.InvariantCulture), first[0]);
        Assert.Equal("4", first[2]);
        Assert.Equal("0", first[5]);
    }

    [Fact]
    public async Task The_chart_takes_the_size_asked_for()
    {
        var chart = _store.File("small.png");
        await ReportCommand.RunAsync(Options("--out", chart, "--size", "800x300"), TextWriter.Null, Ct);
        using var bitmap = SKBitmap.Decode(chart);
        Assert.Equal((800, 300), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task A_day_without_data_says_so_and_exports_only_the_header()
    {
        var csv = _store.File("empty.csv");
        var output = new StringWriter();
        var options = ReportOptions.Parse(["--device", "desk-1", "--day", "2026-03-11", "--store", "sqlite:" + _store.Path, "--csv", csv]);

        Assert.Equal(0, await ReportCommand.RunAsync(options, output, Ct));

        Assert.Contains("No posture data for this day.", output.ToString());
        Assert.Equal([FramesCsv.Header], await File.ReadAllLinesAsync(csv, Ct));
    }

    [Fact]
    public async Task A_csv_row_has_the_frames_values_with_negative_zero_as_zero()
    {
        var path = _store.File("one.csv");
        await FramesCsv.WriteAsync(path, [new PostureSense.Core.Posture.PostureFrame(1_773_136_800_000, 24.56, -0.0, 0.0123, 2)],
            TimeZoneInfo.Utc, Ct);
        Assert.Equal([FramesCsv.Header, "1773136800000,2026-03-10T10:00:00+00:00,24.56,0,0.0123,2"], await File.ReadAllLinesAsync(path, Ct));
    }

    [Theory]
    [InlineData(new[] { "--day", "2026-03-10" }, "--device is required")]
    [InlineData(new[] { "--device", "desk-1" }, "--day is required")]
    [InlineData(new[] { "--device", "Desk_1", "--day", "2026-03-10" }, "--device 'Desk_1' is not a device id")]
    [InlineData(new[] { "--device", "desk-1", "--day", "10.03.2026" }, "--day '10.03.2026' is not a date; use YYYY-MM-DD")]
    [InlineData(new[] { "--device", "desk-1", "--day", "2026-02-30" }, "--day '2026-02-30' is not a date")]
    [InlineData(new[] { "--device", "desk-1", "--day", "2026-03-10", "--out", "chart.jpg" }, "--out 'chart.jpg' must name a .png file")]
    [InlineData(new[] { "--device", "desk-1", "--day", "2026-03-10", "--out", "/no/such/folder/chart.png" }, "folder '/no/such/folder' does not exist")]
    [InlineData(new[] { "--device", "desk-1", "--day", "2026-03-10", "--size", "10x10" }, "--size '10x10' must be WIDTHxHEIGHT")]
    [InlineData(new[] { "--device", "desk-1", "--day", "2026-03-10", "--store", "postgres://x" }, "unknown scheme 'postgres'")]
    [InlineData(new[] { "--device", "desk-1", "--day", "2026-03-10", "--colour", "red" }, "unknown option '--colour'")]
    [InlineData(new[] { "--device", "desk-1", "--device", "desk-2", "--day", "2026-03-10" }, "option '--device' is given twice")]
    [InlineData(new[] { "--device" }, "option '--device' needs a value")]
    public void Bad_flags_are_refused_with_a_clear_reason(string[] args, string reason)
    {
        var error = Assert.Throws<OptionsException>(() => ReportOptions.Parse(args));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Values_may_follow_an_equals_sign_and_every_problem_is_named_at_once()
    {
        var options = ReportOptions.Parse(["--device=desk-1", "--day=2026-03-10", "--size=800x300", "--store=sqlite:" + _store.Path]);
        Assert.Equal((DeviceId.Parse("desk-1"), new DateOnly(2026, 3, 10), 800, 300), (options.DeviceId, options.Day, options.Width, options.Height));

        var error = Assert.Throws<OptionsException>(() => ReportOptions.Parse(["--device", "Desk_1", "--day", "2026-02-30", "--size", "10x10"]));
        Assert.Equal("--device 'Desk_1' is not a device id; use 1-63 lowercase letters, digits or '-'; --day '2026-02-30' is not a date; use YYYY-MM-DD; " +
                     "--size '10x10' must be WIDTHxHEIGHT in pixels, 300-8000 by 200-8000, such as 1600x600", error.Message);
    }

    [Fact]
    public async Task Help_is_generated_for_the_program_and_each_verb()
    {
        var (code, output, _) = await RunAsync("report", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--day <YYYY-MM-DD>", output);
        Assert.Contains("[POSTURESENSE_STORE]", output);

        (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("users", output);

        (code, _, var error) = await RunAsync("users", "remove");
        Assert.Equal(2, code);
        Assert.Equal("posturesense: unknown users command 'remove'", error.Trim());
    }

    [Fact]
    public async Task The_program_exits_2_with_one_line_for_bad_flags_and_for_a_database_that_is_not_there()
    {
        var (code, _, error) = await RunAsync("report", "--device", "desk-1", "--day", "yesterday");
        Assert.Equal(2, code);
        Assert.Equal("posturesense: --day 'yesterday' is not a date; use YYYY-MM-DD", error.Trim());

        var missing = _store.File("typo.db");
        (code, _, error) = await RunAsync("report", "--device", "desk-1", "--day", "2026-03-10", "--store", "sqlite:" + missing);
        Assert.Equal(2, code);
        Assert.Contains($"no database at '{missing}'", error);
        Assert.False(File.Exists(missing), "a mistyped path must not leave an empty database behind");

        (code, var output, _) = await RunAsync("report", "--device", "desk-1", "--day", "2026-03-10", "--store", "sqlite:" + _store.Path);
        Assert.Equal(0, code);
        Assert.Contains("Hunched          20 min", output);
    }

    [Fact]
    public async Task A_device_flag_that_is_no_device_id_exits_2_naming_the_rule()
    {
        var (code, output, error) = await RunAsync("report", "--device", "Desk_1", "--day", "2026-03-10", "--store", "sqlite:" + _store.Path);

        Assert.Equal(2, code);
        Assert.Equal("posturesense: --device 'Desk_1' is not a device id; use 1-63 lowercase letters, digits or '-'", error.Trim());
        Assert.Equal("", output);
    }

    ReportOptions Options(params string[] more) =>
        ReportOptions.Parse(["--device", WorkdayStore.Device.Value, "--day", "2026-03-10", "--store", "sqlite:" + _store.Path, .. more]);

    /// <summary>Runs the real program (the built posturesense.dll) and returns its exit code and output.</summary>
    static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "posturesense.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("POSTURESENSE_STORE");
        info.Environment.Remove("POSTURESENSE_APP_DB");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await error);
    }
}
