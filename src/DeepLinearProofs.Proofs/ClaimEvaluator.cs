using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>A claim expression that cannot be evaluated on a network; <see cref="Position"/> is its column.</summary>
public sealed class ClaimException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// Evaluates lemma-language expressions on a <see cref="NetworkModel"/> to polynomial matrices
/// (scalars are 1x1). Names: W[j] or Wj, P, E, L, Z, C[j], a, b, N, k, d[i], I[n], X, Y, Sigma,
/// Sigmahalf; functions: lie, flow, grad, prod, tr, T, norm2, minor2, sum. See proofs/README.md.
/// </summary>
public sealed partial class ClaimEvaluator(NetworkModel model, IReadOnlyDictionary<string, int> bound)
{
    public const string KnownNames = "W[j] (or W1..WN), P, E, L, Z, C[j], a, b, N, k, d[i], I[n], X, Y, Sigma, Sigmahalf, and loop variables";
    public const string KnownFunctions = "lie, flow, grad, prod, tr, T, norm2, minor2, sum";

    [GeneratedRegex(@"^W(\d+)$")]
    private static partial Regex NumberedWeight();

    public ClaimEvaluator With(string variable, int value)
    {
        var b = new Dictionary<string, int>(bound) { [variable] = value };
        return new ClaimEvaluator(model, b);
    }

    public PolyMatrix Evaluate(Expr e)
    {
        try
        {
            return e switch
            {
                NumberExpr n => PolyMatrix.Scalar(Polynomial.Constant(n.Value)),
                NameExpr n => Name(n),
                CallExpr c => Call(c),
                NegateExpr n => -Evaluate(n.Operand),
                TransposeExpr t => Evaluate(t.Operand).Transpose(),
                BinaryExpr b => Binary(b),
                _ => throw new ClaimException("unsupported expression", e.Position),
            };
        }
        catch (ShapeMismatchException ex)
        {
            throw new ClaimException($"shape mismatch: {ex.Message}", e.Position);
        }
        catch (NetworkInputException ex)
        {
            throw new ClaimException(ex.Message, e.Position);
        }
    }

    /// <summary>An integer-valued index expression: literals, loop variables, N, k, d[i], + - *.</summary>
    public int Index(Expr e) => e switch
    {
        NumberExpr n when n.Value.IsInteger => (int)n.Value.Numerator,
        NumberExpr n => throw new ClaimException($"index {n.Value} is not an integer", n.Position),
        NameExpr { Indices.Count: 0 } n when bound.TryGetValue(n.Name, out var v) => v,
        NameExpr { Name: "N", Indices.Count: 0 } => model.Depth,
        NameExpr { Name: "k", Indices.Count: 0 } => model.RequireOneNeuron(),
        NameExpr { Name: "d", Indices.Count: 1 } n => Width(Index(n.Indices[0]), n.Position),
        NegateExpr n => -Index(n.Operand),
        BinaryExpr { Operator: "+" } b => Index(b.Left) + Index(b.Right),
        BinaryExpr { Operator: "-" } b => Index(b.Left) - Index(b.Right),
        BinaryExpr { Operator: "*" } b => Index(b.Left) * Index(b.Right),
        NameExpr n => throw new ClaimException($"'{n.Name}' is not an integer index; indices use numbers, loop variables, N, k and d[i]", n.Position),
        _ => throw new ClaimException("an index must be an integer expression such as j+1 or N-1", e.Position),
    };

    private int Width(int i, int position) =>
        i >= 0 && i <= model.Depth ? model.Architecture.Width(i) : throw new ClaimException($"d[{i}] is out of range 0..{model.Depth}", position);

    private PolyMatrix Name(NameExpr n)
    {
        if (n.Indices.Count == 0 && (bound.ContainsKey(n.Name) || n.Name is "N" or "k"))
            return PolyMatrix.Scalar(Polynomial.Constant(Index(n)));
        var numbered = NumberedWeight().Match(n.Name);
        if (numbered.Success)
            return Entry(Weight(int.Parse(numbered.Groups[1].Value), n.Position), n);
        switch (n.Name, n.Indices.Count)
        {
            case ("W", 1): return Weight(Index(n.Indices[0]), n.Position);
            case ("C", 1):
                {
                    int j = Index(n.Indices[0]);
                    if (j < 1 || j > model.Depth - 1) throw new ClaimException($"C[{j}] is out of range: imbalances are C[1]..C[{model.Depth - 1}]", n.Position);
                    return model.Imbalance(j);
                }
            case ("d", 1): return PolyMatrix.Scalar(Polynomial.Constant(Index(n)));
            case ("I", 1): return PolyMatrix.Identity(Math.Max(0, Index(n.Indices[0])));
        }
        var value = n.Name switch
        {
            "P" => model.EndToEnd,
            "E" => model.Residual,
            "L" => PolyMatrix.Scalar(model.Loss),
            "Z" => model.TargetMatrix,
            "a" => model.OutputFactor,
            "b" => model.InputFactor,
            "X" => Data(n).XMatrix,
            "Y" => Data(n).YMatrix,
            "Sigma" => Data(n).Sigma,
            "Sigmahalf" => Data(n).SqrtSigma ?? throw new ClaimException("Sigma^{1/2} is not rational for this data", n.Position),
            _ => throw new ClaimException($"unknown name '{n.Name}'; known names: {KnownNames}", n.Position),
        };
        return Entry(value, n);
    }

    private DataTarget Data(NameExpr n) =>
        model.Target as DataTarget ?? throw new ClaimException($"'{n.Name}' exists only for data targets (target = \"data(X=..., Y=...)\")", n.Position);

