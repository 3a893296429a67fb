using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Algebra.Words;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Evaluates lemma-language expressions at every size at once, to word polynomials over a <see cref="SymbolicNetwork"/>:
/// W[j], W[N:..] through prod, P, E, L, Z, C[j], a, b (one-neuron layer), s[i], u[i], v[i] (a singular pair of Z), d[i],
/// T, tr, norm2, minor2, flow, grad, sqrt (in a let-definition whose radicand is a sum of squares) and + - * / ^.
/// Untrusted translation: the kernel re-derives the flow from the loss and checks every identity by expansion.
/// </summary>
public sealed class WordEvaluator(SymbolicNetwork network, IReadOnlyList<NamedExpr> definitions, IReadOnlySet<string> indices, IReadOnlyList<string>? parameters = null)
{
    private readonly SortedDictionary<string, MatrixSymbol> _units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WordPoly> _lets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly List<WordRoot> _roots = [];
    private readonly SortedSet<string> _pairs = new(StringComparer.Ordinal);
    private readonly List<MatrixSymbol> _constants = [];

    public SymbolicNetwork Network => network;
    public IReadOnlyList<WordRoot> Roots => _roots;

    /// <summary>Letters that do not move: the target, the singular vectors met, the test vectors of minor2.</summary>
    public IReadOnlyList<MatrixSymbol> Constants => _constants.Prepend(network.Target).Distinct().ToList();

    /// <summary>Z v_i = s_i u_i and Z^T u_i = s_i v_i for every singular pair the expressions used.</summary>
    public IReadOnlyList<WordFact> Facts => _pairs.SelectMany(i =>
    {
        var (u, v, s) = (WordPoly.Of(Vector("u", i)), WordPoly.Of(Vector("v", i)), Polynomial.Var($"s_{i}"));
        var z = WordPoly.Of(network.Target);
        return new[] { new WordFact($"Z v_{i} = s_{i} u_{i}", z * v, u.Scale(s)), new WordFact($"Z^T u_{i} = s_{i} v_{i}", z.Transpose() * u, v.Scale(s)) };
    }).Concat(_units.Values.Select(w => new WordFact($"{w.Name}^T {w.Name} = 1", WordPoly.Of(w).Transpose() * WordPoly.Of(w), WordPoly.Scalar(Rational.One)))).ToList();

    public WordPoly Evaluate(Expr e) => Bounded(e switch
    {
        NumberExpr n => WordPoly.Scalar(n.Value),
        NameExpr n => Name(n),
        CallExpr c => Call(c),
        NegateExpr n => -Evaluate(n.Operand),
        TransposeExpr t => Evaluate(t.Operand).Transpose(),
        BinaryExpr b => Binary(b),
        _ => throw new ClaimException("this expression has no meaning at all sizes", e.Position),
    }, e.Position);

    /// <summary>The budget of one value: words times scalar terms (every product of two values is at most its square).</summary>
    public const int MaxTerms = 2000;

    private static WordPoly Bounded(WordPoly p, int position) =>
        p.Terms.Sum(t => t.Value.TermCount) <= MaxTerms ? p
            : throw new ClaimException($"this expands to more than {MaxTerms} terms at all sizes (the budget of one value); state the claim on instances, or in smaller parts", position);

    /// <summary>A layer index: numbers, N, the loop or sum variable, k, and + / - of numbers.</summary>
    public LayerIndex Index(Expr e) => ParseIndex(e, indices);

    public static LayerIndex ParseIndex(Expr e, IReadOnlySet<string> indices) => e switch
    {
        NumberExpr { Value.IsInteger: true } n when n.Value.Numerator >= 0 && n.Value.Numerator <= 1000 => LayerIndex.Constant((int)n.Value.Numerator),
        NameExpr { Name: "N", Indices.Count: 0 } => LayerIndex.Top(),
        NameExpr { Indices.Count: 0 } n when indices.Contains(n.Name) || n.Name == "k" => LayerIndex.Of(n.Name),
        BinaryExpr { Operator: "+" or "-", Right: NumberExpr { Value.IsInteger: true } r } b when r.Value.Numerator <= 1000 =>
            ParseIndex(b.Left, indices).Plus((b.Operator == "+" ? 1 : -1) * (int)r.Value.Numerator),
        _ => throw new ClaimException("at all sizes an index is N, a loop variable, k or a number, plus or minus a number", e.Position),
    };

