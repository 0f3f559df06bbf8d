using System.Globalization;
using System.Text;
using PostureSense.Eval.Reporting;

namespace PostureSense.Eval.Budget;

/// <summary>The pitch error budget as the eval prints it: a row per condition.</summary>
public static class PitchBudgetReport
{
    public static string Render(IReadOnlyList<PitchErrors> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new TextTable("accelerometer", "boards", "poses", "pitch err mean abs °", "max abs °");
        foreach (var row in rows)
            table.Add(
                row.Condition,
                row.Boards.ToString(CultureInfo.InvariantCulture),
                (row.Errors.Count / Math.Max(1, row.Boards)).ToString(CultureInfo.InvariantCulture),
                row.MeanAbs.ToString("0.00", CultureInfo.InvariantCulture),
                row.MaxAbs.ToString("0.00", CultureInfo.InvariantCulture));
        return new StringBuilder()
            .Append("Pitch error budget: simulated boards with datasheet accelerometer errors (offset ±50 mg X/Y, ±80 mg Z, sensitivity ±3%),\n")
            .Append("calibrated upright on the back, then held still at 5-30° pitch and -10/0/10° roll.\n")
            .Append(table)
            .ToString();
    }
}
