using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>invariant</c> and <c>disjoint</c>: translates the set S = {equations = 0} ∩ {h &gt;= 0}, the flow, the excluded formula
/// and the exact start into a kernel statement, with the cofactors found by <see cref="IdealSearch"/> (untrusted: the
/// kernel multiplies them out).
/// </summary>
public static class InvariantMethod
{
    public static InvariantStatement Statement(InvariantClaim claim, NetworkModel model, ClaimEvaluator ev)
    {
        var equations = new List<(string Label, Polynomial G)>();
        foreach (var (e, at, label) in Expand(claim.Equations, ev))
        {
            var m = ClaimException.At(e.Line, () => at.Evaluate(e.Expression));
            for (int i = 0; i < m.Rows; i++)
                for (int j = 0; j < m.Cols; j++)
                    if (!m[i, j].IsZero) equations.Add((m.IsScalar ? label : $"({label})[{i + 1},{j + 1}]", m[i, j]));
        }
        var gens = equations.Select(e => e.G).ToList();
        var generators = equations.Select(e => new Generator(e.Label, e.G, claim.DisjointOnly ? null : IdealSearch.Cofactors(model.Lie(e.G), gens))).ToList();

        var inequalities = new List<Inequality>();
        foreach (var q in claim.Inequalities)
        {
            var h = Scalar(q.Expression, ev, $"inequality '{q.Expression.Text}' must be a scalar (it means {q.Expression.Text} >= 0)");
            if (q.Lambda is { } lambda)
            {
                var l = Scalar(lambda, ev, "lambda must be a scalar");
                inequalities.Add(new Inequality(q.Expression.Text, h, l, IdealSearch.Cofactors(model.Lie(h) + l * h, gens), [], null));
                continue;
            }
            var boundary = new List<(string Label, Polynomial G)>();
            foreach (var (k, at, label) in Expand(q.Boundary, ev))
                foreach (var p in ClaimException.At(k.Line, () => at.Evaluate(k.Expression)).Entries())
                    if (!p.IsZero) boundary.Add((label, p));
            var union = gens.Concat(boundary.Select(b => b.G)).ToList();
            inequalities.Add(new Inequality(q.Expression.Text, h, null, null,
                boundary.Select(b => new Generator(b.Label, b.G, IdealSearch.Cofactors(model.Lie(b.G), union))).ToList(), IdealSearch.Cofactors(h, union)));
        }
        Labeled? excludes = claim.Excludes is { } x ? new Labeled(x.Text, ClaimException.At(x.Line, () => ev.EvaluateFormula(x.Expression))) : null;
        if (ev.Scope.Roots.Count > 0)
            throw new ClaimException($"sqrt({ev.Scope.Roots[0].Radicand}) in an invariant set: a square root's time derivative is not polynomial and its domain is not part of S; write the set with polynomials (square both sides)", 0) { Line = claim.Line };
        var field = model.WeightVariables.Order().Select(v => new FieldComponent(v, model.FlowOf(v))).ToList();
        var start = claim.Point.Count > 0 ? MembershipMethod.PointValues(claim, model) : [];
        return new InvariantStatement(field, generators, inequalities, excludes, start, !claim.DisjointOnly);
    }

    /// <summary>Each list entry with the evaluator it is read in: one per value of its loop (<c>C[j] for j = 1..N-1</c>), labelled C[1], C[2], ...</summary>
    private static IEnumerable<(NamedExpr Entry, ClaimEvaluator At, string Label)> Expand(IEnumerable<NamedExpr> entries, ClaimEvaluator ev)
    {
        foreach (var e in entries)
        {
            if (e.Range is not { } range) { yield return (e, ev, e.Text); continue; }
            var (from, to) = ClaimException.At(e.Line, () => ev.Range(range.From, range.To, 0));
            for (int i = from; i <= to; i++)
                yield return (e, ev.With(range.Variable, i), $"{e.Text} ({range.Variable} = {i})");
        }
    }

    private static Polynomial Scalar(NamedExpr e, ClaimEvaluator ev, string message)
    {
        var m = ClaimException.At(e.Line, () => ev.Evaluate(e.Expression));
        return m.IsScalar ? m[0, 0] : throw new ClaimException(message, e.Expression.Position) { Line = e.Line };
    }
}

/// <summary>
/// Untrusted search for ideal-membership certificates p = sum q_i g_i: coordinate generators (c x) absorb every term with
/// their variable, the rest is divided by the other generators; a failed search proves nothing either way.
/// </summary>
public static class IdealSearch
{
    public static IReadOnlyList<Polynomial>? Cofactors(Polynomial p, IReadOnlyList<Polynomial> generators)
    {
        var cofactors = generators.Select(_ => new PolynomialBuilder()).ToArray();
        if (p.IsZero) return cofactors.Select(c => c.ToPolynomial()).ToList();
        var coordinates = new Dictionary<Variable, (int Index, Rational Coefficient)>();
        for (int i = 0; i < generators.Count; i++)
            if (generators[i].TermCount == 1 && generators[i].Terms.Single() is { Key: { VariableCount: 1, TotalDegree: 1 } m, Value: var c } && !coordinates.ContainsKey(m.Factors.Single().Var))
                coordinates[m.Factors.Single().Var] = (i, c);
        var zero = coordinates.Keys.ToDictionary(v => v, _ => Polynomial.Zero);
        var others = Enumerable.Range(0, generators.Count).Where(i => !coordinates.Values.Any(c => c.Index == i)).ToList();
        var reducedOthers = others.Select(i => generators[i].Substitute(zero)).ToList();
        var live = Enumerable.Range(0, others.Count).Where(j => !reducedOthers[j].IsZero).ToList();
        var (quotients, remainder) = Division.Divide(p.Substitute(zero), live.Select(j => reducedOthers[j]).ToList());
        if (!remainder.IsZero) return null;
        var residual = new PolynomialBuilder(p);
        for (int t = 0; t < live.Count; t++)
        {
            cofactors[others[live[t]]].Add(quotients[t]);
            residual.AddProduct(quotients[t], generators[others[live[t]]], Rational.MinusOne);
        }
        foreach (var (m, c) in residual.ToPolynomial().Terms)
        {
            var x = m.SortedFactors().Select(f => f.Var).FirstOrDefault(coordinates.ContainsKey);
            if (x is null) return null;
            var (index, coefficient) = coordinates[x];
            cofactors[index].AddTerm(Monomial.Of(m.Factors.Select(f => f.Var == x ? (f.Var, f.Exponent - 1) : f).Where(f => f.Item2 > 0)), c / coefficient);
        }
        return cofactors.Select(c => c.ToPolynomial()).ToList();
    }
}