    private WordPoly Name(NameExpr n)
    {
        if (n.Indices.Count == 0 && definitions.FirstOrDefault(d => d.Name == n.Name) is { } def) return Let(def);
        if (n.Indices.Count == 0 && parameters is not null && parameters.Contains(n.Name)) return WordPoly.Scalar(Polynomial.Var(n.Name));
        switch (n.Name, n.Indices.Count)
        {
            case ("W", 1): return Layer(Index(n.Indices[0]), n.Position);
            case ("C", 1):
                {
                    var j = Index(n.Indices[0]);
                    var (lo, hi) = (Layer(j, n.Position), Layer(j.Plus(1), n.Position));
                    return hi.Transpose() * hi - lo * lo.Transpose();
                }
            case ("s", 1): return WordPoly.Scalar(Polynomial.Var($"s_{Pair(n)}"));
            case ("u", 1): return WordPoly.Of(Vector("u", Pair(n)));
            case ("v", 1): return WordPoly.Of(Vector("v", Pair(n)));
            case ("d", 1): return WordPoly.Scalar(network.Size(Index(n.Indices[0])).AsScalar());
            case ("w", 1): return WordPoly.Of(Unit(Index(n.Indices[0])));
            case ("P", 0): return network.EndToEnd;
            case ("E", 0): return network.Residual;
            case ("L", 0): return network.Loss;
            case ("Z", 0): return WordPoly.Of(network.Target);
            case ("a", 0): return Product(LayerIndex.Top(), OneNeuron(n).Plus(1), n.Position);
            case ("b", 0): return Product(OneNeuron(n), LayerIndex.Constant(1), n.Position).Transpose();
        }
        if (n.Indices.Count == 2) throw new ClaimException($"entries such as {n.Name}[r,c] have no meaning at all sizes; use T(u[i]) * {n.Name} * v[i]", n.Position);
        throw new ClaimException($"'{n.Name}' has no meaning at all sizes (known: W[j], prod, P, E, L, Z, C[j], a, b, s[i], u[i], v[i], d[i], let-definitions)", n.Position);
    }

    private LayerIndex OneNeuron(NameExpr n) =>
        network.OneNeuron ?? throw new ClaimException($"'{n.Name}' is a factor of P at the one-neuron layer: add requires = \"one-neuron\"", n.Position);

    private string Pair(NameExpr n) => n.Indices[0] switch
    {
        NumberExpr { Value.IsInteger: true } x => Record(x.Value.ToString()),
        NameExpr { Indices.Count: 0 } x when indices.Contains(x.Name) => Record(x.Name),
        _ => throw new ClaimException($"{n.Name}[...] takes a number or a loop variable at all sizes", n.Position),
    };

    private string Record(string i)
    {
        _pairs.Add(i);
        _constants.Add(Vector("u", i));
        _constants.Add(Vector("v", i));
        return i;
    }

    /// <summary>w_e: a unit vector of size d_e (the balanced ansatz's directions; w_N = x, w_0 = y), with the fact w_e^T w_e = 1.</summary>
    private MatrixSymbol Unit(LayerIndex e)
    {
        var i = network.Normal(e);
        var s = new MatrixSymbol($"w_{i.Subscript}", network.Size(i), Dim.One);
        _units[s.Name] = s;
        _constants.Add(s);
        return s;
    }

    private MatrixSymbol Vector(string name, string i) =>
        new($"{name}_{(i.Length == 1 ? i : "{" + i + "}")}", name == "u" ? network.Target.Rows : network.Target.Cols, Dim.One);

    private WordPoly Layer(LayerIndex i, int position) =>
        network.Layer(i) is { } p ? WordPoly.Of(p.Symbol)
            : throw new ClaimException($"W[{i}] is inside a block at all sizes (the kept layers are {string.Join(", ", network.Pieces.Where(x => !x.IsBlock).Select(x => x.Symbol.Name))})", position);

    private WordPoly Product(LayerIndex hi, LayerIndex lo, int position) =>
        network.Product(hi, lo) ?? throw new ClaimException($"prod({hi}, {lo}) splits a block at all sizes (the pieces are {string.Join(" ", network.Pieces.Select(p => p.Symbol.Name))})", position);

    private MatrixSymbol Kept(Expr e) => e switch
    {
        NameExpr { Name: "W", Indices.Count: 1 } n => network.Layer(Index(n.Indices[0]))?.Symbol ?? throw new ClaimException($"W[{Index(n.Indices[0])}] is inside a block at all sizes", n.Position),
        _ => throw new ClaimException("flow(...) and grad(...) take a layer W[j] at all sizes", e.Position),
    };

    private WordPoly Call(CallExpr c)
    {
        void Arity(int n)
        {
            if (c.Arguments.Count != n) throw new ClaimException($"{c.Function}(...) takes {n} argument(s), got {c.Arguments.Count}", c.Position);
        }
        switch (c.Function)
        {
            case "T": Arity(1); return Evaluate(c.Arguments[0]).Transpose();
            case "tr": Arity(1); return Evaluate(c.Arguments[0]).Trace();
            case "norm2": Arity(1); return Evaluate(c.Arguments[0]).Norm2();
            case "prod": Arity(2); return Product(Index(c.Arguments[0]), Index(c.Arguments[1]), c.Position);
            case "flow": Arity(1); return network.Flow(Kept(c.Arguments[0]));
            case "grad": Arity(1); return -network.Flow(Kept(c.Arguments[0]));
            case "minor2":
                {
                    Arity(1);
                    var m = Evaluate(c.Arguments[0]);
                    MatrixSymbol Test(string name, Dim d)
                    {
                        var s = new MatrixSymbol(name, d, Dim.One);
                        _constants.Add(s);
                        return s;
                    }
                    var (x1, x2, y1, y2) = (WordPoly.Of(Test("x_1", m.Rows)), WordPoly.Of(Test("x_2", m.Rows)), WordPoly.Of(Test("y_1", m.Cols)), WordPoly.Of(Test("y_2", m.Cols)));
                    WordPoly At(WordPoly x, WordPoly y) => x.Transpose() * m * y;
                    return At(x1, y1) * At(x2, y2) - At(x1, y2) * At(x2, y1);
                }
            case "sqrt": throw new ClaimException("at all sizes sqrt(...) may only be a whole let-definition (mu = \"sqrt(...)\"), so its root has a name", c.Position);
            case "lie": throw new ClaimException("at all sizes lie(...) may only be the whole left side of an equation", c.Position);
            case "sum": throw new ClaimException("at all sizes sum(...) may only be a whole side of an equation (or its negation)", c.Position);
            default: throw new ClaimException($"'{c.Function}' has no meaning at all sizes", c.Position);
        }
    }

