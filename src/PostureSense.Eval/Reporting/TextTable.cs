using System.Text;

namespace PostureSense.Eval.Reporting;

/// <summary>A plain-text table: columns as wide as their widest cell, numbers right-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"a row needs {headers.Length} cells, not {cells.Length}");
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells, bool header)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                var right = !header && i > 0 && cells[i].Length > 0 && (char.IsDigit(cells[i][0]) || cells[i][0] is '-' or '+');
                text.Append(right ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
                text.Append(i == cells.Length - 1 ? "" : "  ");
            }
            text.Append('\n');
        }
        Line(headers, header: true);
        text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in _rows) Line(row, header: false);
        return text.ToString();
    }
}
