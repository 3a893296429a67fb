using System.Diagnostics;
using DeepLinearProofs.Tests.Cli;
using Xunit;

namespace DeepLinearProofs.Tests.Reporting;

/// <summary>A fact skipped, with the reason, when pdflatex is not on the PATH (Debian's texlive-latex-base provides it).</summary>
public sealed class PdflatexFactAttribute : FactAttribute
{
    public static string? Path => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => System.IO.Path.Combine(d, "pdflatex")).FirstOrDefault(File.Exists);

    public PdflatexFactAttribute()
    {
        if (Path is null) Skip = "pdflatex is not installed (apt-get install texlive-latex-base); the LaTeX output is checked for its structure only";
    }
}

/// <summary>dlp derive --format latex: one align* environment that a stock pdflatex compiles.</summary>
public class DeriveLatexTests
{
    [Theory]
    [InlineData("--widths", "2,1,2")]
    [InlineData("--sizes", "all")]
    public void The_latex_is_one_align_environment_with_every_checked_line(string flag, string value)
    {
        var (code, tex, err) = DlpRunner.Run("derive", flag, value, "--format", "latex");
        Assert.True(code == 0, err);
        Assert.Equal(2, tex.Split("\\begin{align*}").Length);
        Assert.Equal(2, tex.Split("\\end{align*}").Length);
        var body = tex[(tex.IndexOf("\\begin{align*}") + 14)..tex.IndexOf("\\end{align*}")].Trim().Split('\n');
        Assert.All(body[..^1], l => Assert.EndsWith("\\\\", l.TrimEnd()));
        Assert.DoesNotContain("\\\\", body[^1]);
        Assert.Contains("T5", tex);
        Assert.Contains("T4", tex);
    }

    [Fact]
    public void Standalone_needs_the_latex_format()
    {
        var (code, _, err) = DlpRunner.Run("derive", "--widths", "2,1,2", "--standalone");
        Assert.Equal(64, code);
        Assert.Contains("--format latex", err);
    }

    [PdflatexFact]
    public void Pdflatex_compiles_the_standalone_documents()
    {
        foreach (var args in new[] { new[] { "--widths", "3,1,2", "--target", "diag(3,2)" }, ["--sizes", "all"], ["--widths", "2,1,2", "--target", "data(X=[[2,0,0],[0,1,0]], Y=[[1,2,3],[0,-1,1/2]])"] })
        {
            var (code, tex, err) = DlpRunner.Run(["derive", .. args, "--format", "latex", "--standalone"]);
            Assert.True(code == 0, err);
            var dir = Directory.CreateTempSubdirectory("dlp-tex").FullName;
            File.WriteAllText(System.IO.Path.Combine(dir, "derive.tex"), tex);
            var p = Process.Start(new ProcessStartInfo(PdflatexFactAttribute.Path!, "-interaction=nonstopmode -halt-on-error derive.tex")
                { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(60_000), "pdflatex did not finish in 60 s");
            Assert.True(p.ExitCode == 0, $"pdflatex failed on derive {string.Join(' ', args)}: {output.Result[^Math.Min(2000, output.Result.Length)..]}");
            Assert.True(File.Exists(System.IO.Path.Combine(dir, "derive.pdf")));
        }
    }
}
