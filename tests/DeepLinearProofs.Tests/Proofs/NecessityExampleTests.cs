using System.Diagnostics;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

/// <summary>
/// The certificates of the necessity examples E1-E6 (docs/theory.md section 6): the library files prove, loops in a set's
/// equation lists, the linear cofactor search and the plain-text cofactor files; each with a false lemma it must not prove.
/// </summary>
public class NecessityExampleTests
{
    private static string Example(string file) => Path.Combine(AppContext.BaseDirectory, "proofs", "examples", file);

    private static Lemma Parse(string text) => LemmaLoader.Parse(text, "necessity.toml");

    private static LemmaResult CheckOne(string text) => Assert.Single(LemmaChecker.Check(Parse(text), CheckOptions.Default()));

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dlp-necessity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // ------------------------------------------------------------------ the library files

    [Z3Theory]
    [InlineData("e1-origin-equilibrium.toml", 10)]
    [InlineData("e2-p1-zero-balanced.toml", 10)]
    [InlineData("e2-loss-floor.toml", 10)]
    [InlineData("e2-support.toml", 10)]
    [InlineData("e3-origin-balanced.toml", 6)]
    [InlineData("e3-origin-balanced-n5-k1.toml", 1)]
    [InlineData("e3-origin-balanced-n5-k4.toml", 1)]
    [InlineData("e5-minimiser-in-s.toml", 10)]
    [InlineData("e5-loss-minimum.toml", 10)]
    [InlineData("e5-convergent-set.toml", 10)]
    [InlineData("e6-rank-two-critical-point.toml", 2)]
    [InlineData("e6-rank-one-floor.toml", 1)]
    public void Every_necessity_certificate_in_the_library_is_proved_on_every_network(string file, int networks)
    {
        var lemma = LemmaLoader.Load(Example(file));
        Assert.StartsWith("E", lemma.Theory);
        var results = LemmaChecker.Check(lemma, CheckOptions.Default());
        Assert.Equal(networks, results.Count);
        Assert.All(results, r => Assert.True(r.Outcome.Status == Status.Proved, $"{r.Network}: {r.Outcome.Status} {r.Outcome.Detail}"));
        Assert.All(results, r => Assert.DoesNotContain("evidence", r.Outcome.Basis));
    }

    [Fact]
    public void E2_and_E3_cover_every_depth_two_to_five_and_every_hidden_position_of_the_one_neuron_layer()
    {
        var positions = new[] { "e2-p1-zero-balanced.toml", "e2-loss-floor.toml", "e2-support.toml", "e1-origin-equilibrium.toml", "e5-minimiser-in-s.toml" }
            .Select(f => LemmaLoader.Load(Example(f)).Networks.Select(n => (n.Architecture.Depth, n.Architecture.OneNeuronLayer)).ToHashSet()).ToList();
        var e3 = new[] { "e3-origin-balanced.toml", "e3-origin-balanced-n5-k1.toml", "e3-origin-balanced-n5-k2.toml", "e3-origin-balanced-n5-k3.toml", "e3-origin-balanced-n5-k4.toml" }
            .SelectMany(f => LemmaLoader.Load(Example(f)).Networks.Select(n => (n.Architecture.Depth, n.Architecture.OneNeuronLayer))).ToHashSet();
        var all = Enumerable.Range(2, 4).SelectMany(n => Enumerable.Range(1, n - 1).Select(k => (n, (int?)k))).ToHashSet();
        Assert.All(positions.Append(e3), set => Assert.True(all.SetEquals(set), string.Join(" ", set)));
    }

    // ------------------------------------------------------------------ E1: W = 0 is an equilibrium

    private const string E1 = """
        id = "e1"
        [[network]]
        widths = [3, 1, 2, 3]
        target = "diag(3,2,1)"
        [network.point]
        W1 = [[0, 0, 0]]
        W2 = [[0], [0]]
        W3 = [[0, 0], [0, 0], [0, 0]]
        [claim]
        method = "invariant"
        equations = [{ expr = "W[j]", each = "j = FROM..N" }]
        expect = "holds"
        """;

