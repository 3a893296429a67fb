using System.Text.Json;
using System.Text.RegularExpressions;
using DeepLinearProofs.Reporting;
using DeepLinearProofs.Reporting.Documents;
using Xunit;

namespace DeepLinearProofs.Tests.Reporting;

/// <summary>The report document model and its four renderers: structure, statuses, no network, balanced LaTeX.</summary>
public class DocumentRendererTests
{
    private static readonly string[] Statuses = ["proved", "refuted", "vacuous", "unknown", "error", "supported", "contradicted"];

    /// <summary>A document shaped like the examples report: a section per example, a step of every status, a formula, a figure.</summary>
    internal static Document Sample()
    {
        var png = TrajectoryFigure.Render([], 10).Png;
        var sections = Enumerable.Range(1, 6).Select(i => (Block)new Section($"E{i}", R.L(R.T($"E{i}. "), R.M("\\sigma_0 > 0"), R.T(" is needed")),
        [
            new Quote(R.L(R.T("A start with "), R.M("P = 0"), R.T(" never moves & stays {there} at 100% ~ cost_1 ∩ S ≠ ∅.")), "docs/theory.md, section 6"),
            new Table($"E{i}-steps", ["step", "verdict", "files"],
                Statuses.Select(s => (IReadOnlyList<IReadOnlyList<Run>>)[R.L(R.T($"step {s} of E{i}: "), R.M("L_F g = \\sum_i q_i g_i"), R.T(" with q = "), R.M("-\\frac{1}{2} (W_{1})_{1,1}^{2}")),
                    R.L(new StatusRun(s, s == "unknown" ? "unknown: NOT proved" : s)), R.L(R.F($"certificates/e{i}/x_{s}.smt2"))]).ToList(),
                R.L(R.T($"E{i}: steps"))) { Widths = [0.5, 0.2, 0.3] },
            new DisplayMath("t_{\\mathrm{esc}} \\approx t_{\\mathrm{arr}} + \\frac{1}{\\rho} \\ln \\frac{|p_i|}{\\varepsilon}"),
            new ItemList([R.L(R.C("W1 = [[0, 3/10, 0]]")), R.L(R.B("numerical evidence"))]),
            new Figure($"E{i}-figure-1", $"figures/E{i}-1.png", png, $"E{i} trajectories", R.L(R.T("Panels: the loss gap "), R.M("L - L^*"), R.T(". Numerical evidence."))),
        ])).ToList();
        return new Document("examples", "Necessity examples", [new Paragraph(R.L(R.T("Preface with "), R.C("code"), R.T(" and a path "), R.F("docs/theory.md"))), .. sections])
            { Data = new { exit_code = 2, examples = new[] { new { item = "E1" } } } };
    }

