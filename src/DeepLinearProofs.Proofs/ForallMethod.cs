using DeepLinearProofs.Algebra;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>forall</c>: hypotheses => claim for all real values of the free variables, proved when
/// hypotheses ∧ side conditions ∧ ¬claim is unsat. Reductions, applied exactly before the solver:
/// <list type="bullet">
/// <item><c>rank-one</c>: with a one-neuron layer P = a b^T, and every (a, b) arises from some weights,
/// so a claim about P, E, L holds for all weights iff it holds for all (a, b) with fresh a, b.</item>
/// <item><c>normalize</c> (after rank-one): (a, b) -> (t a, b/t), t != 0, leaves P unchanged, so either b = 0
/// or the first non-zero entry of b is 1: d_0 + 1 obligations with those values substituted (linear
/// normalisations keep countermodels rational, which |b|^2 = 1 does not).</item>
/// </list>
/// </summary>
public static class ForallMethod
{
    public static CheckOutcome Check(Claim claim, NetworkModel model, SmtSession smt, ref int line)
    {
        var reductions = new List<string>();
        (PolyMatrix, PolyMatrix)? rankOne = null;
        if (claim.Reductions.Contains("rank-one"))
        {
            model.RequireOneNeuron();
            var arch = model.Architecture;
            rankOne = (PolyMatrix.Variables("a", arch.Width(arch.Depth), 1), PolyMatrix.Variables("b", arch.Width(0), 1));
            reductions.Add($"rank-one: widths {arch} have a one-neuron layer (k = {arch.OneNeuronLayer}), so P = a b^T with a in R^{arch.Width(arch.Depth)}, b in R^{arch.Width(0)}; every (a, b) is realised by some weights, so the claim about P, E, L is checked over (a, b)");
        }
        var ev = new ClaimEvaluator(model, new Dictionary<string, int>(), new ClaimScope { RankOne = rankOne });
        LemmaChecker.Define(claim, ev, ref line);
        var assertions = new List<Assertion>();
        foreach (var h in claim.Hypotheses)
        {
            line = h.Line;
            assertions.Add(new Assertion($"hypothesis {h.Name}: {h.Text}", ev.EvaluateFormula(h.Expression)));
        }
        line = claim.Line;
        var goal = ev.EvaluateFormula(claim.Expression);
        assertions.AddRange(ev.Scope.SideConditions.Select(s => new Assertion(s.Comment, s.Formula)));
        assertions.Add(new Assertion($"negated claim: {claim.Text}", Formula.Not(goal)));

        if (!assertions.SelectMany(a => a.Formula.Variables()).Any())
        {
            bool allHold = assertions.All(a => a.Formula.Holds(_ => Rational.Zero));
            return allHold
                ? new CheckOutcome(Status.Refuted, "exact", "the hypotheses hold and the claim fails (no free variables)")
                : new CheckOutcome(Status.Proved, "exact", "no free variables: the hypotheses fail or the claim holds, exactly");
        }

        if (ev.Scope.SideConditions.Count > 0)
        {
            // With square roots the obligations only range over points where every radicand is >= 0;
            // if no such point satisfies the hypotheses, "proved" would be vacuous.
            var domain = assertions.Take(assertions.Count - 1).ToList();
            var vacuity = smt.Unsat("forall-sqrt-domain", domain, reductions);
            if (vacuity.Status != SmtStatus.Refuted)
                return new CheckOutcome(Status.Unknown, smt.Basis(false), vacuity.Status == SmtStatus.Proved
                    ? "the hypotheses leave no point where every sqrt is defined: the claim would hold vacuously"
                    : $"could not show that the hypotheses and sqrt domains are consistent: {vacuity.Detail}");
        }
        var parts = new List<(string, SmtVerdict)>();
        if (claim.Reductions.Contains("normalize") && rankOne is { } ab)
        {
            var b = ab.Item2;
            var bVars = b.Entries().Select(p => p.Variables().Single()).ToList();
            RequireScaleInvariant(assertions, ab.Item1, b);
            var unit = reductions.Append("normalize: (a, b) -> (t a, b/t), t > 0, leaves P = a b^T unchanged; case b != 0 rescaled to |b|^2 = 1").ToList();
            var withUnit = assertions.Append(new Assertion("reduction normalize: |b|^2 = 1", Formula.Atom(b.FrobeniusNormSquared() - Polynomial.One, Relation.Eq))).ToList();
            var unitVerdict = smt.Unsat("forall-unit-b", withUnit, unit);
            parts.Add(("case |b| = 1", unitVerdict));
            var zero = bVars.ToDictionary(v => v, _ => Polynomial.Zero);
            var withZero = assertions.Select(a => a with { Formula = a.Formula.MapPolynomials(p => p.Substitute(zero)) }).ToList();
            parts.Add(("case b = 0", smt.Unsat("forall-b-zero", withZero, reductions.Append("normalize: case b = 0 (substituted)").ToList())));
        }
        else
        {
            parts.Add(("claim", smt.Unsat("forall", assertions, reductions)));
        }
        return Combine(parts, smt, usedExact: false);
    }

    /// <summary>Combines SMT verdicts of obligations that must all be unsat.</summary>
    private static CheckOutcome Combine(IReadOnlyList<(string What, SmtVerdict Verdict)> parts, SmtSession smt, bool usedExact)
    {
        var refuted = parts.FirstOrDefault(p => p.Verdict.Status == SmtStatus.Refuted);
        var basis = smt.Basis(usedExact);
        var times = string.Join(", ", parts.Select(p => $"{p.What}: {p.Verdict.Detail.Split(';')[0]} in {p.Verdict.Elapsed.TotalSeconds:F2}s"));
        if (refuted.Verdict is not null)
            return new CheckOutcome(Status.Refuted, basis, $"{refuted.What}: {refuted.Verdict.Detail}",
                new Witness(refuted.Verdict.Countermodel!.Select(kv => (kv.Key, kv.Value)).OrderBy(p => p.Key).ToList(), null));
        var unknown = parts.FirstOrDefault(p => p.Verdict.Status == SmtStatus.Unknown);
        if (unknown.Verdict is not null) return new CheckOutcome(Status.Unknown, basis, $"{unknown.What}: {unknown.Verdict.Detail}");
        return new CheckOutcome(Status.Proved, basis, times);
    }

    /// <summary>
    /// The normalize reduction is sound only if every atom is unchanged by (a, b) -> (t a, b/t): checked
    /// exactly by substituting a -> t a, b -> s b and requiring equal degrees in t and s in every monomial.
    /// </summary>
    private static void RequireScaleInvariant(IEnumerable<Assertion> assertions, PolyMatrix a, PolyMatrix b)
    {
        var t = Polynomial.Var("scale#t");
        var s = Polynomial.Var("scale#s");
        var map = new Dictionary<Variable, Polynomial>();
        foreach (var p in a.Entries()) map[p.Variables().Single()] = t * p;
        foreach (var p in b.Entries()) map[p.Variables().Single()] = s * p;
        var tv = Variable.Of("scale#t");
        var sv = Variable.Of("scale#s");
        foreach (var assertion in assertions)
        {
            bool invariant = true;
            assertion.Formula.MapPolynomials(poly =>
            {
                foreach (var m in poly.Substitute(map).Terms.Keys)
                    if (m.ExponentOf(tv) != m.ExponentOf(sv)) invariant = false;
                return poly;
            });
            if (!invariant)
                throw new ClaimException($"the normalize reduction needs every formula to be unchanged by (a, b) -> (t a, b/t), i.e. to depend on a, b only through P; '{assertion.Comment}' does not: drop \"normalize\"", 0);
        }
    }
}