    [Fact]
    public void A_looped_equation_list_stands_for_every_layer_and_the_origin_is_certified_exactly()
    {
        var r = CheckOne(E1.Replace("FROM", "1"));
        Assert.Equal(Status.Proved, r.Outcome.Status);
        Assert.Equal("exact", r.Outcome.Basis);
        // one generator per entry of every layer: 3 + 2 + 6
        Assert.Equal(11, System.Text.RegularExpressions.Regex.Matches(r.Outcome.Detail, @"is invariant: proved").Count);
        Assert.Contains("(W[j] at j = 3)[3,2] = 0", r.Outcome.Detail);
    }

    [Fact]
    public void False_E1_a_nonzero_start_is_not_in_the_origin_set()
    {
        var r = CheckOne(E1.Replace("FROM", "1").Replace("W2 = [[0], [0]]", "W2 = [[\"1/2\"], [0]]"));
        Assert.Equal(Status.Refuted, r.Outcome.Status);
        Assert.Contains("the start violates", r.Outcome.Detail);
    }

    [Z3Fact]
    public void False_E1_a_loop_that_leaves_out_the_first_layer_is_not_an_invariant_set()
    {
        // {W_2 = 0} alone at depth 2: dW_2/dt = E W_1^T = Z W_1^T there, which is not in the ideal.
        var r = CheckOne("""
            id = "e1-short"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(3,2,1)"
            [claim]
            method = "invariant"
            equations = [{ expr = "W[j]", each = "j = 2..N" }]
            expect = "holds"
            """);
        Assert.NotEqual(Status.Proved, r.Outcome.Status);
        Assert.Equal(Status.Refuted, r.Outcome.Status);
    }

    [Theory]
    [InlineData("{ expr = \"W[N]\", each = \"N = 1..2\" }", "would hide the lemma language's own 'N'")]
    [InlineData("{ expr = \"W[j]\" }", "needs both expr and each")]
    [InlineData("{ expr = \"W[j]\", each = \"j = 1..N\", step = \"2\" }", "unknown key 'step'")]
    [InlineData("{ expr = \"W[j]\", each = \"j 1..N\" }", "each must look like")]
    [InlineData("[\"W1\"]", "must be an array of strings or of loops")]
    public void Bad_loops_in_a_set_are_one_line_errors(string entry, string message)
    {
        var text = $"id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\n[claim]\nmethod = \"invariant\"\nequations = [{entry}]\n";
        var e = Assert.Throws<LemmaFileException>(() => Parse(text));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("\n", e.OneLine);
    }

    [Fact]
    public void A_loop_variable_may_not_hide_the_claims_own_loop_or_a_let_definition_and_loops_stay_out_of_all_sizes_claims()
    {
        Assert.Contains("already the claim's each variable", Assert.Throws<LemmaFileException>(() => Parse(
            "id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\n[claim]\nmethod = \"invariant\"\neach = \"j = 1..2\"\nequations = [{ expr = \"W[j]\", each = \"j = 1..N\" }]\n")).Message);
        Assert.Contains("also a [claim.let] name", Assert.Throws<LemmaFileException>(() => Parse(
            "id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\n[claim]\nmethod = \"invariant\"\nequations = [{ expr = \"W[i]\", each = \"i = 1..N\" }]\n[claim.let]\ni = \"W1\"\n")).Message);
        Assert.Contains("is for [[network]] instances", Assert.Throws<LemmaFileException>(() => Parse(
            "id = \"x\"\nsizes = \"all\"\n[claim]\nmethod = \"invariant\"\nequations = [{ expr = \"W[j]\", each = \"j = 1..N\" }]\n")).Message);
    }

    // ------------------------------------------------------------------ the linear cofactor search (untrusted; the kernel multiplies out)

    [Fact]
    public void The_cofactor_search_handles_linear_equations_that_are_not_coordinates_dependent_ones_included()
    {
        Polynomial V(string n) => Polynomial.Var(n);
        var (x, y, z, t) = (V("x"), V("y"), V("z"), V("t"));
        var g1 = (Rational)(-4) * x + (Rational)3 * y;
        var g2 = (Rational)(-4) * x + (Rational)3 * z;
        var g4 = z * t - 1;
        // 3(y - z) = g1 - g2: three linear rows of rank two
        IReadOnlyList<Polynomial> gens = [g1, g2, (Rational)3 * (y - z), g4];
        var p = (x * x + t) * g1 + y.Pow(3) * g2 + (x + z) * g4;
        var q = IdealSearch.Cofactors(p, gens);
        Assert.NotNull(q);
        var sum = Enumerable.Range(0, gens.Count).Aggregate(Polynomial.Zero, (s, i) => s + q![i] * gens[i]);
        Assert.Equal(p, sum);
        // Not in the ideal (x = 3/4 y = 3/4 z, zt = 1 leaves t free): no cofactors, which proves nothing either way.
        Assert.Null(IdealSearch.Cofactors(p + t, gens));
    }

