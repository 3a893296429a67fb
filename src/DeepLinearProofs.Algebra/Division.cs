namespace DeepLinearProofs.Algebra;

/// <summary>
/// Multivariate division in graded-lex order (natural variable order). A zero remainder proves
/// ideal membership (p = sum q_i g_i); a non-zero remainder proves nothing, since the divisors
/// need not be a Groebner basis. Used for Darboux and ideal certificates of invariant sets (docs/theory.md, section 6).
/// </summary>
public static class Division
{
    /// <summary>Quotients and remainder of p by the divisors.</summary>
    public static (IReadOnlyList<Polynomial> Quotients, Polynomial Remainder) Divide(Polynomial p, IReadOnlyList<Polynomial> divisors)
    {
        var leads = divisors.Select(g => g.IsZero ? default : g.OrderedTerms()[0]).ToArray();
        var quotients = divisors.Select(_ => new PolynomialBuilder()).ToArray();
        var remainder = new PolynomialBuilder();
        var current = p;
        int guard = 0;
        while (!current.IsZero)
        {
            if (++guard > 200_000) throw new InvalidOperationException("division did not terminate within the step budget");
            var (m, c) = current.OrderedTerms()[0];
            bool divided = false;
            for (int i = 0; i < divisors.Count; i++)
            {
                if (divisors[i].IsZero) continue;
                var (lm, lc) = leads[i];
                var q = TryDivideMonomial(m, lm);
                if (q is null) continue;
                var factor = Polynomial.Term(c / lc, q);
                quotients[i].Add(factor);
                current -= factor * divisors[i];
                divided = true;
                break;
            }
            if (!divided)
            {
                remainder.AddTerm(m, c);
                current -= Polynomial.Term(c, m);
            }
        }
        return (quotients.Select(q => q.ToPolynomial()).ToList(), remainder.ToPolynomial());
    }

    /// <summary>p / g when g divides p exactly, else null.</summary>
    public static Polynomial? TryDivideExactly(Polynomial p, Polynomial g)
    {
        if (g.IsZero) return null;
        var (q, r) = Divide(p, [g]);
        return r.IsZero ? q[0] : null;
    }

    /// <summary>m / d when d divides m, else null.</summary>
    public static Monomial? TryDivideMonomial(Monomial m, Monomial d)
    {
        var factors = new List<(Variable, int)>();
        foreach (var (v, e) in d.Factors)
            if (m.ExponentOf(v) < e) return null;
        foreach (var (v, e) in m.Factors)
        {
            var rest = e - d.ExponentOf(v);
            if (rest > 0) factors.Add((v, rest));
        }
        return Monomial.Of(factors);
    }
}
