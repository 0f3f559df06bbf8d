using PostureSense.Eval.Budget;

namespace PostureSense.Eval.Tests;

/// <summary>The eval's pitch error budget: what the boards' accelerometer errors cost, with and without the six-face calibration.</summary>
public class PitchBudgetTests
{
    [Fact]
    public void The_budget_has_a_row_without_and_a_row_with_calibration_and_calibration_takes_the_error_out()
    {
        var rows = PitchBudget.Run(boards: 6);

        Assert.Equal(["uncalibrated", "six-face calibrated"], rows.Select(r => r.Condition));
        Assert.All(rows, r => Assert.Equal(6 * PitchBudget.Poses.Count, r.Errors.Count));
        var (raw, calibrated) = (rows[0], rows[1]);
        // Datasheet errors move pitch by around a degree at worst on a typical batch of boards...
        Assert.InRange(raw.MaxAbs, 0.5, 5);
        // ...and the calibration leaves a tenth of that or less.
        Assert.True(calibrated.MaxAbs < raw.MaxAbs / 5, $"calibrated max {calibrated.MaxAbs:0.00}° vs uncalibrated {raw.MaxAbs:0.00}°");
        Assert.InRange(calibrated.MaxAbs, 0, 0.3);

        var text = PitchBudgetReport.Render(rows);
        Assert.Contains("uncalibrated", text);
        Assert.Contains("six-face calibrated", text);
        Assert.Contains("mean abs", text);
    }

    [Fact]
    public void The_six_face_procedure_finds_a_simulated_boards_errors()
    {
        var board = PitchBudget.Board(3);

        var correction = PitchBudget.SixFace(board);

        for (var axis = 0; axis < 3; axis++)
        {
            Assert.Equal(board.AccelOffsetG[axis], correction.OffsetG[axis], 0.003f);
            Assert.Equal(1 + board.AccelScaleError[axis], correction.Scale[axis], 0.003f);
        }
    }
}
