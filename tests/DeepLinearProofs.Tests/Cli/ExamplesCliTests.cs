using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeepLinearProofs.Tests.Reporting;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary><c>dlp examples</c>: the report of E1 and E2 in every format, bad names, an unwritable folder, and a step that is not proved.</summary>
public class ExamplesCliTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("dlp-examples-").FullName;

    /// <summary>E1 (simulations only) and E2 (certificates, an all-sizes proof and simulations), once for all the tests of this class.</summary>
    public sealed class E1E2 : IDisposable
    {
        public string Dir { get; } = TempDir();
        public (int Code, string Out, string Err) Result { get; }

        public E1E2() => Result = DlpRunner.Run("examples", "E2", "e1", "--out", Dir);

        public void Dispose() { }
    }

    public class Report(E1E2 run) : IClassFixture<E1E2>
    {
        [Fact]
        public void E1_and_E2_are_regenerated_in_every_format_with_every_step_proved()
        {
            Assert.True(run.Result.Code == 0, run.Result.Err + run.Result.Out);
            var settled = Regex.Match(run.Result.Out, @"E2: (\d+)/(\d+) certificate steps settled by the kernel");
            Assert.True(settled.Success && settled.Groups[1].Value == settled.Groups[2].Value && int.Parse(settled.Groups[1].Value) >= 12, run.Result.Out);
            foreach (var f in new[] { "examples.html", "examples.md", "examples.tex", "examples-standalone.tex", "examples.json", "figures/E1-1.png", "figures/E2-1.png" })
                Assert.True(File.Exists(Path.Combine(run.Dir, f)), f);
            // E1 has over a hundred steps (ten networks): one row per lemma and kind of step, each with its count, none unproved.
            var md = File.ReadAllText(Path.Combine(run.Dir, "examples.md"));
            Assert.Matches(new Regex(@"Each equation of S is invariant.*steps on \d+ networks.*\*\*proved\*\* \((\d+) of \1\)"), md);
            Assert.Contains("one row per lemma and kind of step", md);
            var png = File.ReadAllBytes(Path.Combine(run.Dir, "figures", "E2-1.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.True(png.Length > 20_000, $"figure only {png.Length} bytes");
        }

        [Fact]
        public void The_html_quotes_the_condition_and_shows_every_step_with_its_verdict_basis_and_certificate_file()
        {
            var html = File.ReadAllText(Path.Combine(run.Dir, "examples.html"));
            Assert.Contains("<section id=\"E1\">", html);
            Assert.Contains("<section id=\"E2\">", html);
            Assert.DoesNotContain("<section id=\"E3\">", html);
            Assert.Contains("The flow tends to", html);                                   // E2's statement, quoted from docs/theory.md
            Assert.Contains("docs/theory.md, section 6, E2", html);
            // E1 and E2 have over 40 steps each (ten networks): one row per lemma and kind of step, with its count.
            foreach (var step in new[] { "Each equation of S is invariant", "S contains no global minimiser", "The exact start lies in S", "L &gt;= floor and floor &gt; Lstar", "every depth and all widths" })
                Assert.Contains(step, html);
            var counted = Regex.Matches(html, @"class=""status status-proved"">proved</span> \((\d+) of (\d+)\)");
            Assert.NotEmpty(counted);
            Assert.All(counted, m => Assert.Equal(m.Groups[2].Value, m.Groups[1].Value));
            int steps = Regex.Matches(run.Result.Out, @"E[12]: (\d+)/\1 certificate steps").Sum(m => int.Parse(m.Groups[1].Value));
            Assert.Equal(steps, counted.Sum(m => int.Parse(m.Groups[1].Value)) + Regex.Matches(html, @"class=""status status-proved"">proved</span></td>").Count);
            Assert.Contains("status-supported\">supported (numerical evidence)", html);
            Assert.Contains("contradicted (expected; numerical evidence)", html);       // the negative control
            Assert.Matches(new Regex(@"<span class=""path"">certificates/examples\.E2-[0-9a-f]{8}</span>"), html);
            Assert.Contains("certificates/all-sizes.examples.E2.invariant-set-", html);     // the all-sizes proof and its certificate folder
            Assert.Contains("<code>exact, all sizes</code>", html);
            Assert.Contains("<code>smt:z3</code>", html);
            Assert.DoesNotMatch(new Regex(@"https?:|(src|href)=""//", RegexOptions.IgnoreCase), html);
            Assert.Contains("never (eps = 0)", html);                                     // E2's exact zeros: no escape is predicted
        }

        [Fact]
        public void The_json_has_every_step_and_trajectory_and_the_files_exist()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Dir, "examples.json")));
            var examples = json.RootElement.GetProperty("data").GetProperty("examples").EnumerateArray().ToList();
            Assert.Equal(["E1", "E2"], examples.Select(e => e.GetProperty("item").GetString()));
            var e2 = examples[1];
            Assert.All(e2.GetProperty("steps").EnumerateArray(), s => Assert.Equal("proved", s.GetProperty("status").GetString()));
            foreach (var s in e2.GetProperty("steps").EnumerateArray())
                foreach (var f in s.GetProperty("files").EnumerateArray())
                    Assert.True(File.Exists(Path.Combine(run.Dir, f.GetString()!)), f.GetString());
            Assert.Contains(e2.GetProperty("steps").EnumerateArray(), s => s.GetProperty("kind").GetString() == "equation" && s.GetProperty("cofactors").GetArrayLength() > 0);
            var sims = e2.GetProperty("simulations").EnumerateArray().ToList();
            Assert.Equal(3, sims.Count);
            Assert.All(sims, s => Assert.Equal("numerical evidence (never 'proved')", s.GetProperty("report").GetProperty("verdict_kind").GetString()));
            Assert.Contains(sims, s => s.GetProperty("faithful").ValueKind == JsonValueKind.True);
        }

        [PdflatexFact]
        public void Pdflatex_compiles_the_standalone_wrapper()
        {
            var p = Process.Start(new ProcessStartInfo(PdflatexFactAttribute.Path!, "-interaction=nonstopmode -halt-on-error examples-standalone.tex")
                { WorkingDirectory = run.Dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(120_000), "pdflatex did not finish in 120 s");
            Assert.True(p.ExitCode == 0, $"pdflatex failed: {output.Result[^Math.Min(3000, output.Result.Length)..]}");
            Assert.True(new FileInfo(Path.Combine(run.Dir, "examples-standalone.pdf")).Length > 50_000);
        }
    }

    [Fact]
    public void A_name_that_is_not_an_example_is_a_usage_error_listing_the_valid_ones()
    {
        var (code, _, err) = DlpRunner.Run("examples", "E2", "E7", "--out", TempDir());
        Assert.Equal(64, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("'E7' is not a necessity example", line);
        Assert.Contains("E1, E2, E3, E4, E5, E6", line);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_written_is_refused_before_any_work()
    {
        var file = Path.Combine(TempDir(), "a-file");
        File.WriteAllText(file, "");
        var clock = Stopwatch.StartNew();
        var (code, _, err) = DlpRunner.Run("examples", "--out", Path.Combine(file, "out"));
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("--out", err);
        Assert.Contains("is a file, not a folder", err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    private static string Library(string name, string text)
    {
        var lib = TempDir();
        File.WriteAllText(Path.Combine(lib, name), text);
        return lib;
    }

    private static readonly string E4 = File.ReadAllText(DlpRunner.Library("examples", "e4-unbalanced.toml"));

    /// <summary>
    /// Files are grouped by their theory key, whatever their names; a certificate whose SMT step runs out of budget (rlimit 1)
    /// is shown as unknown, NOT proved, and the command exits 2.
    /// </summary>
    [Fact]
    public void A_step_that_is_not_proved_is_shown_as_such_and_exits_2()
    {
        var lib = Library("some-name.toml", E4.Replace("id = \"examples.E4\"", "id = \"custom.budget\"").Replace("theory = \"E4\"", "theory = \"E5\"")
            .Replace("expect = \"holds\"", "expect = \"holds\"\nrlimit = 1"));
        // A file of the example that does not load is named in the report, not dropped.
        File.WriteAllText(Path.Combine(lib, "broken.toml"), "id = \"custom.broken\"\ntheory = \"E5\"\n[claim]\nmethod = \"nonsense\"\n");
        var dir = TempDir();
        var (code, output, err) = DlpRunner.Run("examples", "E5", "--library", lib, "--out", dir, "--format", "html");
        Assert.True(code == 2, $"exit {code}: {err}{output}");
        Assert.Contains("broken.toml", output);
        Assert.Contains("NOT proved", output);
        var html = File.ReadAllText(Path.Combine(dir, "examples.html"));
        Assert.Contains("custom.budget", html);
        Assert.Contains("unknown: NOT proved", html);
        Assert.Contains("status-proved", html);                   // the exact steps (cofactors, the start) still are
        Assert.DoesNotContain("examples.E5.simulation", html);   // only the given library is read
        Assert.False(File.Exists(Path.Combine(dir, "examples.md")));
        Assert.False(Directory.Exists(Path.Combine(dir, "figures")));
    }

    /// <summary>Negative control: a set that is not invariant and a start outside it (W1[1,2] = 3/2) are not proved; the expectation fails (exit 1).</summary>
    [Fact]
    public void A_false_certificate_is_not_proved()
    {
        var lib = Library("other.toml", E4.Replace("id = \"examples.E4\"", "id = \"custom.false\"").Replace("equations = [\"g\"]", "equations = [\"W1[1,2]\"]"));
        var dir = TempDir();
        var (code, output, err) = DlpRunner.Run("examples", "E4", "--library", lib, "--out", dir, "--format", "json");
        Assert.True(code == 1, $"exit {code}: {err}{output}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "examples.json")));
        var steps = json.RootElement.GetProperty("data").GetProperty("examples")[0].GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(steps, s => s.GetProperty("kind").GetString() == "start" && s.GetProperty("status").GetString() == "refuted");
        Assert.DoesNotContain(steps, s => s.GetProperty("kind").GetString() is "equation" or "start" && s.GetProperty("status").GetString() == "proved");
    }
}
