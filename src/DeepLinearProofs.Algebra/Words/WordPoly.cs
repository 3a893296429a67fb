namespace DeepLinearProofs.Algebra.Words;

/// <summary>
/// An element of the free algebra with involution over matrix letters of symbolic sizes: a sum of words, each with a
/// commutative polynomial coefficient (rationals, scalar symbols such as <c>s_1</c>, and <see cref="ScalarAtom"/>s). The
/// form is canonical, so equality is structural: every 1x1 sub-product is split off into the coefficient as an atom (it is
/// a scalar at every instance, because a size spelled 1 is 1 everywhere), traces are normalised cyclically, and transposes
/// sit on the letters. An identity of canonical forms holds for every instance: every size assignment and every choice of
/// matrices for the letters, because instances are representations of the free algebra with involution.
/// </summary>
public sealed class WordPoly : IEquatable<WordPoly>
{
    private readonly Dictionary<Word, Polynomial> _terms;

    public Dim Rows { get; }
    public Dim Cols { get; }

    private WordPoly(Dim rows, Dim cols, Dictionary<Word, Polynomial> terms)
    {
        Rows = rows;
        Cols = cols;
        _terms = terms;
    }

    public IReadOnlyDictionary<Word, Polynomial> Terms => _terms;
    public bool IsZero => _terms.Count == 0;
    public bool IsScalar => Rows.IsOne && Cols.IsOne;
    public int TermCount => _terms.Count;

    /// <summary>The coefficient of the identity (for a scalar: the scalar as a polynomial).</summary>
    public Polynomial ScalarPart => _terms.GetValueOrDefault(Word.Empty) ?? Polynomial.Zero;

    public static WordPoly Zero(Dim rows, Dim cols) => new(rows, cols, new Dictionary<Word, Polynomial>());

    public static WordPoly Identity(Dim d) => new(d, d, new Dictionary<Word, Polynomial> { [Word.Empty] = Polynomial.One });

    public static WordPoly Scalar(Polynomial p) => Build(Dim.One, Dim.One, [(Word.Empty, p)]);

    public static WordPoly Scalar(Rational c) => Scalar(Polynomial.Constant(c));

    public static WordPoly Of(MatrixSymbol s) => Of(new Letter(s, false));

    public static WordPoly Of(Letter l)
    {
        var (scalar, main) = Canonical([l], l.Rows, l.Cols);
        return Build(l.Rows, l.Cols, [(main, scalar)]);
    }

    private static WordPoly Build(Dim rows, Dim cols, IEnumerable<(Word Word, Polynomial Coefficient)> terms)
    {
        var d = new Dictionary<Word, Polynomial>();
        foreach (var (w, c) in terms)
        {
            if (c.IsZero) continue;
            var sum = d.TryGetValue(w, out var old) ? old + c : c;
            if (sum.IsZero) d.Remove(w); else d[w] = sum;
        }
        return new WordPoly(rows, cols, d);
    }

    // ------------------------------------------------------------------ canonical form

    /// <summary>
    /// A product of letters of shape rows x cols as (scalar factor, main word): every maximal 1x1 factor becomes an atom; what is
    /// left is at most an outer product (column)(row) or a word with no inner size-1 junction.
    /// </summary>
    public static (Polynomial Scalar, Word Main) Canonical(IReadOnlyList<Letter> letters, Dim rows, Dim cols)
    {
        if (letters.Count == 0) return (Polynomial.One, Word.Empty);
        var cuts = new List<int>();
        for (int i = 1; i < letters.Count; i++)
        {
            if (letters[i - 1].Cols != letters[i].Rows)
                throw new WordShapeException($"{letters[i - 1]} has {letters[i - 1].Cols} columns but {letters[i]} has {letters[i].Rows} rows");
            if (letters[i - 1].Cols.IsOne) cuts.Add(i);
        }
        if (letters[0].Rows != rows || letters[^1].Cols != cols)
            throw new WordShapeException($"the product is {letters[0].Rows} x {letters[^1].Cols}, expected {rows} x {cols}");
        var bounds = new List<int> { 0 };
        bounds.AddRange(cuts);
        bounds.Add(letters.Count);
        var scalar = Polynomial.One;
        var main = new List<Letter>();
        for (int s = 0; s + 1 < bounds.Count; s++)
        {
            var segment = new Word(letters.Skip(bounds[s]).Take(bounds[s + 1] - bounds[s]));
            bool oneRows = s > 0 || rows.IsOne, oneCols = s + 2 < bounds.Count || cols.IsOne;
            if (oneRows && oneCols) scalar *= Polynomial.Var(ScalarAtom.Open(segment).Variable);
            else main.AddRange(segment.Letters);
        }
        return (scalar, new Word(main));
    }

