using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Kernel;

public static partial class ProofKernel
{
    /// <summary>
    /// The rank-one rule. Justification: with a one-neuron layer k, a = W_{N:k+1} and b^T = W_{k:1} range over all of
    /// R^{d_N} x R^{d_0} when k is hidden (a = 1 is fixed at k = N, b = 1 at k = 0), so a statement whose every polynomial equals
    /// g(a(W), b(W)) holds for all W iff the reduced one holds for all (a, b). Side conditions checked here: the layer exists;
    /// every atom, radicand and guard of the statement as written equals its reduced counterpart after a := a(W), b := b(W)
    /// (the kernel builds a(W), b(W) itself); for <c>normalize</c>, k is hidden and every reduced polynomial is unchanged by
    /// (a, b) -&gt; (t a, b/t), so b = 0 or |b| = 1 covers every P. Countermodels are lifted to weights and checked on the original.
    /// </summary>
    private static Verdict RankOne(ForallStatement s, RankOneReduction r, KernelSession k)
    {
        var d = r.Widths;
        int n = d.Count - 1;
        if (n < 2 || d.Any(w => w < 1)) return Verdict.Error("exact", "the rank-one rule needs widths d_0..d_N with N >= 2 and every d_j >= 1");
        int? layer = Enumerable.Range(1, n - 1).Cast<int?>().FirstOrDefault(j => d[j!.Value] == 1) ?? (d[0] == 1 ? 0 : d[n] == 1 ? n : null);
        if (layer is not int kk) return Verdict.Error("exact", $"the rank-one rule needs a one-neuron layer (some d_k = 1); widths {string.Join(",", d)} have none");
        if (r.Reduced.Reduction is not null) return Verdict.Error("exact", "the rank-one rule is applied once");

        var weights = Enumerable.Range(0, n + 1).Select(j => j == 0 ? null! : PolyMatrix.Variables($"W{j}", d[j], d[j - 1])).ToArray();
        var aW = Product(weights, n, kk + 1, d);
        var bW = Product(weights, kk, 1, d).Transpose();
        var a = PolyMatrix.Variables("a", d[n], 1);
        var b = PolyMatrix.Variables("b", d[0], 1);
        var factors = new Dictionary<Variable, Polynomial>();
        for (int i = 0; i < d[n]; i++) factors[Single(a[i, 0])] = aW[i, 0];
        for (int i = 0; i < d[0]; i++) factors[Single(b[i, 0])] = bW[i, 0];
        if (Mismatch(s, r.Reduced, factors) is { } why)
            return Verdict.Error("exact", $"the rank-one rule does not apply: {why}; a claim under rank-one must be a function of P (or of a, b at a hidden one-neuron layer) as the target defines the loss");
        k.UsedExact = true;

        var fixedFactor = new Dictionary<Variable, Polynomial>();
        if (kk == n) fixedFactor[Single(a[0, 0])] = Polynomial.One;
        if (kk == 0) fixedFactor[Single(b[0, 0])] = Polynomial.One;
        var effective = fixedFactor.Count == 0 ? r.Reduced : Substitute(r.Reduced, fixedFactor);

        Dictionary<Variable, Rational> Lift(Dictionary<Variable, Rational> model)
        {
            var av = Enumerable.Range(0, d[n]).Select(i => kk == n ? Rational.One : model.GetValueOrDefault(Single(a[i, 0]))).ToArray();
            var bv = Enumerable.Range(0, d[0]).Select(i => kk == 0 ? Rational.One : model.GetValueOrDefault(Single(b[i, 0]))).ToArray();
            var w = model.Where(p => !factors.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value);
            // W_1 = e_1 b^T, W_j = e_1 e_1^T for 1 < j < N, W_N = a e_1^T: then W_{k:1} = b^T and W_{N:k+1} = a.
            for (int j = 1; j <= n; j++)
                for (int row = 0; row < d[j]; row++)
                    for (int col = 0; col < d[j - 1]; col++)
                    {
                        Rational value = j == 1 && j == n ? av[row] * bv[col]
                            : j == 1 ? (row == 0 ? bv[col] : Rational.Zero)
                            : j == n ? (col == 0 ? av[row] : Rational.Zero)
                            : row == 0 && col == 0 ? Rational.One : Rational.Zero;
                        w[Single(weights[j][row, col])] = value;
                    }
            return w;
        }

        var cases = new List<(string, Labeled?, IReadOnlyDictionary<Variable, Polynomial>?)>();
        if (r.Normalize)
        {
            if (kk == 0 || kk == n) return Verdict.Error("exact", "the normalize rule needs a hidden one-neuron layer: at k = 0 or k = N one factor is fixed");
            if (NotScaleInvariant(effective, a, b) is { } label)
                return Verdict.Error("exact", $"the normalize rule does not apply: '{label}' changes under (a, b) -> (t a, b/t), so it is not a function of P alone");
            cases.Add(("case |b|^2 = 1", new Labeled("rule normalize: |b|^2 = 1 (b != 0 rescaled)", Formula.Atom(b.FrobeniusNormSquared() - Polynomial.One, Relation.Eq)), null));
            cases.Add(("case b = 0", null, Enumerable.Range(0, d[0]).ToDictionary(i => Single(b[i, 0]), _ => Polynomial.Zero)));
        }
        else cases.Add(("claim", null, null));
        return ForallRule(s, effective, Lift, cases, k);
    }

