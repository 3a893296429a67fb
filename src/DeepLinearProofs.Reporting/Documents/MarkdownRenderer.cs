using System.Text;

namespace DeepLinearProofs.Reporting.Documents;

/// <summary>Markdown (GitHub flavour): pipe tables, formulas as <c>$...$</c> / <c>$$...$$</c>, figures as the PNG files beside the document.</summary>
public static class MarkdownRenderer
{
    public static string Render(Document doc)
    {
        var sb = new StringBuilder($"# {Escape(doc.Title)}\n\n");
        foreach (var b in doc.Blocks) BlockMd(sb, b, 2);
        return sb.ToString().TrimEnd() + "\n";
    }

    private static void BlockMd(StringBuilder sb, Block b, int level)
    {
        switch (b)
        {
            case Section s:
                sb.Append($"<a id=\"{s.Id}\"></a>\n{new string('#', Math.Min(level, 6))} {Runs(s.Title)}\n\n");
                foreach (var inner in s.Blocks) BlockMd(sb, inner, level + 1);
                break;
            case Paragraph p:
                sb.Append(Runs(p.Text)).Append("\n\n");
                break;
            case Quote q:
                sb.Append($"> {Runs(q.Text)}\n>\n> — {Escape(q.Source)}\n\n");
                break;
            case DisplayMath m:
                sb.Append($"$$\n{m.Tex}\n$$\n\n");
                break;
            case ItemList l:
                foreach (var item in l.Items) sb.Append($"- {Runs(item)}\n");
                sb.Append('\n');
                break;
            case Table t:
                sb.Append("| ").Append(string.Join(" | ", t.Header.Select(Cell))).Append(" |\n");
                sb.Append('|').Append(string.Concat(t.Header.Select(_ => "---|"))).Append('\n');
                foreach (var row in t.Rows) sb.Append("| ").Append(string.Join(" | ", row.Select(c => Cell(Runs(c))))).Append(" |\n");
                sb.Append($"\n*{Runs(t.Caption)}*\n\n");
                break;
            case Figure f:
                sb.Append($"![{Escape(f.Alt)}]({f.File})\n\n*{Runs(f.Caption)}*\n\n");
                break;
            default:
                throw new ArgumentException($"no Markdown for {b.GetType().Name}");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    private static string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#' or '$') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Code(string s) => s.Contains('`') ? $"`` {s} ``" : $"`{s}`";

    private static string Runs(IEnumerable<Run> runs) => string.Concat(runs.Select(r => r switch
    {
        TextRun t => Escape(t.Text),
        CodeRun c => Code(c.Text),
        MathRun m => $"${m.Tex}$",
        StrongRun s => $"**{Escape(s.Text)}**",
        StatusRun s => $"**{Escape(s.Label)}**",
        PathRun p => Code(p.Path),
        _ => throw new ArgumentException($"no Markdown for {r.GetType().Name}"),
    }));
}
