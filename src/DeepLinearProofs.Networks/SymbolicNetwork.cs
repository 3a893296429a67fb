using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Words;

namespace DeepLinearProofs.Networks;

/// <summary>A layer index affine in one symbolic index and the depth: <c>j+1</c>, <c>N-1</c>, <c>k</c>, <c>2</c>.</summary>
public sealed record LayerIndex(string? Base, bool Depth, int Offset)
{
    public static LayerIndex Constant(int c) => new(null, false, c);
    public static LayerIndex Top(int offset = 0) => new(null, true, offset);
    public static LayerIndex Of(string b, int offset = 0) => new(b, false, offset);

    public LayerIndex Plus(int c) => this with { Offset = Offset + c };

    public override string ToString()
    {
        var head = Base ?? (Depth ? "N" : "");
        if (head.Length == 0) return Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Offset == 0 ? head : Offset > 0 ? $"{head}+{Offset}" : $"{head}{Offset}";
    }

    /// <summary>A subscript: <c>j</c> stays bare, <c>j+1</c> gets braces.</summary>
    public string Subscript => ToString() is var t && t.Length == 1 ? t : "{" + t + "}";
}

/// <summary>One factor of P = W_N ... W_1, top to bottom: a layer letter, or a block W_{top:bottom} standing for any product of layers.</summary>
public sealed record Piece(LayerIndex Top, LayerIndex Bottom, MatrixSymbol Symbol, bool IsBlock);

/// <summary>
/// A network at every size at once: P = W_N ... W_1 as a few letters, the layers a claim names kept as letters and the runs
/// between them as opaque blocks (W_{N:j+2}, W_{j-1:1}). Substituting the actual products (or an identity) for the blocks is
/// a ring homomorphism with involution that does not touch the kept letters, so an identity in these letters holds for every
/// depth, every value of the index and all widths. The flow of each kept letter is read off from the directional derivative of
/// the loss; the kernel re-derives that claim.
/// </summary>
public sealed class SymbolicNetwork
{
    public IReadOnlyList<Piece> Pieces { get; }
    public string Scope { get; }
    public MatrixSymbol Target { get; }
    public WordPoly EndToEnd { get; }
    public WordPoly Residual => WordPoly.Of(Target) - EndToEnd;
    public WordPoly Loss { get; }
    public IReadOnlyList<(MatrixSymbol Symbol, WordPoly Rate)> Field { get; }
    private readonly LayerIndex? _oneNeuron;
    private readonly int? _depth;

    private SymbolicNetwork(IReadOnlyList<(LayerIndex Top, LayerIndex Bottom, bool Block)> pieces, LayerIndex? oneNeuron, string scope, int? depth = null)
    {
        _oneNeuron = oneNeuron;
        _depth = depth;
        Scope = scope;
        Pieces = pieces.Select(p => new Piece(p.Top, p.Bottom, new MatrixSymbol(p.Block ? $"W_{{{p.Top}:{p.Bottom}}}" : $"W_{p.Top.Subscript}", Size(p.Top), Size(p.Bottom.Plus(-1))), p.Block)).ToList();
        Target = new MatrixSymbol("Z", Size(LayerIndex.Top()), Size(LayerIndex.Constant(0)));
        EndToEnd = Pieces.Aggregate(WordPoly.Identity(Target.Rows), (acc, p) => acc * WordPoly.Of(p.Symbol));
        Loss = Rational.Create(1, 2) * Residual.Norm2();
        Field = Pieces.Where(p => !p.IsBlock).Select(p => (p.Symbol, -Gradient(Loss, p.Symbol))).ToList();
    }

    /// <summary>Layers base+from .. base+to as letters, every other layer in the block above or the block below.</summary>
    public static SymbolicNetwork Around(string index, int from, int to, string range, bool oneNeuronAtIndex)
    {
        var pieces = new List<(LayerIndex, LayerIndex, bool)> { (LayerIndex.Top(), LayerIndex.Of(index, to + 1), true) };
        for (int o = to; o >= from; o--) pieces.Add((LayerIndex.Of(index, o), LayerIndex.Of(index, o), false));
        pieces.Add((LayerIndex.Of(index, from - 1), LayerIndex.Constant(1), true));
        var one = oneNeuronAtIndex ? LayerIndex.Of(index) : null;
        return new SymbolicNetwork(pieces, one,
            $"every depth N >= 2, every {range}, all widths d_0, ..., d_N{(one is null ? "" : $" with d_{index} = 1")} " +
            $"(the blocks W_{{{pieces[0].Item1}:{pieces[0].Item2}}} and W_{{{pieces[^1].Item1}:{pieces[^1].Item2}}} stand for any products of layers, the identity included)");
    }

