using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Smt;

/// <summary>A scripted solver for tests: answers with fixed text, records what it was asked.</summary>
internal sealed class FakeSolver(string name, string output, string? unavailable = null) : ISolver
{
    public string Name => name;
    public string? Unavailable => unavailable;
    public List<string> Scripts { get; } = [];

    public SolverAnswer Check(string script, SolverBudget budget, CancellationToken cancel = default)
    {
        Scripts.Add(script);
        return SolverAnswer.Parse(output);
    }
}

public class SmtTests
{
    private static readonly Variable X = Variable.Of("x"), Y = Variable.Of("W1[1,2]");
    private static readonly SolverBudget Budget = new(1_000_000, TimeSpan.FromSeconds(30));

    /// <summary>The kernel's forall rule on "for all x: claim", its obligations answered by the given routes.</summary>
    private static Verdict Forall(string polynomial, Relation relation, ISolver solver, ISolver? second = null) =>
        ProofKernel.Forall(new ForallStatement([], new Labeled($"{polynomial} {relation}", Formula.Atom(Polynomial.Parse(polynomial), relation)), []),
            new KernelSession(new SolverOracle(new CheckOptions(solver, second), "lemma.demo", "2,1,2 | diag(2,1)", TimeSpan.FromSeconds(30), default), Budget.Rlimit, "lemma: lemma.demo"));

    [Fact]
    public void Obligations_are_written_as_commented_self_contained_smtlib()
    {
        var assertions = new[]
        {
            new Labeled("hypothesis gap: s1 > s2", Formula.Atom(Polynomial.Parse("-3/4*x + W1[1,2]^2 - 2"), Relation.Ge)),
            new Labeled("negated claim\rmultiline", Formula.Not(Formula.Or(Formula.Atom(Polynomial.Var(X), Relation.Eq), Formula.Atom(Polynomial.Var(Y), Relation.Ne)))),
        };
        var expected = string.Join("\n",
            "; DeepLinearProofs obligation: forall",
            "; lemma: landscape.demo",
            "; network: 3,1,3 | diag(3,2,1)",
            "; proved iff the solver answers unsat",
            "(set-option :produce-models true)",
            "(set-option :rlimit 12345)",
            "(set-logic QF_NRA)",
            "(declare-fun |W1[1,2]| () Real)",
            "(declare-fun |x| () Real)",
            "; hypothesis gap: s1 > s2",
            "(assert (>= (+ (* |W1[1,2]| |W1[1,2]|) (* (- (/ 3.0 4.0)) |x|) (- 2.0)) 0.0))",
            "; negated claim multiline",
            "(assert (not (or (= |x| 0.0) (not (= |W1[1,2]| 0.0)))))",
            "(check-sat)",
            "(get-model)",
            "");
        var text = SmtText.Script("forall", "lemma: landscape.demo\nnetwork: 3,1,3 | diag(3,2,1)", 12345, assertions);
        Assert.Equal(expected, text);
        Assert.Equal(12345, SolverBudget.RlimitIn(text));
        Assert.Equal(expected.Replace("(set-option :rlimit 12345)\n", ""), SolverBudget.WithoutRlimit(text));
        Assert.DoesNotContain(":timeout", text);
    }

    [Fact]
    public void Solver_answers_are_read_as_a_closed_set()
    {
        Assert.IsType<SolverAnswer.Unsat>(SolverAnswer.Parse("unsat\n(error \"line 9 column 10: model is not available\")"));
        var sat = Assert.IsType<SolverAnswer.Sat>(SolverAnswer.Parse(
            "sat\n(\n  (define-fun |W1[1,2]| () Real\n    (- (/ 3.0 4.0)))\n  (define-fun x () Real 2.0)\n  (define-fun y () Real (root-obj (+ (^ x 2) (- 2)) 2))\n)"));
        Assert.Equal(Rational.Create(-3, 4), sat.Rationals["W1[1,2]"]);
        Assert.Equal((Rational)2, sat.Rationals["x"]);
        Assert.Contains("root-obj", sat.Irrationals["y"]);
        Assert.IsType<SolverAnswer.Sat>(SolverAnswer.Parse("sat\n(model (define-fun x () Real 1.5))"));
        Assert.Contains("incomplete", Assert.IsType<SolverAnswer.Unknown>(SolverAnswer.Parse("unknown\n(:reason-unknown \"incomplete\")")).Reason);
        Assert.Contains("solver error", Assert.IsType<SolverAnswer.Unknown>(SolverAnswer.Parse("(error \"unknown constant z\")\nsat\n()")).Reason);
        Assert.IsType<SolverAnswer.Unknown>(SolverAnswer.Parse(""));
        Assert.Contains("malformed", Assert.IsType<SolverAnswer.Unknown>(SolverAnswer.Parse("sat\n((define-fun x () Real (foo 1)))")).Reason);
        Assert.Contains("malformed", Assert.IsType<SolverAnswer.Unknown>(SolverAnswer.Parse("sat\n((define-fun x () Real 1.0)")).Reason);
    }

