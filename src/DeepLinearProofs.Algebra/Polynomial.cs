namespace DeepLinearProofs.Algebra;

/// <summary>
/// Sparse multivariate polynomial with rational coefficients in canonical form: a map from
/// monomial to non-zero coefficient. Two polynomials are equal iff their maps are equal, so an
/// identity is decided by comparing normal forms (docs/theory.md, T1-T5 are decided this way).
/// </summary>
public sealed class Polynomial : IEquatable<Polynomial>
{
    private readonly Dictionary<Monomial, Rational> _terms;

    public static readonly Polynomial Zero = new(new Dictionary<Monomial, Rational>());
    public static readonly Polynomial One = Constant(Rational.One);

    internal Polynomial(Dictionary<Monomial, Rational> terms) => _terms = terms;

    public static Polynomial Constant(Rational c) =>
        c.IsZero ? Zero : new Polynomial(new Dictionary<Monomial, Rational> { [Monomial.One] = c });

    public static Polynomial Var(Variable v) => new(new Dictionary<Monomial, Rational> { [Monomial.Of(v)] = Rational.One });
    public static Polynomial Var(string name) => Var(Variable.Of(name));

    public static Polynomial Term(Rational c, Monomial m) =>
        c.IsZero ? Zero : new Polynomial(new Dictionary<Monomial, Rational> { [m] = c });

    public static implicit operator Polynomial(long c) => Constant(c);

    public int TermCount => _terms.Count;
    public bool IsZero => _terms.Count == 0;
    public bool IsConstant => _terms.Count == 0 || (_terms.Count == 1 && _terms.ContainsKey(Monomial.One));
    public Rational ConstantTerm => _terms.GetValueOrDefault(Monomial.One);
    public IReadOnlyDictionary<Monomial, Rational> Terms => _terms;

    public Rational CoefficientOf(Monomial m) => _terms.GetValueOrDefault(m);

    public int TotalDegree => _terms.Count == 0 ? -1 : _terms.Keys.Max(m => m.TotalDegree);

    public IReadOnlySet<Variable> Variables()
    {
        var set = new HashSet<Variable>();
        foreach (var m in _terms.Keys)
            foreach (var (v, _) in m.Factors) set.Add(v);
        return set;
    }

    /// <summary>Terms in print order: total degree descending, then natural variable order.</summary>
    public IReadOnlyList<(Monomial Monomial, Rational Coefficient)> OrderedTerms() =>
        _terms.Select(kv => (kv.Key, kv.Value)).OrderBy(t => t.Key, MonomialPrintOrder.Instance).ToList();

    public static Polynomial operator +(Polynomial x, Polynomial y)
    {
        if (x.IsZero) return y;
        if (y.IsZero) return x;
        var b = new PolynomialBuilder(x);
        b.Add(y);
        return b.ToPolynomial();
    }

    public static Polynomial operator -(Polynomial x, Polynomial y)
    {
        if (y.IsZero) return x;
        var b = new PolynomialBuilder(x);
        b.Add(y, Rational.MinusOne);
        return b.ToPolynomial();
    }

    public static Polynomial operator -(Polynomial x) => x.Scale(Rational.MinusOne);

    public static Polynomial operator *(Polynomial x, Polynomial y)
    {
        if (x.IsZero || y.IsZero) return Zero;
        var b = new PolynomialBuilder();
        b.AddProduct(x, y);
        return b.ToPolynomial();
    }

    public static Polynomial operator *(Rational c, Polynomial x) => x.Scale(c);

    public Polynomial Scale(Rational c)
    {
        if (c.IsZero || IsZero) return Zero;
        if (c.IsOne) return this;
        var d = new Dictionary<Monomial, Rational>(_terms.Count);
        foreach (var (m, a) in _terms) d[m] = a * c;
        return new Polynomial(d);
    }