    [Z3Fact]
    public void False_linear_set_a_direction_the_flow_turns_is_not_certified()
    {
        // a_1 = a_2 is not kept for Z = diag(3,2,1): a' = E b has different rates in the first two rows.
        var r = CheckOne("""
            id = "direction"
            [[network]]
            widths = [3, 1, 3]
            target = "diag(3,2,1)"
            [claim]
            method = "invariant"
            equations = ["a[1,1] - a[2,1]"]
            expect = "holds"
            """);
        Assert.NotEqual(Status.Proved, r.Outcome.Status);
    }

    // ------------------------------------------------------------------ E5 and E6: exact points

    [Fact]
    public void False_E5_a_point_off_E2s_set_is_not_a_minimiser_in_S()
    {
        var lemma = LemmaLoader.Load(Example("e5-minimiser-in-s.toml"));
        var network = lemma.Networks.Single(n => n.Architecture.ToString() == "3,1,3");
        // P = 3 e_1 e_1^T is also a global minimiser for diag(3,3,1), but it is not in S (W_1 e_1 != 0).
        var off = lemma with { Networks = [network with { Point = new Dictionary<string, Rational[,]>
        {
            ["W1"] = new Rational[,] { { 1, 0, 0 } },
            ["W2"] = new Rational[,] { { 3 }, { 0 }, { 0 } },
        } }] };
        Assert.Equal(Status.Refuted, Assert.Single(LemmaChecker.Check(off, CheckOptions.Default())).Outcome.Status);
        Assert.Equal(Status.Proved, Assert.Single(LemmaChecker.Check(lemma with { Networks = [network] }, CheckOptions.Default())).Outcome.Status);
    }

    [Fact]
    public void False_E6_a_wrong_critical_point_is_refuted()
    {
        var lemma = LemmaLoader.Load(Example("e6-rank-two-critical-point.toml"));
        var network = lemma.Networks.Single(n => n.Architecture.ToString() == "3,2,3");
        // P = diag(3,1,0): the second mode is not at its singular value, so dW/dt != 0 there.
        var wrong = lemma with { Networks = [network with { Point = new Dictionary<string, Rational[,]>
        {
            ["W1"] = new Rational[,] { { 3, 0, 0 }, { 0, 1, 0 } },
            ["W2"] = new Rational[,] { { 1, 0 }, { 0, 1 }, { 0, 0 } },
        } }] };
        Assert.Equal(Status.Refuted, Assert.Single(LemmaChecker.Check(wrong, CheckOptions.Default())).Outcome.Status);
        // ... and the critical point claimed as a point where some layer still moves is refuted as well.
        var moving = lemma with { Networks = [network], Claim = new MembershipClaim("flow(W[1]) != 0", DeepLinearProofs.Algebra.Syntax.ExprParser.Parse("flow(W[1]) != 0"), 1, Expectation.Holds) };
        Assert.Equal(Status.Refuted, Assert.Single(LemmaChecker.Check(moving, CheckOptions.Default())).Outcome.Status);
    }

    // ------------------------------------------------------------------ plain-text cofactors, re-checked outside the tool

    private static (string Dir, string File) CofactorsOf(string lemmaText)
    {
        var dir = TempDir();
        var lemma = Parse(lemmaText);
        var r = Assert.Single(LemmaChecker.Check(lemma, CheckOptions.Default() with { CertificateDirectory = dir }));
        Assert.Equal(Status.Proved, r.Outcome.Status);
        var text = Assert.Single(r.Outcome.Certificates, f => f.EndsWith(".cofactors.txt", StringComparison.Ordinal));
        Assert.Equal(CofactorFile.PathBeside(Assert.Single(r.Outcome.Certificates, f => f.EndsWith(".kernel.json", StringComparison.Ordinal))), text);
        return (dir, text);
    }

    private const string E3TwoLayers = """
        id = "e3-n2"
        [[network]]
        widths = [3, 1, 3]
        target = "diag(3,2,1)"
        [network.point]
        W1 = [["1/2", 0, 0]]
        W2 = [["-1/2"], [0], [0]]
        [claim]
        method = "invariant"
        equations = ["a[2,1]", "a[3,1]", "b[2,1]", "b[3,1]", "a[1,1] + b[1,1]"]
        expect = "holds"
        """;