    [Fact]
    public void A_model_that_does_not_satisfy_the_obligation_is_never_a_refutation()
    {
        // The liar says x = 1 refutes "x^2 >= 0": the kernel evaluates the claim there and it holds.
        var liar = new FakeSolver("liar", "sat\n((define-fun x () Real 1.0))");
        var verdict = Forall("x^2", Relation.Ge, liar);
        Assert.Equal(Status.Unknown, verdict.Status);
        Assert.Contains("not a refutation", verdict.Detail);
    }

    [Fact]
    public void Unknown_and_timeouts_are_never_proved_and_a_second_route_must_agree()
    {
        Assert.Equal(Status.Unknown, Forall("x^2", Relation.Ge, new FakeSolver("s", "timeout")).Status);
        Assert.Equal(Status.Unknown, Forall("x^2", Relation.Ge, new FakeSolver("s", "unknown")).Status);
        var first = new FakeSolver("first", "unsat");
        Assert.Equal(Status.Proved, Forall("x^2", Relation.Ge, first).Status);
        var unsure = Forall("x^2", Relation.Ge, first, new FakeSolver("second", "unknown"));
        Assert.Equal(Status.Unknown, unsure.Status);
        Assert.DoesNotContain("agree", unsure.Detail);
        var absent = Forall("x^2", Relation.Ge, first, new FakeSolver("second", "", "not installed"));
        Assert.Equal(Status.Unknown, absent.Status);
        Assert.Contains("not installed", absent.Detail);
        var disagree = Forall("x^2", Relation.Ge, first, new FakeSolver("second", "sat\n((define-fun x () Real 0.0))"));
        Assert.Contains("DISAGREEMENT", disagree.Detail);
        var agree = Forall("x^2", Relation.Ge, first, new FakeSolver("second", "unsat"));
        Assert.Equal("smt:first+second", agree.Basis);
    }

    [Fact]
    public void A_missing_worker_is_unavailable_with_the_fix_and_answers_unknown()
    {
        var missing = new Z3Worker(Path.Combine(Path.GetTempPath(), "no-such-dlp-folder"));
        Assert.Contains("rebuild", missing.Unavailable);
        Assert.IsType<SolverAnswer.Unknown>(missing.Check("(check-sat)", Budget));
    }

    [Z3Fact]
    public void Z3_worker_proves_refutes_and_survives_errors()
    {
        var z3 = new Z3Worker();
        Assert.StartsWith("4.", z3.Version);
        Assert.Equal(Status.Proved, Forall("x^2", Relation.Ge, z3).Status);
        var refuted = Forall("x^2 - 9/4", Relation.Ne, z3);
        Assert.Equal(Status.Refuted, refuted.Status);
        Assert.Equal(Rational.Create(9, 4), Assert.Single(refuted.Countermodel!.Point).Value.Pow(2));
        // A malformed script is an error answer, and the worker survives it.
        Assert.IsType<SolverAnswer.Unknown>(z3.Check("(assert (bogus))\n(check-sat)\n(get-model)", Budget));
        Assert.IsType<SolverAnswer.Unsat>(z3.Check("(assert false)\n(check-sat)", Budget));
    }

    [Z3Fact]
    public void An_irrational_only_countermodel_is_not_confirmed_but_a_rational_one_is_searched_for()
    {
        // x^2 = 2 has only irrational solutions: never a confirmed refutation of "x^2 != 2".
        var v = Forall("x^2 - 2", Relation.Ne, new Z3Worker());
        Assert.Equal(Status.Unknown, v.Status);
        Assert.Contains("irrational", v.Detail);
    }
}
