using DeepLinearProofs.Algebra;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

public class SmtLemmaTests
{
    private static Lemma Parse(string text) => LemmaLoader.Parse(text, "mem.toml");

    private static LemmaResult CheckOne(string text, CheckOptions? options = null) =>
        Assert.Single(LemmaChecker.Check(Parse(text), options ?? CheckOptions.Default()));

    private const string T6Bound =
        "id = \"t6\"\ntheory = \"T6\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"forall\"\nreductions = [\"rank-one\", \"normalize\"]\nexpr = \"CLAIM\"\n";

    [Z3Theory]
    [InlineData("L >= sum(i, 2, d[0], s[i]^2) / 2", Status.Proved)]
    [InlineData("L <= sum(i, 2, d[0], s[i]^2) / 2", Status.Refuted)]   // flipped inequality
    [InlineData("L >= sum(i, 1, d[0], s[i]^2) / 2", Status.Refuted)]   // wrong constant
    [InlineData("L > sum(i, 2, d[0], s[i]^2) / 2", Status.Refuted)]    // strict: fails at the minimiser
    public void The_rank_one_bound_is_proved_and_its_false_variants_refuted_with_exact_countermodels(string claim, Status expected)
    {
        var lemma = Parse(T6Bound.Replace("CLAIM", claim));
        var r = Assert.Single(LemmaChecker.Check(lemma, CheckOptions.Default()));
        Assert.Equal(expected, r.Outcome.Status);
        if (expected != Status.Refuted) return;
        // The countermodel is a point of the weights (lifted from a, b by the kernel): the claim as written, evaluated
        // over the weights by a fresh evaluator, must be false there.
        var point = r.Outcome.Witness!.Point.ToDictionary(p => p.Variable, p => p.Value);
        var arch = lemma.Networks[0].Architecture;
        var ev = new ClaimEvaluator(new NetworkModel(arch, lemma.Networks[0].Target), new Dictionary<string, int>());
        var formula = ev.EvaluateFormula(lemma.Claim.Expression);
        Assert.All(formula.Variables(), v => Assert.StartsWith("W", v.Name));
        Assert.False(formula.Holds(v => point[v]));
    }

