using System.Numerics;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Tests.Support;

namespace PostureSense.Agent.Tests.Processing;

/// <summary>The calibration on disk: what a restart gets back, and what it refuses to trust.</summary>
public sealed class CalibrationFileTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly LogRecorder _log = new();
    static readonly DateTimeOffset At = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    static readonly Calibration Upright = Calibration.From(new Vector3(0.98f, 0.05f, -0.17f), new Vector3(0.4f, -1.1f, 0.2f));

    string Path => System.IO.Path.Combine(_dir.Path, "calibration-desk-3.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_upright_and_the_walking_pitch_come_back_as_saved()
    {
        CalibrationFile.Save(Path, Upright, At, walkingPitchDeg: 2.345);

        var saved = CalibrationFile.Load(Path, _log.CreateLogger("t"));

        Assert.NotNull(saved);
        Assert.Equal(Upright.UprightUp, saved.Calibration.UprightUp, new VectorWithin(1e-4f));
        Assert.Equal(Upright.GyroBiasDps, saved.Calibration.GyroBiasDps, new VectorWithin(1e-4f));
        Assert.Equal(2.35, saved.WalkingPitchDeg);
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public void A_new_calibration_is_saved_without_the_old_walking_pitch()
    {
        CalibrationFile.Save(Path, Upright, At, walkingPitchDeg: 2);
        CalibrationFile.Save(Path, Upright, At.AddHours(1));

        Assert.Null(CalibrationFile.Load(Path, _log.CreateLogger("t"))!.WalkingPitchDeg);
        Assert.DoesNotContain("walkingPitchDeg", File.ReadAllText(Path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_from_before_walking_pitches_were_kept_loads_without_one()
    {
        File.WriteAllText(Path, """{ "uprightUp": [0.98, 0.05, -0.17], "gyroBiasDps": [0.4, -1.1, 0.2], "savedAt": 1767603600000 }""");

        var saved = CalibrationFile.Load(Path, _log.CreateLogger("t"));

        Assert.NotNull(saved);
        Assert.Null(saved.WalkingPitchDeg);
        Assert.Empty(_log.Lines);
    }

    [Theory]
    [InlineData("\"2.0\"")]
    [InlineData("null")]
    [InlineData("75")]
    [InlineData("-31")]
    [InlineData("1e400")]
    public void A_walking_pitch_that_cannot_be_trusted_is_dropped_and_the_upright_kept(string walking)
    {
        File.WriteAllText(Path, $$"""{ "uprightUp": [0.98, 0.05, -0.17], "gyroBiasDps": [0.4, -1.1, 0.2], "walkingPitchDeg": {{walking}} }""");

        var saved = CalibrationFile.Load(Path, _log.CreateLogger("t"));

        Assert.NotNull(saved);
        Assert.Null(saved.WalkingPitchDeg);
        Assert.InRange(saved.Calibration.UprightUp.X, 0.97f, 0.99f);
        var warning = Assert.Single(_log.Lines);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("walking pitch", warning.Message, StringComparison.Ordinal);
        Assert.Contains(walking, warning.Message, StringComparison.Ordinal);
    }

    sealed class VectorWithin(float tolerance) : IEqualityComparer<Vector3>
    {
        public bool Equals(Vector3 x, Vector3 y) => Vector3.Distance(x, y) <= tolerance;
        public int GetHashCode(Vector3 obj) => 0;
    }
}
