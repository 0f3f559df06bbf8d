using PostureSense.Core.Configuration;
using PostureSense.Eval.Reporting;
using PostureSense.Eval.Sweep;

namespace PostureSense.Eval.Tests;

/// <summary>A small sweep (three angles, one seed) through the whole pipeline; the full one is for the command line.</summary>
public sealed class SmallSweepFixture
{
    public SweepResult Sweep { get; } = ThresholdSweep.Run([15, 20, 25], seeds: 1, Environment.ProcessorCount);
}

public class ThresholdSweepTests(SmallSweepFixture fixture) : IClassFixture<SmallSweepFixture>
{
    SweepResult Sweep => fixture.Sweep;

    [Fact]
    public void A_hunch_held_at_25_degrees_is_detected_and_prompted()
    {
        var row = Sweep.Rows.Single(r => r.AngleDeg == 25);
        Assert.Equal(SweepClass.Hunch, row.Class);
        Assert.All(row.Sessions, s => Assert.True(s.Detected && s.Prompted));
        Assert.Equal(1.0, Sweep.Recall);
    }

    [Fact]
    public void A_posture_held_at_15_degrees_is_never_prompted()
    {
        var row = Sweep.Rows.Single(r => r.AngleDeg == 15);
        Assert.Equal(SweepClass.Upright, row.Class);
        Assert.All(row.Sessions, s => Assert.False(s.Prompted));
        Assert.Equal(0.0, Sweep.FalsePromptRate);
    }

    [Fact]
    public void The_threshold_itself_is_dont_care_and_left_out_of_the_totals()
    {
        Assert.Equal(SweepClass.DontCare, Sweep.Rows.Single(r => r.AngleDeg == 20).Class);
        Assert.Equal(1, Sweep.DontCareSessions);
        Assert.Equal(1, Sweep.HunchSessions);
        Assert.Equal(1, Sweep.UprightSessions);
    }

    [Fact]
    public void The_held_angle_is_the_wearers_true_flexion()
    {
        Assert.All(Sweep.Rows, r => Assert.InRange(r.MeanTrueFlexionDeg, r.AngleDeg - 0.5, r.AngleDeg + 0.5));
    }

    [Fact]
    public void The_report_shows_what_the_device_read_for_each_held_angle()
    {
        // Within a board's error budget of the truth: the column is there to show the margin, not to hide a broken reading.
        Assert.All(Sweep.Rows, r => Assert.InRange(r.MeanReadPitchDeg, r.MeanTrueFlexionDeg - 3, r.MeanTrueFlexionDeg + 3));
        Assert.Contains("read pitch °", SweepReport.Render(Sweep, null));
    }

    [Theory]
    [InlineData(18.9, SweepClass.Upright)]
    [InlineData(19.0, SweepClass.DontCare)]
    [InlineData(20.5, SweepClass.DontCare)]
    [InlineData(21.0, SweepClass.DontCare)]
    [InlineData(21.5, SweepClass.Hunch)]
    public void Holds_within_one_degree_of_20_are_dont_care(double angle, SweepClass expected) =>
        Assert.Equal(expected, ThresholdSweep.Classify(angle, 20, 1));

    [Fact]
    public void The_report_has_a_row_per_angle_and_the_totals()
    {
        var text = SweepReport.Render(Sweep, "sweep.png");
        Assert.Contains("held °", text);
        Assert.Contains("don't care", text);
        Assert.Contains("holds over 21°: detected 1 of 1 (recall 1.000)", text);
        Assert.Contains("holds under 19°: prompted 0 of 1 (false-prompt rate 0.000)", text);
        Assert.Contains("sweep chart: sweep.png", text);
    }

    [Fact]
    public void The_chart_is_a_png_with_something_drawn_on_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.png");
        try
        {
            SweepChart.Save(Sweep, path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            // IHDR: width and height big-endian at bytes 16-23.
            Assert.Equal(SweepChart.Width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(SweepChart.Height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
            // A blank canvas of that size compresses to a few kB; axes, labels and lines make it several times that.
            Assert.True(bytes.Length > 15_000, $"only {bytes.Length} bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class SweepOptionTests
{
    [Fact]
    public void The_sweep_is_off_unless_asked_for_and_then_covers_15_to_25_degrees()
    {
        Assert.False(EvalOptions.Parse([]).Sweep);
        var options = EvalOptions.Parse(["--sweep"]);
        Assert.True(options.Sweep);
        Assert.Equal(21, options.SweepAngles.Count);
        Assert.Equal(15, options.SweepAngles[0]);
        Assert.Equal(25, options.SweepAngles[^1]);
        Assert.Equal(EvalOptions.DefaultSweepPng, options.SweepPng);
    }

    [Fact]
    public void Any_sweep_option_asks_for_the_sweep()
    {
        var options = EvalOptions.Parse(["--sweep-angles", "25, 15,20", "--sweep-seeds", "2"]);
        Assert.True(options.Sweep);
        Assert.Equal([15.0, 20.0, 25.0], options.SweepAngles);
        Assert.Equal(2, options.SweepSeeds);
        Assert.True(EvalOptions.Parse(["--sweep-png", Path.Combine(Path.GetTempPath(), "x.png")]).Sweep);
    }

    [Theory]
    [InlineData(new[] { "--sweep-seeds", "0" }, "--sweep-seeds '0' must be a whole number from 1 to 100")]
    [InlineData(new[] { "--sweep-angles", "15,twenty" }, "--sweep-angles '15,twenty' must be angles from 0 to 60 degrees separated by commas")]
    [InlineData(new[] { "--sweep-angles", "15,75" }, "--sweep-angles '15,75' must be angles from 0 to 60 degrees")]
    [InlineData(new[] { "--sweep-png", "sweep.jpg" }, "--sweep-png 'sweep.jpg' must be a file name ending in .png")]
    [InlineData(new[] { "--sweep-png", "/no/such/folder/sweep.png" }, "--sweep-png '/no/such/folder/sweep.png': no such folder '/no/such/folder'")]
    public void Bad_sweep_options_are_refused_in_one_line(string[] args, string message)
    {
        var e = Assert.Throws<OptionsException>(() => EvalOptions.Parse(args));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_folder_is_not_a_chart_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.png");
        Directory.CreateDirectory(folder);
        try
        {
            Assert.Contains("is a folder, not a file", Assert.Throws<OptionsException>(() => EvalOptions.Parse(["--sweep-png", folder])).Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
