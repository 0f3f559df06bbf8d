using System.Numerics;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.AccelCalibration;
using PostureSense.Agent.Hosting;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Contract;
using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.AccelCalibration;

/// <summary>
/// <c>--calibrate-accel</c> on a simulated board with known errors: the person turns it over as
/// asked, and the agent's next start takes the errors out of every sample.
/// </summary>
public class CalibrateAccelCommandTests
{
    // Within the datasheet: ±50 mg on X and Y, ±80 mg on Z, ±3% sensitivity.
    static readonly SensorCharacteristics Board = new()
    {
        AccelOffsetG = new Vector3(0.048f, -0.035f, 0.074f),
        AccelScaleError = new Vector3(0.028f, -0.021f, 0.015f),
        Seed = 11,
    };

    /// <summary>The person at the terminal: presses Enter each time, and keeps a hand on the board on the presses listed.</summary>
    sealed class Person(RestingBoard board, params int[] shakyPresses) : TextReader
    {
        int _presses;
        public override string? ReadLine()
        {
            board.Shaking = shakyPresses.Contains(++_presses);
            return "";
        }
    }

    static (int ExitCode, string Output) Calibrate(string dataDirectory, params int[] shakyPresses)
    {
        var settings = AgentCommandLine.Parse(["--device-id", "desk-7", "--data-dir", dataDirectory, "--calibrate-accel"]);
        Assert.True(settings.CalibrateAccel);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var board = new RestingBoard();
        var output = new StringWriter();
        var code = AccelCalibrationCommand.Run(settings, new SimulatedMpu6050(board, clock, Board), new Person(board, shakyPresses), output,
            clock.Advance, clock, face => board.Face = face);
        return (code, output.ToString());
    }

    [Fact]
    public void Six_faces_give_back_the_boards_offset_and_scale_and_the_next_start_applies_them()
    {
        using var data = new TempDirectory();

        var (code, output) = Calibrate(data.Path);

        Assert.Equal(0, code);
        Assert.Contains("Face 6 of 6", output);
        var args = new[] { "--device-id", "desk-7", "--data-dir", data.Path };
        var setup = AgentProgram.ReadSettings("test", args, simulated: false, out var exit);
        Assert.Equal(0, exit);
        var correction = setup!.Options.AccelCorrection;
        for (var axis = 0; axis < 3; axis++)
        {
            // The raw counts' resolution and the noise leave a few mg.
            Assert.Equal(Board.AccelOffsetG[axis], correction.OffsetG[axis], 0.004f);
            Assert.Equal(1 + Board.AccelScaleError[axis], correction.Scale[axis], 0.004f);
        }
    }

    [Fact]
    public void A_face_that_moved_is_refused_and_asked_for_again()
    {
        using var data = new TempDirectory();

        // A hand still on the board for the third face.
        var (code, output) = Calibrate(data.Path, shakyPresses: 3);

        Assert.Equal(0, code);
        Assert.Contains("refused: the board moved", output);
        Assert.Equal(2, output.Split("Face 3 of 6").Length - 1);
    }

    [Fact]
    public void A_board_that_never_keeps_still_saves_nothing()
    {
        using var data = new TempDirectory();

        var (code, output) = Calibrate(data.Path, shakyPresses: [2, 3, 4]);

        Assert.Equal(AgentProgram.Failed, code);
        Assert.Contains("nothing saved", output);
        Assert.False(File.Exists(AccelCalibrationFile.PathFor(data.Path, DeviceId.Parse("desk-7"))));
    }

    [Fact]
    public void A_stored_calibration_no_MPU_6050_could_have_stops_the_start_with_a_clear_error()
    {
        using var data = new TempDirectory();
        var path = AccelCalibrationFile.PathFor(data.Path, DeviceId.Parse("desk-7"));
        File.WriteAllText(path, """{"offsetG":[0.01,0.02,0.9],"scale":[1,1,1]}""");

        var error = Assert.Throws<InvalidDataException>(() => AccelCalibrationFile.Load(path));
        Assert.Contains("Z offset", error.Message);
        Assert.Contains("--calibrate-accel", error.Message);
        Assert.Null(AgentProgram.ReadSettings("test", ["--device-id", "desk-7", "--data-dir", data.Path], simulated: false, out var exit));
        Assert.Equal(AgentProgram.BadSettings, exit);
        // Calibrating again is still possible.
        Assert.NotNull(AgentProgram.ReadSettings("test", ["--device-id", "desk-7", "--data-dir", data.Path, "--calibrate-accel"], simulated: false, out _));
    }
}