    /// <summary>M[r,c] with 1-based indices selects an entry; no indices keeps the matrix.</summary>
    private PolyMatrix Entry(PolyMatrix m, NameExpr n)
    {
        if (n.Indices.Count == 0) return m;
        if (n.Indices.Count != 2) throw new ClaimException($"'{n.Name}' takes two indices [row,col] to select an entry", n.Position);
        int r = Index(n.Indices[0]), c = Index(n.Indices[1]);
        if (r < 1 || r > m.Rows || c < 1 || c > m.Cols)
            throw new ClaimException($"{n.Name}[{r},{c}] is out of range: {n.Name} is {m.Rows}x{m.Cols} (indices start at 1)", n.Position);
        return PolyMatrix.Scalar(m[r - 1, c - 1]);
    }

    private PolyMatrix Weight(int j, int position) =>
        j >= 1 && j <= model.Depth ? model.Weight(j) : throw new ClaimException($"W[{j}] is out of range: layers are W[1]..W[{model.Depth}]", position);

    private int WeightIndexOf(Expr e) => e switch
    {
        NameExpr { Name: "W", Indices.Count: 1 } n => Layer(Index(n.Indices[0]), n.Position),
        NameExpr { Indices.Count: 0 } n when NumberedWeight().Match(n.Name) is { Success: true } m => Layer(int.Parse(m.Groups[1].Value), n.Position),
        _ => throw new ClaimException("flow(...) and grad(...) take a layer such as W[j] or W2", e.Position),
    };

    private int Layer(int j, int position) =>
        j >= 1 && j <= model.Depth ? j : throw new ClaimException($"W[{j}] is out of range: layers are W[1]..W[{model.Depth}]", position);

    private PolyMatrix Call(CallExpr c)
    {
        void Arity(int n)
        {
            if (c.Arguments.Count != n) throw new ClaimException($"{c.Function}(...) takes {n} argument{(n == 1 ? "" : "s")}, got {c.Arguments.Count}", c.Position);
        }
        switch (c.Function)
        {
            case "lie": Arity(1); return model.Lie(Evaluate(c.Arguments[0]));
            case "flow": Arity(1); return model.Flow(WeightIndexOf(c.Arguments[0]));
            case "grad": Arity(1); return model.LossGradient(WeightIndexOf(c.Arguments[0]));
            case "prod": Arity(2); return Product(Index(c.Arguments[0]), Index(c.Arguments[1]), c.Position);
            case "tr": Arity(1); return PolyMatrix.Scalar(Evaluate(c.Arguments[0]).Trace());
            case "T": Arity(1); return Evaluate(c.Arguments[0]).Transpose();
            case "norm2": Arity(1); return PolyMatrix.Scalar(Evaluate(c.Arguments[0]).FrobeniusNormSquared());
            case "minor2": Arity(1); return Evaluate(c.Arguments[0]).Minors2();
            case "sum": return Sum(c);
            default: throw new ClaimException($"unknown function '{c.Function}'; known functions: {KnownFunctions}", c.Position);
        }
    }

    private PolyMatrix Product(int i, int j, int position)
    {
        if (i > model.Depth || j < 1 || i < j - 1)
            throw new ClaimException($"prod({i},{j}) = W_{{{i}:{j}}} needs 1 <= j, i <= N = {model.Depth} and i >= j-1 (i = j-1 gives the identity)", position);
        return model.Product(i, j);
    }

    /// <summary>sum(j, from, to, expr): the sum of expr over j = from..to (zero when empty is not allowed: the shape is unknown).</summary>
    private PolyMatrix Sum(CallExpr c)
    {
        if (c.Arguments.Count != 4 || c.Arguments[0] is not NameExpr { Indices.Count: 0 } loop)
            throw new ClaimException("sum takes (variable, from, to, expression), e.g. sum(i, 1, N, norm2(grad(W[i])))", c.Position);
        int from = Index(c.Arguments[1]), to = Index(c.Arguments[2]);
        if (to < from) throw new ClaimException($"sum over the empty range {from}..{to}", c.Position);
        PolyMatrix? total = null;
        for (int i = from; i <= to; i++)
        {
            var term = With(loop.Name, i).Evaluate(c.Arguments[3]);
            total = total is null ? term : total + term;
        }
        return total!;
    }

    private PolyMatrix Binary(BinaryExpr b)
    {
        if (b.Operator == "==") throw new ClaimException("'==' may only appear once, at the top of a claim", b.Position);
        var left = Evaluate(b.Left);
        if (b.Operator == "^")
        {
            int exponent;
            try { exponent = PolynomialReader.NaturalExponent(b.Right); }
            catch (ExprSyntaxException ex) { throw new ClaimException(ex.Message, ex.Position); }
            if (!left.IsScalar) throw new ClaimException("'^' applies to scalars; use products for matrices", b.Position);
            return PolyMatrix.Scalar(left[0, 0].Pow(exponent));
        }
        var right = Evaluate(b.Right);
        try
        {
            switch (b.Operator)
            {
                case "+": return left + right;
                case "-": return left - right;
                case "*":
                    if (left.IsScalar) return right.Scale(left[0, 0]);
                    if (right.IsScalar) return left.Scale(right[0, 0]);
                    return left * right;
                case "/":
                    if (!right.IsScalar || !right[0, 0].IsConstant || right[0, 0].IsZero)
                        throw new ClaimException("division is only by a non-zero constant", b.Position);
                    return left.Scale(Polynomial.Constant(right[0, 0].ConstantTerm.Reciprocal()));
                default: throw new ClaimException($"unknown operator '{b.Operator}'", b.Position);
            }
        }
        catch (ShapeMismatchException ex)
        {
            throw new ClaimException($"shape mismatch: {ex.Message}", b.Position);
        }
    }
}
