namespace DeepLinearProofs.Algebra;

/// <summary>
/// Mutable accumulator for sums of polynomial terms and products; the one place where the
/// canonical map is built in place. <see cref="ToPolynomial"/> drops zero coefficients.
/// </summary>
public sealed class PolynomialBuilder
{
    private Dictionary<Monomial, Rational> _terms;

    public PolynomialBuilder() => _terms = new Dictionary<Monomial, Rational>();

    public PolynomialBuilder(Polynomial start) => _terms = new Dictionary<Monomial, Rational>(start.Terms);

    public int TermCount => _terms.Count;

    public void AddTerm(Monomial m, Rational c)
    {
        if (c.IsZero) return;
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_terms, m, out _);
        slot += c;
    }

    public void Add(Polynomial p) => Add(p, Rational.One);

    public void Add(Polynomial p, Rational scale)
    {
        if (scale.IsZero) return;
        foreach (var (m, c) in p.Terms) AddTerm(m, scale.IsOne ? c : c * scale);
    }

    /// <summary>Adds scale * x * y without building the product separately.</summary>
    public void AddProduct(Polynomial x, Polynomial y, Rational? scale = null)
    {
        var s = scale ?? Rational.One;
        if (s.IsZero) return;
        foreach (var (mx, cx) in x.Terms)
        {
            var cxs = s.IsOne ? cx : cx * s;
            foreach (var (my, cy) in y.Terms) AddTerm(mx * my, cxs * cy);
        }
    }

    public Polynomial ToPolynomial()
    {
        var result = _terms;
        _terms = new Dictionary<Monomial, Rational>();
        bool hasZero = false;
        foreach (var c in result.Values)
            if (c.IsZero) { hasZero = true; break; }
        if (hasZero)
        {
            var pruned = new Dictionary<Monomial, Rational>(result.Count);
            foreach (var (m, c) in result)
                if (!c.IsZero) pruned[m] = c;
            result = pruned;
        }
        return new Polynomial(result);
    }
}
