using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>The target Z of L = 1/2||Z - P||^2: symbolic entries, a diagonal of singular values,
/// an explicit rational matrix, or data (X, Y) as in docs/theory.md, T0.</summary>
public abstract record Target
{
    /// <summary>Z as a d_N x d_0 polynomial matrix; throws <see cref="NetworkInputException"/> on a shape mismatch.</summary>
    public abstract PolyMatrix Matrix(Architecture arch);

    public abstract string Describe();

    /// <summary>Z = sum_i s_i u_i v_i^T exactly (s sorted non-increasing, non-negative) when the target allows it; see <see cref="Networks.ExactSvd.Of"/>.</summary>
    public ExactSvdResult ExactSvd(Architecture arch) => Networks.ExactSvd.Of(this, arch);

    /// <summary>Parses "symbolic", "diag(3,2,1)", "[[1,0],[0,2]]" or "data(X=[[..]], Y=[[..]])".</summary>
    public static Target Parse(string text)
    {
        var t = text.Trim();
        if (t.Equals("symbolic", StringComparison.OrdinalIgnoreCase)) return new SymbolicTarget();
        if (t.StartsWith("diag(", StringComparison.OrdinalIgnoreCase) && t.EndsWith(')'))
        {
            var inner = t[5..^1];
            var values = inner.Split(',', StringSplitOptions.TrimEntries).Select(ParseNumber).ToArray();
            if (values.Length == 0) throw new NetworkInputException("diag(...) needs at least one value, e.g. diag(3,2,1)");
            return new DiagonalTarget(values);
        }
        if (t.StartsWith("data(", StringComparison.OrdinalIgnoreCase) && t.EndsWith(')'))
        {
            var inner = t[5..^1];
            int xAt = inner.IndexOf("X=", StringComparison.Ordinal), yAt = inner.IndexOf("Y=", StringComparison.Ordinal);
            if (xAt < 0 || yAt < xAt) throw new NetworkInputException("write data targets as data(X=[[...]], Y=[[...]])");
            var x = MatrixLiteral.Parse(inner[(xAt + 2)..yAt].Trim().TrimEnd(','));
            var y = MatrixLiteral.Parse(inner[(yAt + 2)..]);
            return new DataTarget(x, y);
        }
        if (t.StartsWith('[')) return new MatrixTarget(MatrixLiteral.Parse(t));
        throw new NetworkInputException($"unknown target '{text}': use symbolic, diag(3,2,1), [[1,0],[0,2]] or data(X=[[..]], Y=[[..]])");
    }

    internal static Rational ParseNumber(string s) =>
        Rational.TryParse(s, out var r) ? r : throw new NetworkInputException($"'{s}' is not an exact number (use integers, fractions like 3/2, or decimals)");
}

/// <summary>Z with independent symbolic entries Z[i,j].</summary>
public sealed record SymbolicTarget : Target
{
    public override PolyMatrix Matrix(Architecture arch) => PolyMatrix.Variables("Z", arch.Width(arch.Depth), arch.Width(0));
    public override string Describe() => "symbolic";
}

/// <summary>Z = diag(s_1, ..., s_r) padded with zeros to d_N x d_0.</summary>
public sealed record DiagonalTarget(IReadOnlyList<Rational> Values) : Target
{
    public override PolyMatrix Matrix(Architecture arch)
    {
        int rows = arch.Width(arch.Depth), cols = arch.Width(0);
        if (Values.Count > Math.Min(rows, cols))
            throw new NetworkInputException($"target diag({string.Join(",", Values)}) has {Values.Count} entries but Z is {rows}x{cols} (d_N x d_0): give at most {Math.Min(rows, cols)} values or change the widths");
        return PolyMatrix.Create(rows, cols, (i, j) => i == j && i < Values.Count ? Polynomial.Constant(Values[i]) : Polynomial.Zero);
    }

    public override string Describe() => $"diag({string.Join(",", Values)})";
}

/// <summary>An explicit rational d_N x d_0 matrix.</summary>
public sealed record MatrixTarget(Rational[,] Values) : Target
{
    public override PolyMatrix Matrix(Architecture arch)
    {
        int rows = arch.Width(arch.Depth), cols = arch.Width(0);
        if (Values.GetLength(0) != rows || Values.GetLength(1) != cols)
            throw new NetworkInputException($"target is {Values.GetLength(0)}x{Values.GetLength(1)} but the widths need d_N x d_0 = {rows}x{cols}");
        return PolyMatrix.FromRationals(Values);
    }

    public override string Describe() => MatrixLiteral.Format(Values);
}