    [Fact]
    public void The_cofactor_file_restates_every_ideal_membership_step_as_polynomials_that_multiply_out()
    {
        var (dir, file) = CofactorsOf(E3TwoLayers);
        try
        {
            // Read the plain text back with the project's own polynomial parser (** as ^) and multiply out every claim.
            var lines = File.ReadAllLines(file).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();
            Polynomial Read(string s) => Polynomial.Parse(s.Replace("**", "^", StringComparison.Ordinal));
            string Rhs(string l) => l[(l.IndexOf('=') + 1)..].Trim();
            string Name(string l) => l.Split(' ')[0] + l.Split(' ')[1];
            var rates = lines.Where(l => l.StartsWith("rate ")).ToDictionary(l => Variable.Of(l.Split(' ')[1]), l => Read(Rhs(l)));
            var named = lines.Where(l => l.StartsWith("g ")).ToDictionary(Name, l => Read(Rhs(l)));
            Assert.Equal(5, named.Count);
            Assert.Equal(6, rates.Count);
            int checks = 0;
            for (int i = 0; i < lines.Count; i++)
            {
                if (!lines[i].StartsWith("check lie(")) continue;
                var g = named[lines[i]["check lie(".Length..^1]];
                var lie = g.Variables().Aggregate(Polynomial.Zero, (s, v) => s + g.Derivative(v) * rates[v]);
                var sum = Polynomial.Zero;
                for (i++; lines[i] != "end"; i++) sum += Read(Rhs(lines[i])) * named[lines[i].Split(' ')[1]];
                Assert.Equal(lie, sum);
                checks++;
            }
            Assert.Equal(5, checks);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_certificate_without_ideal_membership_leaves_no_cofactor_file_and_removes_a_stale_one()
    {
        var dir = TempDir();
        try
        {
            var json = Path.Combine(dir, "x.kernel.json");
            var stale = CofactorFile.PathBeside(json);
            File.WriteAllText(stale, "statement 1\n");
            var certificate = new Certificate("identity", null, null, [], [], Status.Proved);
            Assert.Null(CofactorFile.Write(json, "x", "3,1,3 | diag(3,2,1)", certificate));
            Assert.False(File.Exists(stale));
        }
        finally { Directory.Delete(dir, true); }
    }

    [SympyFact]
    public void SymPy_rechecks_the_cofactor_file_and_rejects_a_tampered_one()
    {
        var (dir, file) = CofactorsOf(E3TwoLayers);
        try
        {
            var (ok, output) = Recheck(file);
            Assert.True(ok == 0, output);
            Assert.Contains("5 of 5 claim(s) hold", output);
            // change one cofactor: the outside check must fail
            var lines = File.ReadAllLines(file).ToList();
            int c = lines.FindIndex(l => l.StartsWith("cofactor "));
            lines[c] += " + 1";
            File.WriteAllLines(file, lines);
            var (bad, badOutput) = Recheck(file);
            Assert.True(bad == 1, badOutput);
            Assert.Contains("FAILS", badOutput);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static (int Code, string Output) Recheck(string file)
    {
        var script = Path.Combine(SympyFactAttribute.Root, "tools", "recheck-cofactors.py");
        using var p = Process.Start(new ProcessStartInfo("python3", [script, file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}

/// <summary>A fact that needs python3 with SymPy (the outside re-check of cofactor files); skipped with the reason otherwise.</summary>
public sealed class SympyFactAttribute : FactAttribute
{
    /// <summary>The repository root (where tools/ is), found upwards from the test binaries.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DeepLinearProofs.sln"))) dir = dir.Parent;
            return dir?.FullName ?? "";
        }
    }

    private static readonly Lazy<string?> Reason = new(() =>
    {
        if (!File.Exists(Path.Combine(Root, "tools", "recheck-cofactors.py"))) return "needs tools/recheck-cofactors.py from the repository";
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", ["-c", "import sympy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit(30_000);
            return p.HasExited && p.ExitCode == 0 ? null : "needs python3 with SymPy (pip install sympy)";
        }
        catch (System.ComponentModel.Win32Exception) { return "needs python3 with SymPy"; }
    });

    public SympyFactAttribute()
    {
        if (Reason.Value is { } why) Skip = why;
    }
}
