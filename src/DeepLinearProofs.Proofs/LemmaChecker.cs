using System.Diagnostics;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>Checks a lemma on each of its networks, dispatching on the claim's method.</summary>
public static class LemmaChecker
{
    public static IReadOnlyList<LemmaResult> Check(Lemma lemma, CancellationToken cancel = default) => Check(lemma, CheckOptions.Default(), cancel);

    public static IReadOnlyList<LemmaResult> Check(Lemma lemma, CheckOptions options, CancellationToken cancel = default)
    {
        var results = new List<LemmaResult>();
        foreach (var network in lemma.Networks)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var outcome = CheckOn(lemma, network, options, cancel);
            clock.Stop();
            results.Add(new LemmaResult(lemma.Id, lemma.Path, lemma.Theory, network.Describe(), lemma.Claim.Method,
                network.Expect ?? lemma.Claim.Expect, outcome, clock.Elapsed));
        }
        return results;
    }

    private static CheckOutcome CheckOn(Lemma lemma, NetworkSpec network, CheckOptions options, CancellationToken cancel)
    {
        var claim = network.Point.Count > 0 ? lemma.Claim with { Point = network.Point } : lemma.Claim;
        int line = claim.Line;
        if (claim.Method == "membership" && claim.Point.Count == 0)
            throw new LemmaFileException(lemma.Path, network.Line, "method 'membership' needs exact weights: a [claim.point] table or a [network.point] table after this network");
        try
        {
            var model = new NetworkModel(network.Architecture, network.Target);
            var smt = new SmtSession(options, lemma.Id, network.Describe(), new SolverBudget(claim.Rlimit, claim.Timeout), cancel);
            var outcome = claim.Method switch
            {
                "identity" => CheckIdentity(claim, new ClaimEvaluator(model, new Dictionary<string, int>()), ref line),
                "forall" => ForallMethod.Check(claim, model, smt, ref line),
                "membership" => MembershipMethod.Check(claim, model, smt, ref line),
                "invariant" or "disjoint" => InvariantMethod.Check(claim, model, smt, ref line),
                "converges" => ConvergesMethod.Check(claim, network, cancel),
                _ => throw new LemmaFileException(lemma.Path, claim.Line, $"method '{claim.Method}' is not supported"),
            };
            return outcome with { Certificates = smt.Certificates };
        }
        catch (ClaimException e)
        {
            throw new LemmaFileException(lemma.Path, line, $"at column {e.Position + 1} on widths {network.Architecture}: {e.Message}");
        }
        catch (NetworkInputException e)
        {
            throw new LemmaFileException(lemma.Path, network.Line, e.Message);
        }
    }

    private static CheckOutcome CheckIdentity(Claim claim, ClaimEvaluator root, ref int line)
    {
        if (claim.Each is null) return CompareAll(Defined(claim, root, ref line), claim.Expression, "");
        int from = root.Index(claim.Each.From), to = root.Index(claim.Each.To);
        if (to < from) return new CheckOutcome(Status.Proved, "exact", $"vacuous: {claim.Each.Text} is empty here");
        for (int i = from; i <= to; i++)
        {
            var evaluator = Defined(claim, root.With(claim.Each.Variable, i), ref line);
            var outcome = CompareAll(evaluator, claim.Expression, $" for {claim.Each.Variable}={i}");
            if (outcome.Status != Status.Proved) return outcome;
        }
        return new CheckOutcome(Status.Proved, "exact", $"holds for {claim.Each.Variable} = {from}..{to}, every entry equal in normal form");
    }

    /// <summary>Checks every equation of a conjunction; the first that is not proved decides.</summary>
    private static CheckOutcome CompareAll(ClaimEvaluator evaluator, Expr claim, string where)
    {
        if (claim is BinaryExpr { Operator: "and" } both)
        {
            var left = CompareAll(evaluator, both.Left, where);
            if (left.Status != Status.Proved) return left;
            var right = CompareAll(evaluator, both.Right, where);
            return right.Status != Status.Proved ? right : left with { Detail = $"{left.Detail}; {right.Detail}" };
        }
        return Compare(evaluator, (BinaryExpr)claim, where);
    }

    private static CheckOutcome Compare(ClaimEvaluator evaluator, BinaryExpr equation, string where)
    {
        var lhs = evaluator.Evaluate(equation.Left);
        var rhs = evaluator.Evaluate(equation.Right);
        try
        {
            var aux = evaluator.Scope.AuxiliaryRadicands;
            if (aux.Count > 0)
            {
                // Normal form modulo r^2 = R for every auxiliary r = sqrt(R): p0 + p1 r + ... with no r^2.
                PolyMatrix Reduce(PolyMatrix m) => m.Map(p => aux.Aggregate(p, (acc, kv) => acc.ReduceSquare(kv.Key, kv.Value)));
                var outcome = IdentityChecker.Check(Reduce(lhs), Reduce(rhs), where);
                return outcome.Status == Status.Proved
                    ? outcome with { Detail = outcome.Detail + " (modulo sqrt relations r^2 = R)" }
                    : new CheckOutcome(Status.Unknown, "exact", $"not equal modulo the sqrt relations, which does not refute an identity with square roots: {outcome.Detail}");
            }
            return IdentityChecker.Check(lhs, rhs, where);
        }
        catch (ShapeMismatchException e)
        {
            throw new ClaimException($"shape mismatch: {e.Message}", equation.Position);
        }
    }

    private static ClaimEvaluator Defined(Claim claim, ClaimEvaluator ev, ref int line)
    {
        Define(claim, ev, ref line);
        line = claim.Line;
        return ev;
    }

    /// <summary>Evaluates the [claim.let] definitions in order into the evaluator's scope; line tracks the one being read.</summary>
    internal static void Define(Claim claim, ClaimEvaluator ev, ref int line)
    {
        foreach (var d in claim.Definitions)
        {
            line = d.Line;
            ev.Scope.Definitions[d.Name] = ev.Evaluate(d.Expression);
        }
    }
}
