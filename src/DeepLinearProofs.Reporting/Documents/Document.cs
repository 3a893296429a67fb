namespace DeepLinearProofs.Reporting.Documents;

/// <summary>A piece of running text in a report document.</summary>
public abstract record Run;

/// <summary>Plain text.</summary>
public sealed record TextRun(string Text) : Run;

/// <summary>Verbatim text (an expression of the lemma language, a start, an identifier), set in a monospaced font.</summary>
public sealed record CodeRun(string Text) : Run;

/// <summary>An inline formula in the TeX subset of <see cref="TexMath"/> (MathML in HTML, $...$ in LaTeX and Markdown).</summary>
public sealed record MathRun(string Tex) : Run;

/// <summary>Emphasised text.</summary>
public sealed record StrongRun(string Text) : Run;

/// <summary>A verdict: <paramref name="Status"/> is the status word (proved, refuted, vacuous, unknown, error, supported, contradicted), shown as <paramref name="Label"/>.</summary>
public sealed record StatusRun(string Status, string Label) : Run;

/// <summary>A file written beside the report (relative to it), e.g. an .smt2 obligation.</summary>
public sealed record PathRun(string Path) : Run;

/// <summary>A block of a report document.</summary>
public abstract record Block;

/// <summary>A section with a stable id (anchor / label) and a title; nested sections are one level lower.</summary>
public sealed record Section(string Id, IReadOnlyList<Run> Title, IReadOnlyList<Block> Blocks) : Block;

/// <summary>A paragraph.</summary>
public sealed record Paragraph(IReadOnlyList<Run> Text) : Block;

/// <summary>A quotation with its source.</summary>
public sealed record Quote(IReadOnlyList<Run> Text, string Source) : Block;

/// <summary>A displayed formula (TeX subset).</summary>
public sealed record DisplayMath(string Tex) : Block;

/// <summary>A bulleted list.</summary>
public sealed record ItemList(IReadOnlyList<IReadOnlyList<Run>> Items) : Block;

/// <summary>A table with a header row, rows of cells (each a list of runs) and a caption.</summary>
public sealed record Table(string Id, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<IReadOnlyList<Run>>> Rows, IReadOnlyList<Run> Caption) : Block
{
    /// <summary>Relative column widths (fractions of the line); equal widths when empty.</summary>
    public IReadOnlyList<double> Widths { get; init; } = [];
}

/// <summary>A figure: a PNG (embedded in HTML, a file beside Markdown and LaTeX) at <paramref name="File"/>, with alt text and caption.</summary>
public sealed record Figure(string Id, string File, byte[] Png, string Alt, IReadOnlyList<Run> Caption) : Block;

/// <summary>
/// A report document (sections, paragraphs, tables, formulas, figures) that <see cref="HtmlRenderer"/>, <see cref="MarkdownRenderer"/>,
/// <see cref="LatexRenderer"/> and <see cref="JsonRenderer"/> turn into files; <see cref="Data"/> is the machine-readable model the JSON carries.
/// </summary>
public sealed record Document(string Id, string Title, IReadOnlyList<Block> Blocks)
{
    public object? Data { get; init; }

    /// <summary>Every block, depth first (sections and their contents).</summary>
    public IEnumerable<Block> AllBlocks() => Walk(Blocks);

    private static IEnumerable<Block> Walk(IEnumerable<Block> blocks)
    {
        foreach (var b in blocks)
        {
            yield return b;
            if (b is Section s)
                foreach (var inner in Walk(s.Blocks)) yield return inner;
        }
    }
}

/// <summary>Shorthands for building runs.</summary>
public static class R
{
    public static TextRun T(string text) => new(text);
    public static CodeRun C(string text) => new(text);
    public static MathRun M(string tex) => new(tex);
    public static StrongRun B(string text) => new(text);
    public static PathRun F(string path) => new(path);
    public static IReadOnlyList<Run> L(params Run[] runs) => runs;

    /// <summary>The plain text of runs (TeX for formulas), for alt texts and searches.</summary>
    public static string Plain(IEnumerable<Run> runs) => string.Concat(runs.Select(r => r switch
    {
        TextRun t => t.Text,
        CodeRun c => c.Text,
        MathRun m => m.Tex,
        StrongRun s => s.Text,
        StatusRun s => s.Label,
        PathRun p => p.Path,
        _ => "",
    }));
}
