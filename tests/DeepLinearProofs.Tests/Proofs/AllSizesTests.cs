using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Words;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

/// <summary>sizes = "all": the library's all-sizes lemmas, their instance cross-checks, and the kernel's word rule on bad statements.</summary>
public class AllSizesTests
{
    private static string Library(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "proofs", .. parts]);

    private static LemmaResult Check(string text) => Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(text, "all.toml")));

    [Theory]
    [InlineData("t1-flow.toml")]
    [InlineData("t2-end-to-end.toml")]
    [InlineData("t3-conservation.toml")]
    [InlineData("t3-one-neuron-scalar.toml")]
    [InlineData("t4-descent.toml")]
    [InlineData("t5-rank-one.toml")]
    [InlineData("t13-mode-equations.toml")]
    [InlineData("t14-mode-growth.toml")]
    [InlineData("e2-invariant-set.toml")]
    [InlineData("t9-products.toml")]
    [InlineData("t9-hidden-layer.toml")]
    [InlineData("t9-end-layers.toml")]
    [InlineData("t9-depth-two.toml")]
    public void Each_library_statement_is_proved_for_all_sizes(string file)
    {
        var r = Assert.Single(LemmaChecker.Check(LemmaLoader.Load(Library("all-sizes", file))));
        Assert.True(r.Outcome.Verdict.Status == Status.Proved, r.Outcome.Verdict.Detail);
        Assert.Equal(ProofKernel.AllSizes, r.Outcome.Verdict.Basis);
        Assert.StartsWith("all sizes", r.Network);
    }

    [Theory]
    [InlineData("t1-wrong-sign.toml")]
    [InlineData("t3-wrong-imbalance.toml")]
    [InlineData("t4-wrong-constant.toml")]
    public void Each_negative_control_is_refuted_at_an_instance_with_an_exact_countermodel(string file)
    {
        var r = Assert.Single(LemmaChecker.Check(LemmaLoader.Load(Library("all-sizes", file))));
        Assert.Equal(Status.Refuted, r.Outcome.Verdict.Status);
        Assert.Contains("refuted at", r.Network);
        Assert.Equal("exact", r.Outcome.Verdict.Basis);
        Assert.NotNull(r.Outcome.Verdict.Countermodel);
    }

    [Fact]
    public void A_false_claim_without_instances_stays_unknown_never_refuted_or_proved()
    {
        var r = Check("""
            id = "x"
            sizes = "all"
            [claim]
            method = "identity"
            each = "j = 1..N"
            expr = "flow(W[j]) == 2 * T(prod(N, j+1)) * E * T(prod(j-1, 1))"
            expect = "holds"
            """);
        Assert.Equal(Status.Unknown, r.Outcome.Verdict.Status);
        Assert.Contains("does not refute", r.Outcome.Verdict.Detail);
    }

    /// <summary>The same expressions at concrete widths agree with the all-sizes verdicts (the instance route is independent).</summary>
    [Theory]
    [InlineData("t1-flow.toml", "[2, 1, 2]", "symbolic")]
    [InlineData("t1-flow.toml", "[2, 2, 1, 2]", "symbolic")]
    [InlineData("t3-conservation.toml", "[2, 2, 2]", "symbolic")]
    [InlineData("t3-one-neuron-scalar.toml", "[2, 2, 1, 2]", "symbolic")]
    [InlineData("t4-descent.toml", "[2, 1, 2]", "symbolic")]
    [InlineData("t5-rank-one.toml", "[2, 2, 1, 2]", "symbolic")]
    [InlineData("t13-mode-equations.toml", "[3, 1, 3]", "diag(3,2,1)")]
    [InlineData("t14-mode-growth.toml", "[3, 1, 3]", "diag(3,2,1)")]
    [InlineData("e2-invariant-set.toml", "[3, 2, 1, 3]", "diag(3,2,1)")]
    public void The_same_claim_holds_at_an_instance(string file, string widths, string target)
    {
        var text = File.ReadAllText(Library("all-sizes", file)).Replace("sizes = \"all\"\n", "").Replace("depth = 2\n", "")
            .Replace("[claim]", $"[[network]]\nwidths = {widths}\ntarget = \"{target}\"\n\n[claim]");
        var r = Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(text, file)));
        Assert.True(r.Outcome.Verdict.Status == Status.Proved, $"{file} at {widths}: {r.Outcome.Verdict.Detail}");
    }

    [Theory]
    [InlineData("ra * rb * (f - ra * rho * rb)", "ra * rb * (f - rho * rb)")]           // a wrong rate for rho
    [InlineData("\"prod(j-1, 1) == rb * w[j-1] * T(w[0])\"]", "\"prod(j-1, 1) == 2 * rb * w[j-1] * T(w[0])\"]")] // a block off by a factor
    public void A_wrong_balanced_rate_is_not_proved(string right, string wrong)
    {
        var text = File.ReadAllText(Library("all-sizes", "t9-hidden-layer.toml"));
        Assert.Contains(right, text);
        var r = Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(text.Replace(right, wrong), "t9.toml")));
        Assert.NotEqual(Status.Proved, r.Outcome.Verdict.Status);
    }

    [Theory]
    [InlineData("Z")]
    [InlineData("a")]
    [InlineData("W2")]
    [InlineData("s_1")]
    public void A_parameter_that_would_hide_a_name_of_the_language_is_refused(string name)
    {
        var text = File.ReadAllText(Library("all-sizes", "t9-hidden-layer.toml")).Replace("parameters = [\"rho\", \"ra\", \"rb\"]", $"parameters = [\"rho\", \"{name}\"]");
        var e = Assert.Throws<LemmaFileException>(() => LemmaLoader.Parse(text, "t9.toml"));
        Assert.Contains($"parameter '{name}'", e.Message);
    }

    [Fact]
    public void An_ansatz_of_the_wrong_shape_is_bad_input()
    {
        var text = File.ReadAllText(Library("all-sizes", "t9-hidden-layer.toml")).Replace("rb * w[j-1] * T(w[0])", "rb * w[j-1] * T(w[1])");
        var e = Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(LemmaLoader.Parse(text, "t9.toml")));
        Assert.Contains("d_{j-1} x d_0", e.Message);
    }

    [Fact]
    public void A_rank_one_ansatz_for_a_block_that_can_be_the_identity_is_refused()
    {
        var text = File.ReadAllText(Library("all-sizes", "t9-hidden-layer.toml")).Replace("each = \"j = 2..N-1\"", "each = \"j = 1..N-1\"");
        var e = Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(LemmaLoader.Parse(text, "t9.toml")));
        Assert.Contains("is the identity at an end of the range", e.Message);
        var ends = File.ReadAllText(Library("all-sizes", "t9-end-layers.toml")).Replace("depth = \">= 3\"\n", "");
        Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(LemmaLoader.Parse(ends, "t9.toml")));
    }

    /// <summary>A named layer that does not exist for part of the range, and layers named from two anchors, are refused.</summary>
    [Theory]
    [InlineData("lie(C[j]) == 0", "at most W[N]")]
    [InlineData("W[1] * T(W[1]) + W[j] * T(W[j]) == W[j] * T(W[j]) + W[1] * T(W[1])", "may coincide")]
    public void Layers_the_range_does_not_pin_down_are_refused(string expr, string message)
    {
        var e = Assert.Throws<LemmaFileException>(() => Check($"""
            id = "x"
            sizes = "all"
            [claim]
            method = "identity"
            each = "j = 1..N"
            expr = "{expr}"
            expect = "holds"
            """));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Dropping_the_one_neuron_layer_breaks_T5_at_all_sizes_with_an_instance_countermodel()
    {
        var r = AssumptionCheck.Run(LemmaLoader.Load(Library("all-sizes", "t5-rank-one.toml")), new Modification(["one-neuron"], []), CheckOptions.Default());
        Assert.True(r.OriginalHolds);
        Assert.True(r.Breaks);
        var modified = Assert.Single(r.Modified);
        Assert.Equal(Status.Refuted, modified.Outcome.Verdict.Status);
        Assert.Contains("2,2,2", modified.Network);
    }

    [Fact]
    public void An_all_sizes_claim_checked_at_given_widths_uses_the_instance_rules()
    {
        var r = AssumptionCheck.Run(LemmaLoader.Load(Library("all-sizes", "t3-conservation.toml")), new Modification([], [], new Architecture([3, 2, 3])), CheckOptions.Default());
        var modified = Assert.Single(r.Modified);
        Assert.Equal("exact", modified.Outcome.Verdict.Basis);
        Assert.Equal(Status.Proved, modified.Outcome.Verdict.Status);
        Assert.True(r.Survives);
    }

    [Fact]
    public void Derive_for_all_sizes_proves_every_line_and_prints_one_align_environment()
    {
        var lines = AllSizesDerivation.Derive();
        Assert.Equal(["T1", "T2", "T3", "T4", "T5"], lines.Select(l => l.Item));
        Assert.All(lines, l => Assert.True(l.Verdict.Status == Status.Proved, $"{l.Item}: {l.Verdict.Detail}"));
        var (code, stdout, _) = DeepLinearProofs.Tests.Cli.DlpRunner.Run("derive", "--sizes", "all", "--format", "latex");
        Assert.Equal(0, code);
        Assert.Equal(2, stdout.Split("\\begin{align*}").Length);
        Assert.Contains("\end{align*}", stdout);
        Assert.Contains("T5: proved (exact, all sizes)", stdout);
        var (bad, _, err) = DeepLinearProofs.Tests.Cli.DlpRunner.Run("derive", "--sizes", "all", "--widths", "2,1,2");
        Assert.Equal(64, bad);
        Assert.Contains("--sizes all", err);
    }

    // ------------------------------------------------------------------ the kernel rule on statements made by hand

    private static readonly Dim D0 = new("d_0"), D1 = new("d_1");
    private static readonly MatrixSymbol W = new("W_1", D1, D0), Z = new("Z", D1, D0);

    /// <summary>L = 1/2 ||Z - W||^2 for one layer; its flow is Z - W.</summary>
    private static WordStatement OneLayer(WordPoly rate, IReadOnlyList<WordEquation> equations, IReadOnlyList<WordFact>? facts = null, IReadOnlyList<MatrixSymbol>? constants = null,
        IReadOnlyList<WordRoot>? roots = null)
    {
        var e = WordPoly.Of(Z) - WordPoly.Of(W);
        return new WordStatement("test", Rational.Create(1, 2) * e.Norm2(), [new WordRate(W, rate)], constants ?? [Z], facts ?? [], equations, [], roots ?? []);
    }

    private static Verdict Decide(WordStatement s) => ProofKernel.Words(s, new KernelSession(null, 1, "test"));

    [Fact]
    public void A_rate_that_is_not_minus_the_gradient_is_an_error()
    {
        var wrong = WordPoly.Of(W) - WordPoly.Of(Z);
        var v = Decide(OneLayer(wrong, [new WordEquation("x", WordSide.Given, WordPoly.Of(W), WordPoly.Of(W), [])]));
        Assert.Equal(Status.Error, v.Status);
        Assert.Contains("not minus the gradient", v.Detail);
    }

    [Fact]
    public void A_fact_about_a_moving_letter_is_refused()
    {
        var rate = WordPoly.Of(Z) - WordPoly.Of(W);
        var fact = new WordFact("W = Z", WordPoly.Of(W), WordPoly.Of(Z));
        // lie(W) = Z - W "is zero modulo W = Z": true on the assumption, false as a claim about the flow.
        var eq = new WordEquation("lie(W) = 0", WordSide.Lie, WordPoly.Of(W), WordPoly.Zero(D1, D0), [new WordMultiple(0, false, WordPoly.Identity(D1), WordPoly.Identity(D0), -Polynomial.One, false, null)]);
        var v = Decide(OneLayer(rate, [eq], [fact]));
        Assert.Equal(Status.Error, v.Status);
        Assert.Contains("not a constant letter", v.Detail);
    }

    [Fact]
    public void A_wrong_equation_is_unknown_and_an_empty_statement_is_vacuous()
    {
        var rate = WordPoly.Of(Z) - WordPoly.Of(W);
        var wrong = new WordEquation("lie(W) = W", WordSide.Lie, WordPoly.Of(W), WordPoly.Of(W), []);
        Assert.Equal(Status.Unknown, Decide(OneLayer(rate, [wrong])).Status);
        Assert.Equal(Status.Vacuous, Decide(OneLayer(rate, [])).Status);
        var right = new WordEquation("lie(W) = Z - W", WordSide.Lie, WordPoly.Of(W), rate, []);
        Assert.Equal(Status.Proved, Decide(OneLayer(rate, [right])).Status);
    }

    [Fact]
    public void A_moving_block_under_lie_and_a_root_with_a_moving_radicand_are_errors()
    {
        var rate = WordPoly.Of(Z) - WordPoly.Of(W);
        var block = new MatrixSymbol("B", D0, D0);
        var withBlock = new WordEquation("lie(W B) = 0", WordSide.Lie, WordPoly.Of(W) * WordPoly.Of(block), WordPoly.Zero(D1, D0), []);
        Assert.Equal(Status.Error, Decide(OneLayer(rate, [withBlock])).Status);
        var mu = Variable.Of("mu_test");
        var radicand = WordPoly.Of(W).Norm2().ScalarPart;
        var root = new WordRoot(mu, radicand, [(Rational.One, Polynomial.Zero)]);
        var eq = new WordEquation("lie(mu) = 0", WordSide.Lie, WordPoly.Scalar(Polynomial.Var(mu)), WordPoly.Scalar(Rational.Zero), []);
        // The sum of squares does not match the radicand, so the root's domain is not shown: unknown, whatever the rest.
        Assert.NotEqual(Status.Proved, Decide(OneLayer(rate, [eq], roots: [root])).Status);
        var honest = new WordRoot(mu, radicand, [(Rational.One, Polynomial.Var(Variable.Of("never")))]);
        Assert.NotEqual(Status.Proved, Decide(OneLayer(rate, [eq], roots: [honest])).Status);
    }

    [Fact]
    public void A_root_whose_radicand_moves_cannot_sit_under_lie()
    {
        var rate = WordPoly.Of(Z) - WordPoly.Of(W);
        var mu = Variable.Of("mu_moving");
        var x = new MatrixSymbol("x_t", D1, Dim.One);
        // radicand (x^T W)(...)^2 style: tr(W^T W) written as a square of itself would be wrong; use t^2 with t = tr(W^T W).
        var t = WordPoly.Of(W).Norm2().ScalarPart;
        var root = new WordRoot(mu, t * t, [(Rational.One, t)]);
        var eq = new WordEquation("lie(mu) = 0", WordSide.Lie, WordPoly.Scalar(Polynomial.Var(mu)), WordPoly.Scalar(Rational.Zero), []);
        var v = Decide(OneLayer(rate, [eq], constants: [Z, x], roots: [root]));
        Assert.Equal(Status.Error, v.Status);
        Assert.Contains("radicand moves", v.Detail);
    }
}
