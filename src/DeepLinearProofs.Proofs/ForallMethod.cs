using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>forall</c>: translates hypotheses =&gt; claim into a kernel statement. With <c>rank-one</c> (and <c>normalize</c>) the
/// claim is also restated over P = a b^T; the kernel's rank-one rule checks that restatement polynomial by polynomial.
/// </summary>
public static class ForallMethod
{
    public static ForallStatement Statement(ForallClaim claim, NetworkModel model, ClaimEvaluator ev)
    {
        var original = Translate(claim, ev);
        if (!claim.Reductions.Contains("rank-one")) return original;
        ClaimException.At(claim.Line, () => model.RequireOneNeuron());
        var arch = model.Architecture;
        var reducedScope = new ClaimScope(claim.Definitions) { RankOne = (PolyMatrix.Variables("a", arch.Width(arch.Depth), 1), PolyMatrix.Variables("b", arch.Width(0), 1)) };
        var reduced = Translate(claim, ev.In(reducedScope));
        return original with { Reduction = new RankOneReduction(arch.Widths, reduced, claim.Reductions.Contains("normalize")) };
    }

    /// <summary>Hypothesis i is evaluated where hypotheses 1..i-1 hold; the claim where all of them hold.</summary>
    private static ForallStatement Translate(ForallClaim claim, ClaimEvaluator ev)
    {
        var hypotheses = new List<Labeled>();
        var context = ev;
        foreach (var h in claim.Hypotheses)
        {
            var f = ClaimException.At(h.Line, () => context.EvaluateFormula(h.Expression));
            hypotheses.Add(new Labeled($"hypothesis {h.Name}: {h.Text}", f));
            context = context.Guarded(f);
        }
        var goal = ClaimException.At(claim.Line, () => context.EvaluateFormula(claim.Expression));
        return new ForallStatement(hypotheses, new Labeled(claim.Text, goal), ev.Scope.Roots);
    }
}