    private static Variable Single(Polynomial p) => p.Variables().Single();

    private static PolyMatrix Product(PolyMatrix[] w, int i, int j, IReadOnlyList<int> d)
    {
        if (i < j) return PolyMatrix.Identity(d[j - 1]);
        var m = w[i];
        for (int l = i - 1; l >= j; l--) m *= w[l];
        return m;
    }

    /// <summary>Why the statement is not the reduced one after the factor substitution, or null when every polynomial matches.</summary>
    private static string? Mismatch(ForallStatement original, ForallStatement reduced, IReadOnlyDictionary<Variable, Polynomial> factors)
    {
        if (original.Hypotheses.Count != reduced.Hypotheses.Count || original.Roots.Count != reduced.Roots.Count) return "the reduced statement has other hypotheses or square roots";
        var pairs = original.Hypotheses.Zip(reduced.Hypotheses, (x, y) => (x.Label, x.Formula, y.Formula)).Append((original.Claim.Label, original.Claim.Formula, reduced.Claim.Formula))
            .Concat(original.Roots.Zip(reduced.Roots, (x, y) => ($"sqrt({x.Radicand})", x.Guard, y.Guard)));
        foreach (var (label, x, y) in pairs)
            if (!SameFormula(x, y, factors)) return $"'{label}' is not the same function after a := W_{{N:k+1}}, b := W_{{k:1}}^T";
        foreach (var (x, y) in original.Roots.Zip(reduced.Roots))
            if (x.Root != y.Root || x.Radicand != y.Radicand.Substitute(factors)) return $"sqrt({x.Radicand}) is not the same function after the substitution";
        return null;
    }

    private static bool SameFormula(Formula x, Formula y, IReadOnlyDictionary<Variable, Polynomial> factors) => (x, y) switch
    {
        (AtomFormula p, AtomFormula q) => p.Relation == q.Relation && p.Polynomial == q.Polynomial.Substitute(factors),
        (AndFormula p, AndFormula q) => p.Parts.Count == q.Parts.Count && p.Parts.Zip(q.Parts).All(t => SameFormula(t.First, t.Second, factors)),
        (OrFormula p, OrFormula q) => p.Parts.Count == q.Parts.Count && p.Parts.Zip(q.Parts).All(t => SameFormula(t.First, t.Second, factors)),
        (NotFormula p, NotFormula q) => SameFormula(p.Operand, q.Operand, factors),
        (ImpliesFormula p, ImpliesFormula q) => SameFormula(p.Premise, q.Premise, factors) && SameFormula(p.Conclusion, q.Conclusion, factors),
        _ => false,
    };

    private static ForallStatement Substitute(ForallStatement s, IReadOnlyDictionary<Variable, Polynomial> map) => new(
        s.Hypotheses.Select(h => h with { Formula = h.Formula.MapPolynomials(p => p.Substitute(map)) }).ToList(),
        s.Claim with { Formula = s.Claim.Formula.MapPolynomials(p => p.Substitute(map)) },
        s.Roots.Select(r => new SquareRoot(r.Root, r.Radicand.Substitute(map), r.Guard.MapPolynomials(p => p.Substitute(map)))).ToList());

    /// <summary>The label of a polynomial that changes under a -&gt; t a, b -&gt; s b other than through t s, or null.</summary>
    private static string? NotScaleInvariant(ForallStatement s, PolyMatrix a, PolyMatrix b)
    {
        var t = Variable.Of("scale#t");
        var u = Variable.Of("scale#s");
        var map = new Dictionary<Variable, Polynomial>();
        foreach (var p in a.Entries()) map[Single(p)] = Polynomial.Var(t) * p;
        foreach (var p in b.Entries()) map[Single(p)] = Polynomial.Var(u) * p;
        bool Invariant(Polynomial p) => p.Substitute(map).Terms.Keys.All(m => m.ExponentOf(t) == m.ExponentOf(u));
        bool FormulaInvariant(Formula f)
        {
            bool ok = true;
            f.MapPolynomials(p => { ok &= Invariant(p); return p; });
            return ok;
        }
        foreach (var h in s.Hypotheses) if (!FormulaInvariant(h.Formula)) return h.Label;
        if (!FormulaInvariant(s.Claim.Formula)) return s.Claim.Label;
        foreach (var r in s.Roots) if (!Invariant(r.Radicand) || !FormulaInvariant(r.Guard)) return $"sqrt({r.Radicand})";
        return null;
    }
}