/// <summary>
/// Data (X, Y) with loss 1/2||Y - P X||^2 (docs/theory.md, T0). Z = Y X^T Sigma^{-1/2} with Sigma = X X^T is
/// exact only when Sigma^{1/2} is rational (here: Sigma diagonal with rational square roots);
/// the gradient flows coincide only when the data are whitened (Sigma = I).
/// </summary>
public sealed record DataTarget(Rational[,] X, Rational[,] Y) : Target
{
    public PolyMatrix XMatrix => PolyMatrix.FromRationals(X);
    public PolyMatrix YMatrix => PolyMatrix.FromRationals(Y);
    public PolyMatrix Sigma => XMatrix * XMatrix.Transpose();

    public bool IsWhitened => Sigma.Equals(PolyMatrix.Identity(X.GetLength(0)));

    /// <summary>Sigma^{1/2} when Sigma is diagonal with rational square roots on the diagonal, else null.</summary>
    public PolyMatrix? SqrtSigma
    {
        get
        {
            var s = Sigma;
            var roots = new Rational[s.Rows];
            for (int i = 0; i < s.Rows; i++)
                for (int j = 0; j < s.Cols; j++)
                {
                    if (i != j && !s[i, j].IsZero) return null;
                    if (i == j)
                    {
                        var r = s[i, i].ConstantTerm.TrySqrt();
                        if (r is null || r.Value.IsZero) return null;
                        roots[i] = r.Value;
                    }
                }
            return PolyMatrix.Create(s.Rows, s.Cols, (i, j) => i == j ? Polynomial.Constant(roots[i]) : Polynomial.Zero);
        }
    }

    public void Validate(Architecture arch)
    {
        if (X.GetLength(0) != arch.Width(0))
            throw new NetworkInputException($"data X has {X.GetLength(0)} rows but d_0 = {arch.Width(0)}");
        if (Y.GetLength(0) != arch.Width(arch.Depth))
            throw new NetworkInputException($"data Y has {Y.GetLength(0)} rows but d_N = {arch.Width(arch.Depth)}");
        if (X.GetLength(1) != Y.GetLength(1))
            throw new NetworkInputException($"data X has {X.GetLength(1)} samples (columns) but Y has {Y.GetLength(1)}");
    }

    public override PolyMatrix Matrix(Architecture arch)
    {
        Validate(arch);
        var root = SqrtSigma ?? throw new NetworkInputException(
            "Z = Y X^T Sigma^{-1/2} is not rational for this data (Sigma = X X^T must be diagonal with rational square roots); whiten the data or avoid Z and E");
        var inverse = PolyMatrix.Create(root.Rows, root.Cols, (i, j) => i == j ? Polynomial.Constant(root[i, i].ConstantTerm.Reciprocal()) : Polynomial.Zero);
        return YMatrix * XMatrix.Transpose() * inverse;
    }

    public override string Describe() => $"data(X={MatrixLiteral.Format(X)}, Y={MatrixLiteral.Format(Y)})";
}

/// <summary>Reads and writes rational matrices as <c>[[1,0],[0,2]]</c>.</summary>
public static class MatrixLiteral
{
    public static Rational[,] Parse(string text)
    {
        var t = text.Trim();
        if (!t.StartsWith("[[") || !t.EndsWith("]]"))
            throw new NetworkInputException($"a matrix is written as rows in brackets, e.g. [[1,0],[0,2]]; got '{text}'");
        var rows = t[2..^2].Split("],", StringSplitOptions.TrimEntries)
            .Select(r => r.TrimStart('[').Split(',', StringSplitOptions.TrimEntries).Select(Target.ParseNumber).ToArray()).ToArray();
        return FromRows(rows);
    }

    public static Rational[,] FromRows(IReadOnlyList<IReadOnlyList<Rational>> rows)
    {
        if (rows.Count == 0 || rows[0].Count == 0) throw new NetworkInputException("a matrix needs at least one row and one column");
        var m = new Rational[rows.Count, rows[0].Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != rows[0].Count)
                throw new NetworkInputException($"matrix row {i + 1} has {rows[i].Count} entries but row 1 has {rows[0].Count}");
            for (int j = 0; j < rows[i].Count; j++) m[i, j] = rows[i][j];
        }
        return m;
    }

    public static string Format(Rational[,] m) =>
        "[" + string.Join(",", Enumerable.Range(0, m.GetLength(0)).Select(i => "[" + string.Join(",", Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j].ToString())) + "]")) + "]";
}

/// <summary>A numeric target read from a problem file; described by its file and shape rather than its entries.</summary>
public sealed record FileTarget(Rational[,] Values, string Source) : Target
{
    public override PolyMatrix Matrix(Architecture arch) => new MatrixTarget(Values).Matrix(arch);
    public override string Describe() => $"target of {Source} ({Values.GetLength(0)}x{Values.GetLength(1)})";
}