    [Fact]
    public void Html_is_one_self_contained_file_with_every_section_and_every_status()
    {
        var html = HtmlRenderer.Render(Sample());
        for (int i = 1; i <= 6; i++) Assert.Contains($"<section id=\"E{i}\">", html);
        foreach (var s in Statuses) Assert.Equal(6, Regex.Matches(html, $"class=\"status status-{s}\"").Count);
        Assert.Contains("unknown: NOT proved", html);
        // Nothing is fetched: no URL of any scheme, no protocol-relative reference, no external stylesheet or script.
        Assert.DoesNotMatch(new Regex(@"(https?|ftp):|(src|href)=""//|<link|<script[^>]*src", RegexOptions.IgnoreCase), html);
        Assert.Equal(6, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        Assert.Contains("<math display=\"block\">", html);
        Assert.Contains("<mfrac>", html);
        Assert.DoesNotContain("\\frac", html);   // every formula became MathML
        Assert.Contains("id=\"layout-check\"", html);
    }

    [Fact]
    public void Latex_fragment_is_a_section_with_balanced_environments_and_braces_and_plain_ascii()
    {
        var doc = Sample();
        var tex = LatexRenderer.Fragment(doc);
        Assert.StartsWith("%", tex);
        Assert.Single(Regex.Matches(tex, @"\\section\{"));
        Assert.Equal(6, Regex.Matches(tex, @"\\subsection\{E\d\. ").Count);
        foreach (Match m in Regex.Matches(tex, @"\\begin\{([a-z*]+)\}"))
            Assert.Equal(Regex.Matches(tex, $@"\\begin\{{{Regex.Escape(m.Groups[1].Value)}\}}").Count, Regex.Matches(tex, $@"\\end\{{{Regex.Escape(m.Groups[1].Value)}\}}").Count);
        AssertBalanced(tex);
        Assert.All(tex, c => Assert.True(c < 128, $"non-ASCII '{c}' in the LaTeX"));
        foreach (var s in Statuses) Assert.Contains($"\\textbf{{{(s == "unknown" ? "unknown: NOT proved" : s)}}}", tex);
        Assert.Contains("\\includegraphics[width=\\linewidth]{figures/E1-1.png}", tex);
        Assert.Contains("\\& stays \\{there\\} at 100\\% \\~{} cost\\_1 $\\cap$ S $\\neq$ ?", tex);   // escaped, mapped, and an unmapped character replaced
        var standalone = LatexRenderer.Standalone(doc, "examples.tex");
        Assert.Contains("\\documentclass", standalone);
        Assert.Contains("\\input{examples}", standalone);
        Assert.Matches(new Regex(@"\\usepackage\{amsmath\}\s*\\usepackage\{graphicx\}\s*\\usepackage\{longtable\}"), standalone);
        Assert.Equal(3, Regex.Matches(standalone, @"\\usepackage").Count);
        AssertBalanced(standalone);
    }

    private static void AssertBalanced(string tex)
    {
        int depth = 0;
        for (int i = 0; i < tex.Length; i++)
        {
            if (tex[i] == '\\') { i++; continue; }   // \{ \} \\ and commands
            if (tex[i] == '%') { while (i < tex.Length && tex[i] != '\n') i++; continue; }
            if (tex[i] == '{') depth++;
            else if (tex[i] == '}') Assert.True(--depth >= 0, $"unbalanced '}}' at {i}: {tex[Math.Max(0, i - 40)..(i + 1)]}");
        }
        Assert.Equal(0, depth);
        Assert.Equal(0, Regex.Matches(tex, @"(?<!\\)\$").Count % 2);
    }

    [Fact]
    public void Markdown_has_every_section_table_status_and_figure_file()
    {
        var md = MarkdownRenderer.Render(Sample());
        for (int i = 1; i <= 6; i++)
        {
            Assert.Contains($"## E{i}. $\\sigma_0 > 0$ is needed", md);
            Assert.Contains($"![E{i} trajectories](figures/E{i}-1.png)", md);
        }
        foreach (var s in Statuses) Assert.Contains($"**{(s == "unknown" ? "unknown: NOT proved" : s)}**", md);
        Assert.Contains("| step | verdict | files |", md);
        Assert.Contains("$$\nt_{\\mathrm{esc}}", md);
    }

    [Fact]
    public void Json_keeps_the_structure_every_status_and_the_data_with_snake_case_keys()
    {
        using var json = JsonDocument.Parse(JsonRenderer.Render(Sample()));
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("data").GetProperty("exit_code").GetInt32());
        var sections = root.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "section").ToList();
        Assert.Equal(["E1", "E2", "E3", "E4", "E5", "E6"], sections.Select(s => s.GetProperty("id").GetString()));
        var table = sections[0].GetProperty("blocks").EnumerateArray().First(b => b.GetProperty("type").GetString() == "table");
        Assert.Equal(Statuses, table.GetProperty("statuses").EnumerateArray().Select(r => r[0].GetString()));
        Assert.Equal("figures/E1-1.png", sections[0].GetProperty("blocks").EnumerateArray().First(b => b.GetProperty("type").GetString() == "figure").GetProperty("file").GetString());
        Assert.DoesNotContain("base64", json.RootElement.GetRawText());
    }

    [Theory]
    [InlineData("\\sigma_0 > 0", "<msub><mi>σ</mi><mn>0</mn></msub><mo>&gt;</mo><mn>0</mn>")]
    [InlineData("s_1 u_1 v_1^T", "<msubsup><mi>v</mi><mn>1</mn><mi>T</mi></msubsup>")]
    [InlineData("\\frac{1}{\\rho}", "<mfrac><mrow><mn>1</mn></mrow><mrow><mi>ρ</mi></mrow></mfrac>")]
    [InlineData("\\|P\\|_F", "<msub><mo stretchy=\"false\">‖</mo><mi>F</mi></msub>")]
    public void Tex_subset_becomes_mathml(string tex, string fragment) => Assert.Contains(fragment, TexMath.ToMathMl(tex));

    [Theory]
    [InlineData("\\begin{pmatrix} 1 \\end{pmatrix}")]
    [InlineData("x_")]
    [InlineData("{a")]
    [InlineData("a}")]
    [InlineData("\\unknowncommand")]
    public void Formulas_outside_the_subset_are_refused_not_garbled(string tex) => Assert.Throws<FormatException>(() => TexMath.ToMathMl(tex));

    [Theory]
    [InlineData("sigma_0 > 0", "\\sigma _0 > 0")]
    [InlineData("p_1 != 0", "p_1 \\ne 0")]
    [InlineData("S = {W_1 e_1 = 0, e_1^T W_N = 0}", "S = \\{W_1 e_1 = 0, e_1^T W_N = 0\\}")]
    [InlineData("s_{j0}", "s_{j0}")]
    [InlineData("P -> diag(3,2,0)", "P \\to \\mathrm{diag}(3,2,0)")]
    public void Theory_notation_becomes_tex(string text, string tex) => Assert.Equal(tex, TexMath.FromTheoryNotation(text));

    [Fact]
    public void Theory_notation_that_is_not_plainly_a_formula_stays_verbatim()
    {
        Assert.Null(TexMath.FromTheoryNotation("[[3,0],[0,2]]"));
        Assert.Null(TexMath.FromTheoryNotation("x}"));
        var runs = ExamplesReport.TheoryRuns("the set `{a_1 = 0}` and `[[1]]`, *emphasis*");
        Assert.Contains(runs, r => r is MathRun { Tex: "\\{a_1 = 0\\}" });
        Assert.Contains(runs, r => r is CodeRun { Text: "[[1]]" });
        Assert.DoesNotContain(runs, r => r is TextRun t && t.Text.Contains('*'));
    }
}