    public Polynomial Pow(int exponent)
    {
        if (exponent < 0) throw new ArgumentOutOfRangeException(nameof(exponent), "polynomial powers need a non-negative exponent");
        Polynomial result = One, b = this;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1) result *= b;
            exponent >>= 1;
            if (exponent > 0) b *= b;
        }
        return result;
    }

    /// <summary>Partial derivative with respect to <paramref name="v"/>.</summary>
    public Polynomial Derivative(Variable v)
    {
        var d = new Dictionary<Monomial, Rational>();
        foreach (var (m, c) in _terms)
        {
            var (rest, e) = m.Differentiate(v);
            if (rest is null) continue;
            d[rest] = c * e; // distinct monomials stay distinct after lowering the same exponent
        }
        return new Polynomial(d);
    }

    /// <summary>All partial derivatives in one pass over the terms (variables absent from the result have derivative 0).</summary>
    public Dictionary<Variable, Polynomial> Gradient() => Gradient(Rational.One);

    /// <summary>All partial derivatives times <paramref name="scale"/> (e.g. -1 for a gradient flow).</summary>
    public Dictionary<Variable, Polynomial> Gradient(Rational scale)
    {
        var builders = new Dictionary<int, PolynomialBuilder>();
        foreach (var (m, c) in _terms)
        {
            foreach (var (v, e) in m.Factors)
            {
                if (!builders.TryGetValue(v.Id, out var b)) builders[v.Id] = b = new PolynomialBuilder();
                var (lowered, _) = m.Differentiate(v);
                b.AddTerm(lowered!, c * e * scale);
            }
        }
        return builders.ToDictionary(kv => Variable.FromId(kv.Key), kv => kv.Value.ToPolynomial());
    }

    /// <summary>Simultaneous substitution of polynomials for variables; unmapped variables stay.</summary>
    public Polynomial Substitute(IReadOnlyDictionary<Variable, Polynomial> map)
    {
        var powers = new Dictionary<(Variable, int), Polynomial>();
        Polynomial PowerOf(Variable v, int e)
        {
            if (!powers.TryGetValue((v, e), out var p)) powers[(v, e)] = p = map[v].Pow(e);
            return p;
        }
        var b = new PolynomialBuilder();
        foreach (var (m, c) in _terms)
        {
            var kept = new List<(Variable, int)>();
            Polynomial factor = Constant(c);
            foreach (var (v, e) in m.Factors)
            {
                if (map.ContainsKey(v)) factor *= PowerOf(v, e);
                else kept.Add((v, e));
            }
            b.AddProduct(factor, Term(Rational.One, Monomial.Of(kept)));
        }
        return b.ToPolynomial();
    }

    /// <summary>Replaces r^2 by <paramref name="square"/> everywhere (r^(2q+e) -> square^q r^e), the normal form modulo r^2 - square.</summary>
    public Polynomial ReduceSquare(Variable r, Polynomial square)
    {
        var b = new PolynomialBuilder();
        foreach (var (m, c) in _terms)
        {
            int e = m.ExponentOf(r);
            if (e < 2) { b.AddTerm(m, c); continue; }
            var rest = Monomial.Of(m.Factors.Where(f => f.Var != r).Append((r, e % 2)));
            b.AddProduct(Term(c, rest), square.Pow(e / 2));
        }
        return b.ToPolynomial();
    }

    /// <summary>Exact value at a rational point; every variable must be assigned.</summary>
    public Rational Evaluate(Func<Variable, Rational> point)
    {
        Rational sum = Rational.Zero;
        foreach (var (m, c) in _terms)
        {
            Rational t = c;
            foreach (var (v, e) in m.Factors) t *= point(v).Pow(e);
            sum += t;
        }
        return sum;
    }

    public Rational Evaluate(IReadOnlyDictionary<Variable, Rational> point) =>
        Evaluate(v => point.TryGetValue(v, out var r) ? r : throw new KeyNotFoundException($"no value for variable {v.Name}"));

    /// <summary>Floating-point value at a point (evidence only, never a proof).</summary>
    public double EvaluateDouble(Func<Variable, double> point)
    {
        double sum = 0;
        foreach (var (m, c) in _terms)
        {
            double t = c.ToDouble();
            foreach (var (v, e) in m.Factors) t *= Math.Pow(point(v), e);
            sum += t;
        }
        return sum;
    }

    public bool Equals(Polynomial? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (_terms.Count != other._terms.Count) return false;
        foreach (var (m, c) in _terms)
            if (!other._terms.TryGetValue(m, out var d) || c != d) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Polynomial);

    public override int GetHashCode()
    {
        int h = 0;
        foreach (var (m, c) in _terms) h ^= HashCode.Combine(m, c); // order-independent
        return h;
    }

    public static bool operator ==(Polynomial? x, Polynomial? y) => x is null ? y is null : x.Equals(y);
    public static bool operator !=(Polynomial? x, Polynomial? y) => !(x == y);

    public override string ToString() => PolynomialText.Format(this);

    /// <summary>Parses an infix polynomial such as <c>2*x^2 - W2[1,3]/3</c>.</summary>
    public static Polynomial Parse(string text) => Syntax.PolynomialReader.Read(Syntax.ExprParser.Parse(text));
}

/// <summary>Total degree descending, then lexicographic in natural variable order.</summary>
public sealed class MonomialPrintOrder : IComparer<Monomial>
{
    public static readonly MonomialPrintOrder Instance = new();

    public int Compare(Monomial? x, Monomial? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c = y.TotalDegree.CompareTo(x.TotalDegree);
        if (c != 0) return c;
        var fx = x.SortedFactors();
        var fy = y.SortedFactors();
        for (int i = 0; i < Math.Min(fx.Count, fy.Count); i++)
        {
            c = fx[i].Var.CompareTo(fy[i].Var);
            if (c != 0) return c;
            c = fy[i].Exponent.CompareTo(fx[i].Exponent);
            if (c != 0) return c;
        }
        return fy.Count.CompareTo(fx.Count);
    }
}
