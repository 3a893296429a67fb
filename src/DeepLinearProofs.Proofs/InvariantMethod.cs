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
        foreach (var e in claim.Equations)
            foreach (var (text, m) in Values(e, ev))
                for (int i = 0; i < m.Rows; i++)
                    for (int j = 0; j < m.Cols; j++)
                        if (!m[i, j].IsZero) equations.Add((m.IsScalar ? text : $"({text})[{i + 1},{j + 1}]", m[i, j]));
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
            foreach (var k in q.Boundary)
                foreach (var (text, m) in Values(k, ev))
                    foreach (var p in m.Entries())
                        if (!p.IsZero) boundary.Add((text, p));
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

    /// <summary>
    /// The value of a set's entry, or one value per index of its loop (<c>{ expr = "C[j]", each = "j = 1..N-1" }</c>), each
    /// labelled with its index; an empty range gives no entries (the set then has no such equations).
    /// </summary>
    private static IEnumerable<(string Text, PolyMatrix Value)> Values(NamedExpr e, ClaimEvaluator ev)
    {
        if (e.Each is not { } each) return [(e.Text, ClaimException.At(e.Line, () => ev.Evaluate(e.Expression)))];
        var (from, to) = ClaimException.At(e.Line, () => ev.Range(each.From, each.To, 0));
        return Enumerable.Range(from, Math.Max(0, to - from + 1))
            .Select(i => ($"{e.Text} at {each.Variable} = {i}", ClaimException.At(e.Line, () => ev.With(each.Variable, i).Evaluate(e.Expression))))
            .ToList();
    }

    private static Polynomial Scalar(NamedExpr e, ClaimEvaluator ev, string message)
    {
        var m = ClaimException.At(e.Line, () => ev.Evaluate(e.Expression));
        return m.IsScalar ? m[0, 0] : throw new ClaimException(message, e.Expression.Position) { Line = e.Line };
    }
}

/// <summary>
/// Untrusted search for ideal-membership certificates p = sum q_i g_i: linear generators are eliminated (coordinates c x
/// absorb every term with their variable), the rest is divided by the other generators; a failed search proves nothing
/// either way, and the kernel multiplies out whatever it finds.
/// </summary>
public static class IdealSearch
{
    public static IReadOnlyList<Polynomial>? Cofactors(Polynomial p, IReadOnlyList<Polynomial> generators) =>
        LinearCofactors(p, generators) ?? CoordinateCofactors(p, generators);

    private static IReadOnlyList<Polynomial>? CoordinateCofactors(Polynomial p, IReadOnlyList<Polynomial> generators)
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

