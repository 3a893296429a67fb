using DeepLinearProofs.Algebra;
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

    private static Obligation XSquaredNegative() =>
        new("demo", "lemma.demo", "2,1,2 | diag(2,1)",
            [new Assertion("hypothesis h: x^2 < 0", Formula.Atom(Polynomial.Var(X).Pow(2), Relation.Lt))], ["none"]);

    [Fact]
    public void Obligations_are_written_as_commented_self_contained_smtlib()
    {
        var o = new Obligation("forall", "landscape.demo", "3,1,3 | diag(3,2,1)",
        [
            new Assertion("hypothesis gap: s1 > s2", Formula.Atom(Polynomial.Parse("-3/4*x + W1[1,2]^2 - 2"), Relation.Ge)),
            new Assertion("negated claim", Formula.Not(Formula.Or(Formula.Atom(Polynomial.Var(X), Relation.Eq), Formula.Atom(Polynomial.Var(Y), Relation.Ne)))),
        ], ["rank-one: P = a b^T"]);
        var expected = string.Join("\n",
            "; DeepLinearProofs obligation: forall",
            "; lemma: landscape.demo",
            "; network: 3,1,3 | diag(3,2,1)",
            "; reduction: rank-one: P = a b^T",
            "; proved iff the solver answers unsat",
            "(set-option :produce-models true)",
            "(set-option :rlimit 12345)",
            "(set-logic QF_NRA)",
            "(declare-fun |W1[1,2]| () Real)",
            "(declare-fun |x| () Real)",
            "; hypothesis gap: s1 > s2",
            "(assert (>= (+ (* |W1[1,2]| |W1[1,2]|) (* (- (/ 3.0 4.0)) |x|) (- 2.0)) 0.0))",
            "; negated claim",
            "(assert (not (or (= |x| 0.0) (not (= |W1[1,2]| 0.0)))))",
            "(check-sat)",
            "(get-model)",
            "");
        Assert.Equal(expected, SmtLib.Script(o, 12345));
        Assert.Equal(12345, SolverBudget.RlimitIn(SmtLib.Script(o, 12345)));
        Assert.Equal(expected.Replace("(set-option :rlimit 12345)\n", ""), SmtLib.Script(o));
        Assert.Equal(SmtLib.Script(o), SolverBudget.WithoutRlimit(SmtLib.Script(o, 12345)));
        Assert.DoesNotContain(":timeout", SmtLib.Script(o, 12345));
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
        var liar = new FakeSolver("liar", "sat\n((define-fun x () Real 1.0))");
        var verdict = ObligationChecker.Check(XSquaredNegative(), liar, Budget);
        Assert.Equal(SmtStatus.Unknown, verdict.Status);
        Assert.Contains("malformed model, not a refutation", verdict.Detail);
    }

    [Fact]
    public void Unknown_and_timeouts_are_never_proved_and_a_second_route_must_agree()
    {
        Assert.Equal(SmtStatus.Unknown, ObligationChecker.Check(XSquaredNegative(), new FakeSolver("s", "timeout"), Budget).Status);
        Assert.Equal(SmtStatus.Unknown, ObligationChecker.Check(XSquaredNegative(), new FakeSolver("s", "unknown"), Budget).Status);
        var first = new FakeSolver("first", "unsat");
        Assert.Equal(SmtStatus.Proved, ObligationChecker.Check(XSquaredNegative(), first, Budget).Status);
        var unsure = ObligationChecker.Check(XSquaredNegative(), first, Budget, new FakeSolver("second", "unknown"));
        Assert.Equal(SmtStatus.Unknown, unsure.Status);
        Assert.DoesNotContain("agree", unsure.Detail);
        var absent = ObligationChecker.Check(XSquaredNegative(), first, Budget, new FakeSolver("second", "", "not installed"));
        Assert.Equal(SmtStatus.Unknown, absent.Status);
        var disagree = ObligationChecker.Check(XSquaredNegative(), first, Budget, new FakeSolver("second", "sat\n((define-fun x () Real 0.0))"));
        Assert.Contains("DISAGREEMENT", disagree.Detail);
        var agree = ObligationChecker.Check(XSquaredNegative(), first, Budget, new FakeSolver("second", "unsat"));
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
        Assert.Equal(SmtStatus.Proved, ObligationChecker.Check(XSquaredNegative(), z3, Budget).Status);
        var satisfiable = XSquaredNegative() with { Assertions = [new Assertion("x^2 = 9/4", Formula.Atom(Polynomial.Parse("x^2 - 9/4"), Relation.Eq))] };
        var refuted = ObligationChecker.Check(satisfiable, z3, Budget);
        Assert.Equal(SmtStatus.Refuted, refuted.Status);
        Assert.Equal(Rational.Create(9, 4), refuted.Countermodel![X].Pow(2));
        // A malformed script is an error answer, and the worker survives it.
        Assert.IsType<SolverAnswer.Unknown>(z3.Check("(assert (bogus))\n(check-sat)\n(get-model)", Budget));
        Assert.IsType<SolverAnswer.Unsat>(z3.Check("(assert false)\n(check-sat)", Budget));
    }

    [Z3Fact]
    public void An_irrational_only_countermodel_is_not_confirmed_but_a_rational_one_is_searched_for()
    {
        var z3 = new Z3Worker();
        // x^2 = 2 has only irrational solutions: never a confirmed refutation.
        var root2 = XSquaredNegative() with { Assertions = [new Assertion("x^2 = 2", Formula.Atom(Polynomial.Parse("x^2 - 2"), Relation.Eq))] };
        var v = ObligationChecker.Check(root2, z3, Budget);
        Assert.Equal(SmtStatus.Unknown, v.Status);
        Assert.Contains("irrational", v.Detail);
    }
}