    private WordPoly Binary(BinaryExpr b)
    {
        var left = Evaluate(b.Left);
        if (b.Operator == "^")
        {
            if (b.Right is not NumberExpr { Value.IsInteger: true } r || r.Value.Sign < 0 || r.Value.Numerator > 64 || !left.IsScalar)
                throw new ClaimException("'^' takes a scalar and a natural number", b.Position);
            var acc = WordPoly.Scalar(Rational.One);
            for (int i = 0; i < (int)r.Value.Numerator; i++) acc = Bounded(acc * left, b.Position);
            return acc;
        }
        var right = Evaluate(b.Right);
        try
        {
            return b.Operator switch
            {
                "+" => left + right,
                "-" => left - right,
                "*" => left * right,
                "/" when right is { IsScalar: true } d && d.ScalarPart.IsConstant && !d.ScalarPart.ConstantTerm.IsZero => left.Scale(Polynomial.Constant(Rational.One / d.ScalarPart.ConstantTerm)),
                "/" => throw new ClaimException("at all sizes '/' divides by a non-zero number only", b.Position),
                _ => throw new ClaimException($"'{b.Operator}' makes a formula, which cannot be used as a value here", b.Position),
            };
        }
        catch (WordShapeException x) { throw new ClaimException($"shape mismatch at all sizes: {x.Message}", b.Position); }
    }

    /// <summary>A let-definition, once; sqrt(R) as a whole definition becomes a named root with R's sum-of-squares certificate.</summary>
    private WordPoly Let(NamedExpr def)
    {
        if (_lets.TryGetValue(def.Name, out var known)) return known;
        if (!_evaluating.Add(def.Name)) throw new ClaimException($"the definition of '{def.Name}' refers to itself", 0) { Line = def.Line };
        try
        {
            WordPoly value;
            if (def.Expression is CallExpr { Function: "sqrt", Arguments.Count: 1 } root)
            {
                var radicand = Evaluate(root.Arguments[0]);
                if (!radicand.IsScalar) throw new ClaimException("sqrt takes a scalar", root.Position);
                if (def.Name.StartsWith("s_", StringComparison.Ordinal) || def.Name.StartsWith("d_", StringComparison.Ordinal))
                    throw new ClaimException($"'{def.Name}' is spelled like a parameter of the all-sizes calculus (s_i a singular value, d_i a width); give the root another name", root.Position);
                var variable = Variable.Of(def.Name);
                _roots.Add(new WordRoot(variable, radicand.ScalarPart, SumOfSquares(root.Arguments[0])));
                value = WordPoly.Scalar(Polynomial.Var(variable));
            }
            else value = Evaluate(def.Expression);
            _lets[def.Name] = value;
            return value;
        }
        catch (ClaimException e) when (e.Line is null) { throw new ClaimException(e.Message, e.Position) { Line = def.Line }; }
        finally { _evaluating.Remove(def.Name); }
    }

    /// <summary>The terms w q^2 of a radicand written as a sum of (positively weighted) squares; empty when it is not written so.</summary>
    private List<(Rational, Polynomial)> SumOfSquares(Expr e)
    {
        var terms = new List<(Rational, Polynomial)>();
        bool Visit(Expr x, Rational weight)
        {
            switch (x)
            {
                case BinaryExpr { Operator: "+" } s: return Visit(s.Left, weight) && Visit(s.Right, weight);
                case BinaryExpr { Operator: "/", Right: NumberExpr n } d when n.Value.Sign > 0: return Visit(d.Left, weight / n.Value);
                case BinaryExpr { Operator: "*", Left: NumberExpr n } m when n.Value.Sign > 0: return Visit(m.Right, weight * n.Value);
                case BinaryExpr { Operator: "^", Right: NumberExpr { Value.IsInteger: true } p } sq when p.Value == 2:
                    var q = Evaluate(sq.Left);
                    if (!q.IsScalar) return false;
                    terms.Add((weight, q.ScalarPart));
                    return true;
                case NumberExpr n when n.Value.Sign >= 0: terms.Add((n.Value * weight, Polynomial.One)); return true;
                default: return false;
            }
        }
        return Visit(e, Rational.One) ? terms : [];
    }
}
