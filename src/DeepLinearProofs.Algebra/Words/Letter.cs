namespace DeepLinearProofs.Algebra.Words;

/// <summary>
/// A symbolic matrix size such as <c>d_j</c> or <c>d_N</c>, never instantiated; <see cref="One"/> is the literal 1, the only
/// size the calculus treats specially (a 1x1 product is a scalar and commutes).
/// </summary>
public sealed record Dim(string Name) : IComparable<Dim>
{
    public static readonly Dim One = new("1");

    public bool IsOne => Name == "1";

    /// <summary>tr(I_d) = d: the size as a commuting scalar (1 for the literal 1).</summary>
    public Polynomial AsScalar() => IsOne ? Polynomial.One : Polynomial.Var(Variable.Of(Name));

    public int CompareTo(Dim? other) => string.CompareOrdinal(Name, other?.Name);

    public override string ToString() => Name;
}

/// <summary>
/// A matrix letter of the free algebra: a weight <c>W_j</c>, a block <c>W_{N:j+1}</c>, the target <c>Z</c>, a vector
/// <c>u_1</c>, or a direction <c>H</c>. Its sizes are symbolic; two symbols with one name must have one shape.
/// </summary>
public sealed record MatrixSymbol(string Name, Dim Rows, Dim Cols) : IComparable<MatrixSymbol>
{
    /// <summary>The LaTeX form of the name (W_{N:j+1} stays as it is; u_1 likewise).</summary>
    public string Latex => Name;

    public int CompareTo(MatrixSymbol? other) => string.CompareOrdinal(Name, other?.Name);

    public override string ToString() => Name;
}

/// <summary>A symbol or its transpose: the letters words are spelled with.</summary>
public readonly record struct Letter(MatrixSymbol Symbol, bool Transposed) : IComparable<Letter>
{
    public Dim Rows => Transposed ? Symbol.Cols : Symbol.Rows;
    public Dim Cols => Transposed ? Symbol.Rows : Symbol.Cols;

    public Letter Transpose() => new(Symbol, !Transposed);

    public int CompareTo(Letter other)
    {
        int c = Symbol.CompareTo(other.Symbol);
        return c != 0 ? c : Transposed.CompareTo(other.Transposed);
    }

    public override string ToString() => Transposed ? Symbol.Name + "^T" : Symbol.Name;
}

/// <summary>Two letters whose sizes do not match (a product or sum that no size assignment makes defined).</summary>
public sealed class WordShapeException(string message) : Exception(message);