    /// <summary>
    /// The first try when the set has linear equations, coordinates or not (a direction w^T W_j = 0): the linear
    /// generators are brought to reduced echelon form x_i - phi_i (phi_i free of pivots), p and the other generators are
    /// restricted to that subspace and divided there, and what is left vanishes on the subspace, so it is sum_i q_i (x_i - phi_i)
    /// with q_i = (r - r|x_i=phi_i) / (x_i - phi_i), pivot by pivot; the cofactors are mapped back to the generators as written.
    /// With coordinates only it is the coordinate search; it runs first because dividing by linear generators that are not
    /// coordinates (a non-Groebner set) can fail or take minutes where elimination is immediate (E3 at depth 5).
    /// </summary>
    private static IReadOnlyList<Polynomial>? LinearCofactors(Polynomial p, IReadOnlyList<Polynomial> generators)
    {
        var linear = Enumerable.Range(0, generators.Count).Where(i => generators[i].TotalDegree == 1).ToList();
        if (linear.Count == 0) return null;
        // Rows: the linear generator's coefficients (Constant stands for the constant term) and the combination of generators it is.
        var rows = linear.Select(i => (Coefficients: generators[i].Terms.ToDictionary(t => t.Key.IsOne ? Constant : t.Key.Factors.Single().Var, t => t.Value),
            Combination: new Dictionary<int, Rational> { [i] = Rational.One })).ToList();
        var pivotOf = new Variable?[rows.Count];
        while (true)
        {
            int r = Enumerable.Range(0, rows.Count).FirstOrDefault(i => pivotOf[i] is null && rows[i].Coefficients.Keys.Any(v => v != Constant), -1);
            if (r < 0) break;
            var (coefficients, combination) = rows[r];
            var x = coefficients.Keys.Where(v => v != Constant).Order().First();
            pivotOf[r] = x;
            var c = coefficients[x];
            foreach (var key in coefficients.Keys.ToList()) coefficients[key] /= c;
            foreach (var key in combination.Keys.ToList()) combination[key] /= c;
            for (int o = 0; o < rows.Count; o++)
            {
                if (o == r || !rows[o].Coefficients.TryGetValue(x, out var f)) continue;
                foreach (var (v, a) in coefficients) Accumulate(rows[o].Coefficients, v, -f * a);
                foreach (var (g, a) in combination) Accumulate(rows[o].Combination, g, -f * a);
            }
        }
        // A row reduced to a non-zero constant (0 = c) makes the set empty: nothing to restrict to.
        if (rows.Where((_, r) => pivotOf[r] is null).Any(row => row.Coefficients.Count > 0)) return null;
        var pivots = new List<(Variable Pivot, Polynomial Phi, Dictionary<int, Rational> Combination)>();
        for (int r = 0; r < rows.Count; r++)
        {
            if (pivotOf[r] is not { } x) continue;
            var phi = new PolynomialBuilder();
            foreach (var (v, a) in rows[r].Coefficients)
                if (v != x) phi.AddTerm(v == Constant ? Monomial.One : Monomial.Of(v), -a);
            pivots.Add((x, phi.ToPolynomial(), rows[r].Combination));
        }
        var sigma = pivots.ToDictionary(t => t.Pivot, t => t.Phi);
        var others = Enumerable.Range(0, generators.Count).Where(i => generators[i].TotalDegree != 1).ToList();
        var restricted = others.Select(i => generators[i].Substitute(sigma)).ToList();
        var live = Enumerable.Range(0, others.Count).Where(j => !restricted[j].IsZero).ToList();
        var (quotients, remainder) = Division.Divide(p.Substitute(sigma), live.Select(j => restricted[j]).ToList());
        if (!remainder.IsZero) return null;
        var cofactors = generators.Select(_ => new PolynomialBuilder()).ToArray();
        var residual = new PolynomialBuilder(p);
        for (int t = 0; t < live.Count; t++)
        {
            cofactors[others[live[t]]].Add(quotients[t]);
            residual.AddProduct(quotients[t], generators[others[live[t]]], Rational.MinusOne);
        }
        var rest = residual.ToPolynomial();
        foreach (var (x, phi, combination) in pivots)
        {
            var q = Quotient(rest, x, phi);
            foreach (var (g, a) in combination) cofactors[g].Add(q, a);
            rest = rest.Substitute(new Dictionary<Variable, Polynomial> { [x] = phi });
        }
        return rest.IsZero ? cofactors.Select(c => c.ToPolynomial()).ToList() : null;
    }

    /// <summary>Stands for the constant term in a row of coefficients (never a state variable: the name is not an identifier).</summary>
    private static readonly Variable Constant = Variable.Of("#constant");

    /// <summary>(r - r|x=phi) / (x - phi), term by term: x^e - phi^e = (x - phi) sum_t x^(e-1-t) phi^t.</summary>
    private static Polynomial Quotient(Polynomial r, Variable x, Polynomial phi)
    {
        var q = new PolynomialBuilder();
        foreach (var (m, c) in r.Terms)
        {
            int e = m.ExponentOf(x);
            if (e == 0) continue;
            var rest = Polynomial.Term(c, Monomial.Of(m.Factors.Where(f => f.Var != x)));
            for (int t = 0; t < e; t++) q.AddProduct(rest * Polynomial.Var(x).Pow(e - 1 - t), phi.Pow(t));
        }
        return q.ToPolynomial();
    }

    private static void Accumulate<TKey>(Dictionary<TKey, Rational> into, TKey key, Rational value) where TKey : notnull
    {
        var sum = into.GetValueOrDefault(key) + value;
        if (sum.IsZero) into.Remove(key); else into[key] = sum;
    }
}