    /// <summary>tr of a main word of shape d x d: atoms after a rotation to a size-1 junction, else one cyclic atom.</summary>
    private static Polynomial TraceOf(Word w, Dim d)
    {
        if (w.IsEmpty) return d.AsScalar();
        int junction = -1;
        for (int i = 0; i < w.Length && junction < 0; i++)
            if (w[i].Rows.IsOne) junction = i;
        if (junction >= 0) return Canonical(w.Rotate(junction).Letters, Dim.One, Dim.One).Scalar;
        return Polynomial.Var(ScalarAtom.Trace(w).Variable);
    }

    // ------------------------------------------------------------------ arithmetic

    public static WordPoly operator +(WordPoly x, WordPoly y)
    {
        SameShape(x, y, "+");
        return Build(x.Rows, x.Cols, x._terms.Select(t => (t.Key, t.Value)).Concat(y._terms.Select(t => (t.Key, t.Value))));
    }

    public static WordPoly operator -(WordPoly x, WordPoly y)
    {
        SameShape(x, y, "-");
        return Build(x.Rows, x.Cols, x._terms.Select(t => (t.Key, t.Value)).Concat(y._terms.Select(t => (t.Key, -t.Value))));
    }

    public static WordPoly operator -(WordPoly x) => Build(x.Rows, x.Cols, x._terms.Select(t => (t.Key, -t.Value)));

    /// <summary>Matrix product; a 1x1 factor whose sizes do not chain multiplies as a scalar.</summary>
    public static WordPoly operator *(WordPoly x, WordPoly y)
    {
        if (x.Cols != y.Rows)
        {
            if (x.IsScalar) return y.Scale(x.ScalarPart);
            if (y.IsScalar) return x.Scale(y.ScalarPart);
            throw new WordShapeException($"cannot multiply {x.Rows} x {x.Cols} by {y.Rows} x {y.Cols}");
        }
        var terms = new List<(Word, Polynomial)>();
        foreach (var (wx, cx) in x._terms)
            foreach (var (wy, cy) in y._terms)
            {
                var (s, main) = Canonical(wx.Letters.Concat(wy.Letters).ToList(), x.Rows, y.Cols);
                terms.Add((main, cx * cy * s));
            }
        return Build(x.Rows, y.Cols, terms);
    }

    public static WordPoly operator *(Rational c, WordPoly x) => x.Scale(Polynomial.Constant(c));

    public WordPoly Scale(Polynomial p) => Build(Rows, Cols, _terms.Select(t => (t.Key, t.Value * p)));

    public WordPoly Transpose() => Build(Cols, Rows, _terms.Select(t => (t.Key.Transpose(), t.Value)));

    /// <summary>The trace, a scalar (1x1).</summary>
    public WordPoly Trace()
    {
        if (Rows != Cols) throw new WordShapeException($"the trace needs a square matrix, this one is {Rows} x {Cols}");
        return Scalar(_terms.Aggregate(Polynomial.Zero, (sum, t) => sum + t.Value * TraceOf(t.Key, Rows)));
    }

    /// <summary>||X||_F^2 = tr(X^T X).</summary>
    public WordPoly Norm2() => (Transpose() * this).Trace();

    /// <summary>Applies a polynomial map to every coefficient (atoms included), keeping the words.</summary>
    public WordPoly MapCoefficients(Func<Polynomial, Polynomial> f) => Build(Rows, Cols, _terms.Select(t => (t.Key, f(t.Value))));

    // ------------------------------------------------------------------ homomorphisms

