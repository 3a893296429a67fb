using Spectre.Console;

namespace DeepLinearProofs.Reporting;

/// <summary>
/// A table that fits the terminal: identifier columns are never wrapped; when the natural width is too wide, optional
/// columns are left out (lowest priority first; <c>--json</c> has them all), and what still does not fit is wrapped by Spectre
/// inside the other cells.
/// </summary>
public sealed class FittedTable
{
    private readonly List<(string Header, int DropOrder, bool Identifier)> _columns = [];
    private readonly List<string[]> _rows = [];

    /// <summary>A column; <paramref name="dropOrder"/> 0 = always shown, else left out in increasing order when too wide.</summary>
    public FittedTable Column(string header, int dropOrder = 0, bool identifier = false)
    {
        _columns.Add((header, dropOrder, identifier));
        return this;
    }

    /// <summary>One row of Spectre markup (escape plain text with <see cref="Markup.Escape"/>).</summary>
    public void Row(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter o, Terminal terminal) => terminal.Console(o).Write(Build(terminal.Width));

    /// <summary>The Spectre table for <paramref name="width"/> columns.</summary>
    public Table Build(int width)
    {
        // Natural width of a column: its widest cell plus padding and one border (3), and one closing border.
        var natural = _columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => Markup.Remove(r[i]).Length)) + 3).ToList();
        var shown = Enumerable.Range(0, _columns.Count).ToList();
        foreach (var drop in _columns.Select((c, i) => (c.DropOrder, i)).Where(x => x.DropOrder > 0).OrderBy(x => x.DropOrder).Select(x => x.i))
        {
            if (shown.Sum(i => natural[i]) + 1 <= width) break;
            shown.Remove(drop);
        }
        var table = new Table();
        foreach (var i in shown)
        {
            var column = new TableColumn(_columns[i].Header);
            if (_columns[i].Identifier) column.NoWrap();
            table.AddColumn(column);
        }
        foreach (var r in _rows) table.AddRow(shown.Select(i => r[i]).ToArray());
        return table;
    }
}