    /// <summary>W_N and W_1 as letters, W_{N-1:2} as a block (the identity when N = 2).</summary>
    public static SymbolicNetwork Ends(int minDepth = 2) => new(
        [(LayerIndex.Top(), LayerIndex.Top(), false), (LayerIndex.Top(-1), LayerIndex.Constant(2), true), (LayerIndex.Constant(1), LayerIndex.Constant(1), false)], null,
        $"every depth N >= {minDepth} and all widths d_0, ..., d_N (the block W_{{N-1:2}} stands for any product of layers{(minDepth < 3 ? ", the identity when N = 2" : "")})");

    /// <summary>A fixed depth with every layer a letter and symbolic widths (the one-neuron layer, if any, of width 1).</summary>
    public static SymbolicNetwork Fixed(int depth, int? oneNeuron) => new(
        Enumerable.Range(1, depth).Reverse().Select(j => (LayerIndex.Constant(j), LayerIndex.Constant(j), false)).ToList(),
        oneNeuron is { } k ? LayerIndex.Constant(k) : null,
        $"depth {depth} and all widths {string.Join(", ", Enumerable.Range(0, depth + 1).Select(i => i == oneNeuron ? $"d_{i} = 1" : $"d_{i}"))}", depth);

    /// <summary>d_i as a symbolic size (1 at the one-neuron layer); the depth's top is d_N.</summary>
    public Dim Size(LayerIndex i)
    {
        if (_depth is { } n && i.Depth) i = LayerIndex.Constant(n + i.Offset);
        return _oneNeuron is not null && i == _oneNeuron ? Dim.One : new Dim($"d_{i.Subscript}");
    }

    /// <summary>The one-neuron layer (d = 1), when the network has one.</summary>
    public LayerIndex? OneNeuron => _oneNeuron;

    /// <summary>A layer index as this network spells it (N is the fixed depth's number when the depth is fixed).</summary>
    public LayerIndex Normal(LayerIndex i) => _depth is { } n && i.Depth ? LayerIndex.Constant(n + i.Offset) : i;

    /// <summary>The letter of layer i, or null when i is not kept (inside a block, or not a layer of this network).</summary>
    public Piece? Layer(LayerIndex i) => Pieces.FirstOrDefault(p => !p.IsBlock && p.Top == Normal(i));

    /// <summary>
    /// W_{hi:lo}: the pieces from the one whose top is hi down to the one whose bottom is lo; the identity of size d_hi when
    /// the piece topped by hi sits just below the one with bottom lo (lo = hi + 1); null when hi or lo falls inside a block.
    /// </summary>
    public WordPoly? Product(LayerIndex hi, LayerIndex lo)
    {
        (hi, lo) = (Normal(hi), Normal(lo));
        int p = IndexOf(x => x.Top == hi), q = IndexOf(x => x.Bottom == lo);
        if (p < 0 || q < 0) return null;
        if (p == q + 1) return WordPoly.Identity(Size(hi));
        if (p > q) return null;
        var acc = WordPoly.Identity(Size(hi));
        for (int i = p; i <= q; i++) acc *= WordPoly.Of(Pieces[i].Symbol);
        return acc;
    }

    private int IndexOf(Func<Piece, bool> f)
    {
        for (int i = 0; i < Pieces.Count; i++) if (f(Pieces[i])) return i;
        return -1;
    }

    /// <summary>The rate of a kept letter.</summary>
    public WordPoly Flow(MatrixSymbol x) => Field.First(f => f.Symbol == x).Rate;

    /// <summary>
    /// dL/dX read off from the directional derivative: each term of D_H L is tr(M H) (or tr(M H^T)) after a rotation, which
    /// contributes M^T (or M). Untrusted: the kernel checks D_H L = tr(G^T H) for the result.
    /// </summary>
    public static WordPoly Gradient(WordPoly loss, MatrixSymbol x)
    {
        var h = new MatrixSymbol($"⟪dir:{x.Name}⟫", x.Rows, x.Cols);
        var d = loss.Derivative(x, WordPoly.Of(h));
        var g = WordPoly.Zero(x.Rows, x.Cols);
        foreach (var (m, c) in d.ScalarPart.Terms)
        {
            var factors = m.Factors.ToList();
            int at = factors.FindIndex(f => ScalarAtom.Of(f.Var) is { } a && a.Word.Contains(h));
            if (at < 0 || factors[at].Exponent != 1) throw new InvalidOperationException("the loss is not differentiable term by term here");
            var atom = ScalarAtom.Of(factors[at].Var)!;
            var rest = Polynomial.Term(c, Monomial.Of(factors.Where((_, i) => i != at)));
            int pos = Enumerable.Range(0, atom.Word.Length).First(i => atom.Word[i].Symbol == h);
            var rotated = atom.Word.Rotate(pos);                       // H Y X  (or H^T Y X)
            var after = rotated.Slice(1, rotated.Length);              // M with tr(H M) = tr(M H)
            var mPoly = after.Letters.Aggregate(WordPoly.Identity(rotated[0].Cols), (acc, l) => acc * WordPoly.Of(l));
            g += (rotated[0].Transposed ? mPoly : mPoly.Transpose()).Scale(rest);
        }
        return g;
    }
}
