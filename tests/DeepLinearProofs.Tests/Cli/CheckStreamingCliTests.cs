using System.Diagnostics;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>dlp check --all: rows stream as lemmas finish, a lemma over its cap is unknown (budget), bad input is one line.</summary>
public class CheckStreamingCliTests
{
    private const string Fast = "id = \"a.fast\"\ntheory = \"E2\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n" +
        "[network.point]\nW1 = [[0, 1, 0]]\nW2 = [[0], [2], [0]]\n[claim]\nmethod = \"membership\"\nexpr = \"L > Lstar\"\n";

    // Double-double at rtol 1e-24 to t = 100000 on a depth-4 network of width 24: over a minute, far beyond a 3 s cap
    // (at widths 3,2,1,2,3 the same run ends in a second or two).
    private const string Slow = "id = \"b.slow\"\ntheory = \"E2\"\n[[network]]\nwidths = [24, 16, 1, 16, 24]\ntarget = \"diag(3,2,1)\"\n" +
        "[claim]\nmethod = \"converges\"\ninit = \"random:seed=1,scale=0.3\"\nlimit = \"global minimiser\"\nt_max = 100000\nprecision = \"double-double\"\nrtol = 1e-24\natol = 1e-30\n";

    private static string Folder(params (string Name, string Text)[] files)
    {
        var dir = Directory.CreateTempSubdirectory("dlp-check-stream").FullName;
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }

    [Fact]
    public void The_first_row_streams_before_the_slow_lemma_ends_and_the_slow_one_is_unknown_budget()
    {
        var dir = Folder(("a-fast.toml", Fast), ("b-slow.toml", Slow));
        try
        {
            var clock = Stopwatch.StartNew();
            using var p = DlpRunner.Start("check", "--all", "--drop", "gap", dir, "--jobs", "1", "--lemma-timeout", "3", "--out", Path.Combine(dir, "figures"));
            var lines = new List<(double At, string Text)>();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null) lines.Add((clock.Elapsed.TotalSeconds, line));
            Assert.True(p.WaitForExit(60_000), "the run must end: the slow lemma is stopped at its cap");
            double end = clock.Elapsed.TotalSeconds;
            var fast = Assert.Single(lines, l => l.Text.StartsWith("a.fast", StringComparison.Ordinal));
            var slow = Assert.Single(lines, l => l.Text.StartsWith("b.slow", StringComparison.Ordinal));
            Assert.Contains("survives", fast.Text);
            Assert.Contains("unknown (budget)", slow.Text);
            Assert.True(fast.At + 2 < slow.At, $"the fast row ({fast.At:F1} s) was printed before the slow lemma ended ({slow.At:F1} s)");
            Assert.True(end < 40, $"bounded: {end:F1} s");
            Assert.Equal(2, p.ExitCode);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Bad_input_is_one_line()
    {
        var dir = Folder(("bad.toml", Fast.Replace("theory = \"E2\"\n", "theory = \"E2\"\nassumes = [\"convexity\"]\n")), ("sym.toml",
            "id = \"sym\"\n[[network]]\nwidths = [2, 1, 2]\ntarget = \"symbolic\"\n[claim]\nmethod = \"identity\"\nexpr = \"P == P\"\n"));
        try
        {
            var (code, output, _) = DlpRunner.Run("check", "--all", "--drop", "gap", dir, "--out", Path.Combine(dir, "f"));
            Assert.Equal(2, code);
            var error = Assert.Single(output.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
            Assert.Contains("bad.toml:3: unknown assumption 'convexity' in assumes; valid names: gap, balance, one-neuron, depth>=3, whitened", error);
            var typo = DlpRunner.Run("check", "--all", "--drop", "gaps", dir, "--out", Path.Combine(dir, "f"));
            Assert.Equal(2, typo.Code);
            Assert.Contains("error: --drop gaps: not an assumption (gap, balance, one-neuron, depth>=3, whitened) and no lemma has a hypothesis of that name", typo.Out);
            var single = DlpRunner.Run("check", Path.Combine(dir, "sym.toml"), "--drop", "gap", "--out", Path.Combine(dir, "f"));
            Assert.Equal(2, single.Code);
            Assert.Single(single.Err.Trim().Split('\n'));
            Assert.Contains("does not assume gap", single.Err);
            foreach (var args in new[] { new[] { "--format", "xml" }, ["--depth", "1"], ["--lemma-timeout", "0"] })
            {
                var usage = DlpRunner.Run(["check", Path.Combine(dir, "sym.toml"), "--drop", "gap", .. args]);
                Assert.Equal(64, usage.Code);
                Assert.Single(usage.Err.Trim().Split('\n'));
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Z3Fact]
    public void The_diff_table_as_json_and_md_names_the_break_and_the_simulated_limit()
    {
        var dir = Folder(("e2.toml", File.ReadAllText(DlpRunner.Library("examples", "e2-loss-floor.toml"))));
        try
        {
            var json = DlpRunner.Run("check", "--all", "--drop", "gap", dir, "--format", "json", "--out", Path.Combine(dir, "f"));
            Assert.Equal(0, json.Code);
            using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
            Assert.Equal("examples.E2.loss-floor", doc.RootElement.GetProperty("breaks")[0].GetString());
            var row = doc.RootElement.GetProperty("rows")[0];
            Assert.Equal("breaks", row.GetProperty("verdict").GetString());
            Assert.StartsWith("kernel countermodel", row.GetProperty("countermodel").GetString()); // one per network of the file
            Assert.True(File.Exists(row.GetProperty("figures")[0].GetString()));
            var md = DlpRunner.Run("check", "--all", "--drop", "gap", dir, "--format", "md", "--out", Path.Combine(dir, "f"));
            Assert.Contains("| lemma | original | modified | verdict | countermodel | simulated limit |", md.Out);
            Assert.Contains("| examples.E2.loss-floor | 10 proved | 10 refuted | breaks | kernel countermodel;", md.Out);
            // The same table as a report in the formats of dlp examples, with the figure of the simulated countermodel.
            var report = Path.Combine(dir, "f");
            foreach (var name in new[] { "check.html", "check.md", "check.tex", "check-standalone.tex", "check.json" })
                Assert.True(File.Exists(Path.Combine(report, name)), name);
            var html = File.ReadAllText(Path.Combine(report, "check.html"));
            Assert.Contains("examples.E2.loss-floor", html);
            Assert.Contains("data:image/png;base64,", html);
            Assert.Contains("numerical evidence", html);
            Assert.Contains("\\includegraphics", File.ReadAllText(Path.Combine(report, "check.tex")));
            using var data = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "check.json")));
            Assert.Contains("examples.E2.loss-floor", data.RootElement.ToString());
        }
        finally { Directory.Delete(dir, true); }
    }
}
