using System.Diagnostics;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>Checks a lemma on each of its networks, dispatching on the claim's method.</summary>
public static class LemmaChecker
{
    public static IReadOnlyList<LemmaResult> Check(Lemma lemma, CancellationToken cancel = default)
    {
        var results = new List<LemmaResult>();
        foreach (var network in lemma.Networks)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var outcome = CheckOn(lemma, network);
            clock.Stop();
            results.Add(new LemmaResult(lemma.Id, lemma.Path, lemma.Theory, network.Describe(), lemma.Claim.Method,
                network.Expect ?? lemma.Claim.Expect, outcome, clock.Elapsed));
        }
        return results;
    }

    private static CheckOutcome CheckOn(Lemma lemma, NetworkSpec network)
    {
        var claim = lemma.Claim;
        try
        {
            var model = new NetworkModel(network.Architecture, network.Target);
            var root = new ClaimEvaluator(model, new Dictionary<string, int>());
            return claim.Method switch
            {
                "identity" => CheckIdentity(claim, root),
                _ => throw new LemmaFileException(lemma.Path, claim.Line, $"method '{claim.Method}' is not supported"),
            };
        }
        catch (ClaimException e)
        {
            throw new LemmaFileException(lemma.Path, claim.Line, $"in expr at column {e.Position + 1} on widths {network.Architecture}: {e.Message}");
        }
        catch (NetworkInputException e)
        {
            throw new LemmaFileException(lemma.Path, network.Line, e.Message);
        }
    }

    private static CheckOutcome CheckIdentity(Claim claim, ClaimEvaluator root)
    {
        var equation = (Algebra.Syntax.BinaryExpr)claim.Expression;
        if (claim.Each is null) return Compare(root, equation, "");
        int from = root.Index(claim.Each.From), to = root.Index(claim.Each.To);
        if (to < from) return new CheckOutcome(Status.Proved, "exact", $"vacuous: {claim.Each.Text} is empty here");
        for (int i = from; i <= to; i++)
        {
            var outcome = Compare(root.With(claim.Each.Variable, i), equation, $" for {claim.Each.Variable}={i}");
            if (outcome.Status != Status.Proved) return outcome;
        }
        return new CheckOutcome(Status.Proved, "exact", $"holds for {claim.Each.Variable} = {from}..{to}, every entry equal in normal form");
    }

    private static CheckOutcome Compare(ClaimEvaluator evaluator, Algebra.Syntax.BinaryExpr equation, string where)
    {
        var lhs = evaluator.Evaluate(equation.Left);
        var rhs = evaluator.Evaluate(equation.Right);
        try
        {
            return IdentityChecker.Check(lhs, rhs, where);
        }
        catch (Algebra.ShapeMismatchException e)
        {
            throw new ClaimException($"shape mismatch: {e.Message}", equation.Position);
        }
    }
}