    [Fact]
    public void The_rank_one_reduction_refuses_claims_about_weights_and_widths_without_a_one_neuron_layer()
    {
        var e = Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(Parse(T6Bound.Replace("CLAIM", "norm2(W1) >= 0"))));
        Assert.Contains("rank-one reduction", e.Message);
        var text = T6Bound.Replace("CLAIM", "L >= 0").Replace("[3, 1, 3]", "[3, 2, 3]");
        Assert.Contains("no one-neuron layer", Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(Parse(text))).Message);
    }

    [Fact]
    public void The_normalize_reduction_refuses_claims_that_are_not_scale_invariant()
    {
        // |b|^2 <= 1 is false, and would be "proved" if normalize assumed |b| = 1 for a claim that depends on b itself.
        var refused = CheckOne(T6Bound.Replace("CLAIM", "norm2(b) <= 1"));
        Assert.Equal(Status.Error, refused.Outcome.Status);
        Assert.Contains("changes under (a, b) -> (t a, b/t)", refused.Outcome.Detail);
    }

    [Z3Fact]
    public void Without_normalize_the_claim_that_is_not_scale_invariant_is_refuted()
    {
        var text = T6Bound.Replace("CLAIM", "norm2(b) <= 1").Replace("reductions = [\"rank-one\", \"normalize\"]", "reductions = [\"rank-one\"]");
        Assert.Equal(Status.Refuted, CheckOne(text).Outcome.Status);
    }

    [Z3Fact]
    public void Square_roots_never_make_a_claim_hold_vacuously()
    {
        // sqrt(-1 - L) is nowhere defined: the domain obligation fails with a checked point, so the claim is ill-formed.
        var vacuous = CheckOne("id = \"x\"\n[[network]]\nwidths = [2, 1, 2]\ntarget = \"diag(2,1)\"\n[claim]\nmethod = \"forall\"\nexpr = \"r < 0\"\n[claim.let]\nr = \"sqrt(-1 - L)\"\n");
        Assert.Equal(Status.Error, vacuous.Outcome.Status);
        Assert.Contains("ill-formed", vacuous.Outcome.Detail);
        // At an exact point, the square root of a negative number is ill-formed too, never a verdict.
        var text = "id = \"x\"\n[[network]]\nwidths = [2, 1, 2]\ntarget = \"diag(2,1)\"\n[network.point]\nW1 = [[1, 0]]\nW2 = [[1], [0]]\n[claim]\nmethod = \"membership\"\nexpr = \"sqrt(L - 10) >= 0\"\n";
        var negative = CheckOne(text);
        Assert.Equal(Status.Error, negative.Outcome.Status);
        Assert.Contains("negative number", negative.Outcome.Detail);
    }

    [Fact]
    public void A_lie_derivative_of_a_square_root_needs_a_conserved_radicand()
    {
        var text = "id = \"x\"\n[[network]]\nwidths = [2, 1, 2]\ntarget = \"diag(2,1)\"\n[claim]\nmethod = \"identity\"\nexpr = \"lie(sqrt(norm2(a))) == 0\"\n";
        Assert.Contains("conserved radicand", Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(Parse(text))).Message);
    }

    [Z3Fact]
    public void The_unsound_rule_for_inequalities_is_not_accepted()
    {
        // x' = 1 and h = -x^3: at h = 0 (x = 0) L_F h = -3x^2 = 0 >= 0, yet {h >= 0} = {x <= 0} is left at once.
        var x = Variable.Of("x");
        var X = Polynomial.Var(x);
        var h = -X.Pow(3);
        var session = new KernelSession(new SolverOracle(CheckOptions.Default(), "unsound", "x' = 1", TimeSpan.FromSeconds(10), default), SolverBudget.DefaultRlimit, "test");
        Verdict Check(Polynomial rate, IReadOnlyList<Generator> equations, params Inequality[] inequalities) =>
            ProofKernel.Invariant(new InvariantStatement([new FieldComponent(x, rate)], equations, inequalities, null, [new Assignment(x, -1)], true), session);
        Assert.NotEqual(Status.Proved, Check(Polynomial.One, [], new Inequality("-x^3", h, Polynomial.Zero, null, [], null)).Status);
        Assert.NotEqual(Status.Proved, Check(Polynomial.One, [], new Inequality("-x^3", h, X, null, [], null)).Status);
        Assert.NotEqual(Status.Proved, Check(Polynomial.One, [], new Inequality("-x^3", h, null, null, [new Generator("x", X, [Polynomial.Zero])], [-X.Pow(2)])).Status);
        // Equations: "L_F g = 0 on {g = 0}" is not a proof either (x' = 1, g = x^2), nor are cofactors that do not multiply out.
        Assert.NotEqual(Status.Proved, ProofKernel.Invariant(new InvariantStatement([new FieldComponent(x, Polynomial.One)], [new Generator("x^2", X.Pow(2), [Polynomial.One])], [], null, [new Assignment(x, 0)], true), session).Status);
        // A genuinely invariant set is certified: x' = -x keeps {x = 0} (L_F x = -1 * x) and x >= 0 (barrier lambda = 1).
        Assert.Equal(Status.Proved, ProofKernel.Invariant(new InvariantStatement([new FieldComponent(x, -X)], [new Generator("x", X, [-Polynomial.One])], [], null, [new Assignment(x, 0)], true), session).Status);
        Assert.Equal(Status.Proved, ProofKernel.Invariant(new InvariantStatement([new FieldComponent(x, -X)], [], [new Inequality("x", X, Polynomial.One, [], [], null)], null, [new Assignment(x, 1)], true), session).Status);
    }

    [Z3Fact]
    public void A_set_that_is_not_invariant_is_refuted_with_a_point_where_the_flow_leaves_it()
    {
        // {a_1 = 0} alone is not invariant for N = 2: a_1' = s_1 b_1 - a_1 |b|^2.
        var r = CheckOne("id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"invariant\"\nequations = [\"a[1,1]\"]\nexpect = \"fails\"\n");
        Assert.Equal(Status.Refuted, r.Outcome.Status);
        Assert.True(r.AsExpected);
    }

    [Z3Fact]
    public void The_E4_certificate_rejects_a_start_outside_its_set()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "proofs", "examples", "e4-unbalanced.toml");
        var lemma = LemmaLoader.Load(path);
        Assert.Equal(Status.Proved, Assert.Single(LemmaChecker.Check(lemma, CheckOptions.Default())).Outcome.Status);
        var moved = lemma with { Networks = [lemma.Networks[0] with { Point = new Dictionary<string, Rational[,]>
        {
            ["W1"] = new Rational[,] { { Rational.Create(1, 2), Rational.Create(3, 2), 2 } },
            ["W2"] = new Rational[,] { { 1 }, { 1 }, { 0 } },
        } }] };
        var r = Assert.Single(LemmaChecker.Check(moved, CheckOptions.Default()));
        Assert.Equal(Status.Refuted, r.Outcome.Status);
        Assert.Contains("the start violates", r.Outcome.Detail);
    }

    [Z3Fact]
    public void Cross_checking_never_proves_when_the_second_route_is_unsure_or_missing()
    {
        var text = T6Bound.Replace("CLAIM", "L >= 0");
        var unsure = CheckOne(text, new CheckOptions(new Z3Worker(), new FakeSolver("second", "unknown\n(:reason-unknown \"timeout\")")));
        Assert.Equal(Status.Unknown, unsure.Outcome.Status);
        var missing = CheckOne(text, new CheckOptions(new Z3Worker(), new FakeSolver("second", "", "not installed")));
        Assert.Equal(Status.Unknown, missing.Outcome.Status);
        var agreed = CheckOne(text, new CheckOptions(new Z3Worker(), new FakeSolver("second", "unsat")));
        Assert.Equal(Status.Proved, agreed.Outcome.Status);
        Assert.Equal("exact+smt:z3+second", agreed.Outcome.Basis); // exact: the rank-one rule's side conditions
    }

    [Fact]
    public void A_missing_solver_makes_smt_lemmas_inconclusive_not_proved()
    {
        var r = CheckOne(T6Bound.Replace("CLAIM", "L >= 0"), new CheckOptions(new FakeSolver("z3", "", "libz3 (libz3.so.4) is not installed: run 'apt-get install -y libz3-4'")));
        Assert.Equal(Status.Unknown, r.Outcome.Status);
        Assert.Contains("apt-get install -y libz3-4", r.Outcome.Detail);
        Assert.Equal(2, new VerifyReport([r], []).ExitCode);
    }

    [Theory]
    [InlineData("reductions = [\"magic\"]\nexpr = \"L >= 0\"", "unknown reduction 'magic'")]
    [InlineData("reductions = [\"normalize\"]\nexpr = \"L >= 0\"", "needs \\\"rank-one\\\"")]
    [InlineData("expr = \"L >= \"", "column")]
    [InlineData("expr = \"P >= 0\"", "compares scalars")]
    [InlineData("expr = \"L\"", "expected a formula")]
    public void Malformed_forall_claims_are_one_line_errors(string body, string message)
    {
        var text = "id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"forall\"\n" + body + "\n";
        var e = Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(Parse(text)));
        Assert.Contains(message.Replace("\\\"", "\""), e.Message);
        Assert.True(e.Line >= 6);
    }

    [Fact]
    public void Invariant_claims_need_a_set_and_inequalities_need_a_certificate()
    {
        Assert.Contains("needs a set", Assert.Throws<LemmaFileException>(() =>
            Parse("id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\n[claim]\nmethod = \"invariant\"\n")).Message);
        Assert.Contains("needs a certificate", Assert.Throws<LemmaFileException>(() =>
            Parse("id = \"x\"\n[[network]]\nwidths = [3, 1, 3]\n[claim]\nmethod = \"invariant\"\n[[claim.inequality]]\nexpr = \"a[1,1]\"\n")).Message);
    }
}