    /// <summary>
    /// The ring homomorphism with involution that sends each letter's symbol to <paramref name="image"/> (same shape; null keeps
    /// the letter), applied to the words and, through the atoms, to the coefficients.
    /// </summary>
    public WordPoly Substitute(Func<MatrixSymbol, WordPoly?> image)
    {
        var cache = new Dictionary<Letter, WordPoly>();
        WordPoly LetterImage(Letter l)
        {
            if (cache.TryGetValue(l, out var v)) return v;
            var img = image(l.Symbol);
            if (img is not null && (img.Rows != l.Symbol.Rows || img.Cols != l.Symbol.Cols))
                throw new WordShapeException($"{l.Symbol} is {l.Symbol.Rows} x {l.Symbol.Cols} but its image is {img.Rows} x {img.Cols}");
            v = img is null ? Of(l) : l.Transposed ? img.Transpose() : img;
            cache[l] = v;
            return v;
        }
        WordPoly WordImage(Word w, Dim rows)
        {
            var acc = Identity(rows);
            foreach (var l in w.Letters) acc = acc * LetterImage(l);
            return acc;
        }
        var atoms = new Dictionary<Variable, Polynomial>();
        Polynomial Coefficient(Polynomial p)
        {
            foreach (var v in p.Variables())
                if (!atoms.ContainsKey(v) && ScalarAtom.Of(v) is { } atom)
                {
                    var w = WordImage(atom.Word, atom.Word[0].Rows);
                    atoms[v] = (atom.Cyclic ? w.Trace() : w).ScalarPart;
                }
            return atoms.Count == 0 ? p : p.Substitute(atoms.Where(a => p.Variables().Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value));
        }
        var result = Zero(Rows, Cols);
        foreach (var (w, c) in _terms)
        {
            var img = w.IsEmpty ? Identity(Rows) : WordImage(w, Rows);
            if (w.IsEmpty && !Rows.Equals(Cols)) throw new WordShapeException("an identity term in a non-square polynomial");
            result += img.Scale(Coefficient(c));
        }
        return result;
    }

    private static readonly Variable Epsilon = Variable.Of("⟪ε⟫");

    /// <summary>The directional derivative d/de f(X + e H) at e = 0, for a letter X and a direction H of its shape.</summary>
    public WordPoly Derivative(MatrixSymbol x, WordPoly direction)
    {
        if (direction.Rows != x.Rows || direction.Cols != x.Cols)
            throw new WordShapeException($"the direction is {direction.Rows} x {direction.Cols}, {x} is {x.Rows} x {x.Cols}");
        var moved = Substitute(s => s == x ? Of(x) + direction.Scale(Polynomial.Var(Epsilon)) : null);
        var zero = new Dictionary<Variable, Polynomial> { [Epsilon] = Polynomial.Zero };
        return moved.MapCoefficients(c => c.Derivative(Epsilon).Substitute(zero));
    }

    /// <summary>The letters' symbols this polynomial mentions, atoms included.</summary>
    public IReadOnlySet<MatrixSymbol> Symbols()
    {
        var set = new HashSet<MatrixSymbol>();
        foreach (var (w, c) in _terms)
        {
            foreach (var l in w.Letters) set.Add(l.Symbol);
            foreach (var v in c.Variables())
                if (ScalarAtom.Of(v) is { } a) foreach (var l in a.Word.Letters) set.Add(l.Symbol);
        }
        return set;
    }

    private static void SameShape(WordPoly x, WordPoly y, string op)
    {
        if (x.Rows != y.Rows || x.Cols != y.Cols)
            throw new WordShapeException($"cannot apply {op} to {x.Rows} x {x.Cols} and {y.Rows} x {y.Cols}");
    }

    public bool Equals(WordPoly? other) =>
        other is not null && Rows == other.Rows && Cols == other.Cols && _terms.Count == other._terms.Count &&
        _terms.All(t => other._terms.TryGetValue(t.Key, out var c) && c == t.Value);

    public override bool Equals(object? obj) => Equals(obj as WordPoly);
    public override int GetHashCode() => HashCode.Combine(Rows, Cols, _terms.Count);

    public override string ToString() => WordText.Format(this);
}
