namespace DeepLinearProofs.Algebra;

/// <summary>
/// Immutable matrix of polynomials with the operations the flow needs: product, transpose,
/// trace, Frobenius norm squared, 2x2 minors, entrywise derivative and substitution.
/// </summary>
public sealed class PolyMatrix : IEquatable<PolyMatrix>
{
    private readonly Polynomial[,] _entries;

    public int Rows { get; }
    public int Cols { get; }

    private PolyMatrix(Polynomial[,] entries)
    {
        _entries = entries;
        Rows = entries.GetLength(0);
        Cols = entries.GetLength(1);
    }

    public static PolyMatrix Create(int rows, int cols, Func<int, int, Polynomial> entry)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), "matrix dimensions must be non-negative");
        var e = new Polynomial[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) e[i, j] = entry(i, j);
        return new PolyMatrix(e);
    }

    public static PolyMatrix Zero(int rows, int cols) => Create(rows, cols, (_, _) => Polynomial.Zero);
    public static PolyMatrix Identity(int n) => Create(n, n, (i, j) => i == j ? Polynomial.One : Polynomial.Zero);
    public static PolyMatrix Scalar(Polynomial p) => Create(1, 1, (_, _) => p);

    /// <summary>Matrix of fresh variables <c>stem[i,j]</c> with 1-based indices.</summary>
    public static PolyMatrix Variables(string stem, int rows, int cols) =>
        Create(rows, cols, (i, j) => Polynomial.Var(Variable.Indexed(stem, i + 1, j + 1)));

    public static PolyMatrix FromRationals(Rational[,] values) =>
        Create(values.GetLength(0), values.GetLength(1), (i, j) => Polynomial.Constant(values[i, j]));

    /// <summary>Entry at 0-based (row, col).</summary>
    public Polynomial this[int row, int col] => _entries[row, col];

    public bool IsScalar => Rows == 1 && Cols == 1;
    public bool IsZero => Entries().All(p => p.IsZero);

    public IEnumerable<Polynomial> Entries()
    {
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) yield return _entries[i, j];
    }

    public PolyMatrix Map(Func<Polynomial, Polynomial> f) => Create(Rows, Cols, (i, j) => f(_entries[i, j]));

    public PolyMatrix Transpose() => Create(Cols, Rows, (i, j) => _entries[j, i]);

    public static PolyMatrix operator +(PolyMatrix x, PolyMatrix y)
    {
        RequireSameShape(x, y, "+");
        return Create(x.Rows, x.Cols, (i, j) => x[i, j] + y[i, j]);
    }

    public static PolyMatrix operator -(PolyMatrix x, PolyMatrix y)
    {
        RequireSameShape(x, y, "-");
        return Create(x.Rows, x.Cols, (i, j) => x[i, j] - y[i, j]);
    }

    public static PolyMatrix operator -(PolyMatrix x) => x.Map(p => -p);

    public static PolyMatrix operator *(PolyMatrix x, PolyMatrix y)
    {
        if (x.Cols != y.Rows) throw new ShapeMismatchException($"cannot multiply {x.Rows}x{x.Cols} by {y.Rows}x{y.Cols}");
        return Create(x.Rows, y.Cols, (i, j) =>
        {
            var b = new PolynomialBuilder();
            for (int k = 0; k < x.Cols; k++) b.AddProduct(x[i, k], y[k, j]);
            return b.ToPolynomial();
        });
    }

    public PolyMatrix Scale(Polynomial c) => Map(p => p * c);

    public Polynomial Trace()
    {
        if (Rows != Cols) throw new ShapeMismatchException($"trace of a non-square {Rows}x{Cols} matrix");
        var b = new PolynomialBuilder();
        for (int i = 0; i < Rows; i++) b.Add(_entries[i, i]);
        return b.ToPolynomial();
    }

    /// <summary>Sum of squares of the entries, ||X||_F^2.</summary>
    public Polynomial FrobeniusNormSquared()
    {
        var b = new PolynomialBuilder();
        foreach (var p in Entries()) b.AddProduct(p, p);
        return b.ToPolynomial();
    }

    /// <summary>Every 2x2 minor (rows i1&lt;i2, cols j1&lt;j2), as a column vector; empty (0x1) when a dimension is below 2.</summary>
    public PolyMatrix Minors2()
    {
        var list = new List<Polynomial>();
        for (int i1 = 0; i1 < Rows; i1++)
            for (int i2 = i1 + 1; i2 < Rows; i2++)
                for (int j1 = 0; j1 < Cols; j1++)
                    for (int j2 = j1 + 1; j2 < Cols; j2++)
                    {
                        var b = new PolynomialBuilder();
                        b.AddProduct(this[i1, j1], this[i2, j2]);
                        b.AddProduct(this[i1, j2], this[i2, j1], Rational.MinusOne);
                        list.Add(b.ToPolynomial());
                    }
        return Create(list.Count, 1, (i, _) => list[i]);
    }

    public PolyMatrix Derivative(Variable v) => Map(p => p.Derivative(v));
    public PolyMatrix Substitute(IReadOnlyDictionary<Variable, Polynomial> map) => Map(p => p.Substitute(map));

    private static void RequireSameShape(PolyMatrix x, PolyMatrix y, string op)
    {
        if (x.Rows != y.Rows || x.Cols != y.Cols)
            throw new ShapeMismatchException($"'{op}' needs equal shapes, got {x.Rows}x{x.Cols} and {y.Rows}x{y.Cols}");
    }

    public bool Equals(PolyMatrix? other)
    {
        if (other is null || other.Rows != Rows || other.Cols != Cols) return false;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
                if (!_entries[i, j].Equals(other._entries[i, j])) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as PolyMatrix);
    public override int GetHashCode() => HashCode.Combine(Rows, Cols, Rows > 0 && Cols > 0 ? _entries[0, 0].GetHashCode() : 0);

    public override string ToString() =>
        "[" + string.Join("; ", Enumerable.Range(0, Rows).Select(i => string.Join(", ", Enumerable.Range(0, Cols).Select(j => _entries[i, j].ToString())))) + "]";
}

/// <summary>Operands whose shapes do not fit the operation.</summary>
public sealed class ShapeMismatchException(string message) : Exception(message);
