using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>A claim expression that cannot be evaluated on a network; <see cref="Position"/> is its column.</summary>
public sealed class ClaimException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;

    /// <summary>The 1-based line of the lemma file, when known where the error was raised (a let-definition's own line).</summary>
    public int? Line { get; init; }

    /// <summary>Runs an evaluation of the expression on <paramref name="line"/>, so an error without a line gets that one.</summary>
    public static T At<T>(int line, Func<T> evaluate)
    {
        try { return evaluate(); }
        catch (ClaimException e) when (e.Line is null) { throw new ClaimException(e.Message, e.Position) { Line = line }; }
    }
}

/// <summary>
/// Evaluates lemma-language expressions on a <see cref="NetworkModel"/> to polynomial matrices
/// (scalars are 1x1). Names: W[j] or Wj, P, E, L, Z, C[j], a, b, N, k, d[i], I[n], X, Y, Sigma,
/// Sigmahalf; functions: lie, flow, grad, prod, tr, T, norm2, minor2, sum. See proofs/README.md.
/// </summary>
/// <remarks>
/// <see cref="Guard"/> is the condition under which the expression being evaluated matters (from the and / or / =&gt; around
/// it); a square root met here must be defined where the guard holds, and the kernel proves it.
/// </remarks>
public sealed partial class ClaimEvaluator(NetworkModel model, IReadOnlyDictionary<string, int> bound, ClaimScope? scope = null, Formula? guard = null)
{
    public ClaimScope Scope { get; } = scope ?? new ClaimScope();
    public Formula Guard { get; } = guard ?? Formula.True;

    public const string KnownNames = "W[j] (or W1..WN), P, E, L, Lstar, Z, C[j], a, b, N, k, d[i], I[n], s[i], u[i], v[i], X, Y, Sigma, Sigmahalf, let-definitions and loop variables";
    public const string KnownFunctions = "lie, flow, grad, prod, tr, T, norm2, minor2, sum, sqrt; in formulas also any, all";

    [GeneratedRegex(@"^W(\d+)$")]
    private static partial Regex NumberedWeight();

    public ClaimEvaluator With(string variable, int value)
    {
        var b = new Dictionary<string, int>(bound) { [variable] = value };
        return new ClaimEvaluator(model, b, Scope, Guard);
    }

    /// <summary>The same bindings and guard over another scope (the rank-one restatement).</summary>
    public ClaimEvaluator In(ClaimScope other) => new(model, bound, other, Guard);

    /// <summary>The same evaluator for a part that matters only where <paramref name="condition"/> also holds.</summary>
    public ClaimEvaluator Guarded(Formula condition) =>
        new(model, bound, Scope, Guard is AndFormula { Parts.Count: 0 } ? condition : Formula.And(Guard, condition));

    private string Binding => string.Join(",", bound.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={b.Value}"));

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
                NotExpr n => throw new ClaimException("'not' makes a formula, which cannot be used as a value here", n.Position),
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

    /// <summary>Loops (each, sum, any, all) and identity sizes are bounded, so a typo cannot ask for 10^11 steps.</summary>
    public const int MaxRange = 10_000;

    /// <summary>An integer-valued index expression: literals, loop variables, N, k, d[i], + - * (checked: no wrap-around).</summary>
    public int Index(Expr e)
    {
        try { return checked(IndexUnchecked(e)); }
        catch (OverflowException) { throw new ClaimException($"the index is too large (beyond {int.MaxValue})", e.Position); }
    }

    /// <summary>from..to of a loop, at most <see cref="MaxRange"/> values.</summary>
    public (int From, int To) Range(Expr from, Expr to, int position)
    {
        int a = Index(from), b = Index(to);
        if ((long)b - a + 1 > MaxRange) throw new ClaimException($"the range {a}..{b} has more than {MaxRange} values", position);
        return (a, b);
    }

    private int IndexUnchecked(Expr e) => e switch
    {
        NumberExpr n when n.Value.IsInteger => n.Value.Numerator >= int.MinValue && n.Value.Numerator <= int.MaxValue ? (int)n.Value.Numerator : throw new OverflowException(),
        NumberExpr n => throw new ClaimException($"index {n.Value} is not an integer", n.Position),
        NameExpr { Indices.Count: 0 } n when bound.TryGetValue(n.Name, out var v) => v,
        NameExpr { Name: "N", Indices.Count: 0 } => model.Depth,
        NameExpr { Name: "k", Indices.Count: 0 } => model.RequireOneNeuron(),
        NameExpr { Name: "d", Indices.Count: 1 } n => Width(Index(n.Indices[0]), n.Position),
        NegateExpr n => checked(-IndexUnchecked(n.Operand)),
        BinaryExpr { Operator: "+" } b => checked(IndexUnchecked(b.Left) + IndexUnchecked(b.Right)),
        BinaryExpr { Operator: "-" } b => checked(IndexUnchecked(b.Left) - IndexUnchecked(b.Right)),
        BinaryExpr { Operator: "*" } b => checked(IndexUnchecked(b.Left) * IndexUnchecked(b.Right)),
        NameExpr n => throw new ClaimException($"'{n.Name}' is not an integer index; indices use numbers, loop variables, N, k and d[i]", n.Position),
        _ => throw new ClaimException("an index must be an integer expression such as j+1 or N-1", e.Position),
    };

    private int Width(int i, int position) =>
        i >= 0 && i <= model.Depth ? model.Architecture.Width(i) : throw new ClaimException($"d[{i}] is out of range 0..{model.Depth}", position);

    private PolyMatrix Name(NameExpr n)
    {
        if (Scope.IsDefined(n.Name) && !bound.ContainsKey(n.Name))
            return Entry(Scope.Definition(n.Name, Binding, Guard, d => Evaluate(d.Expression)), n);
        if (Scope.RankOne is { } rankOne && n.Name is "P" or "E" or "L" or "a" or "b")
        {
            // The restatement over P = a b^T, with the loss as the target defines it (data targets keep their constant);
            // the kernel's rank-one rule checks that every polynomial is the same function after a, b := a(W), b(W).
            var p = rankOne.A * rankOne.B.Transpose();
            return Entry(n.Name switch
            {
                "P" => p,
                "E" => model.TargetMatrix - p,
                "L" => PolyMatrix.Scalar(NetworkModel.LossOf(model.Target, model.Architecture, p)),
                "a" => rankOne.A,
                _ => rankOne.B,
            }, n);
        }
        if (Scope.RankOne is not null && (n.Name is "W" or "C" || NumberedWeight().IsMatch(n.Name)))
            throw new ClaimException($"'{n.Name}' is not available under the rank-one reduction, which replaces the weights by P = a b^T; state the claim with P, E, L, a, b or drop the reduction", n.Position);
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
            case ("s", 1): return PolyMatrix.Scalar(Polynomial.Constant(SingularValue(Index(n.Indices[0]), n.Position)));
            case ("u", 1): return UnitVector(left: true, Index(n.Indices[0]), n.Position);
            case ("v", 1): return UnitVector(left: false, Index(n.Indices[0]), n.Position);
            case ("Lstar", 0):
                {
                    // L* = min L = 1/2 sum_{i>r} s_i^2 = 1/2 (||Z||^2 - sum_{i<=r} s_i^2), r = min_j d_j the largest rank P can
                    // have (Eckart-Young); with a one-neuron layer r = 1 and L* = 1/2 (||Z||^2 - s_1^2) (T6). Widening a layer
                    // (dlp check --drop one-neuron) therefore lowers L* with it.
                    var svd = model.Target.ExactSvd(model.Architecture);
                    var values = svd.Decomposition?.Values ?? throw new ClaimException(svd.Unavailable!, n.Position);
                    int rank = Enumerable.Range(0, model.Architecture.Depth + 1).Min(model.Architecture.Width);
                    var kept = values.Take(rank).Aggregate(Rational.Zero, (acc, v) => acc + v * v);
                    return PolyMatrix.Scalar((model.TargetMatrix.FrobeniusNormSquared() - Polynomial.Constant(kept)) * Polynomial.Constant(Rational.Create(1, 2)));
                }
            case ("I", 1):
                {
                    int size = Index(n.Indices[0]);
                    if (size < 1) throw new ClaimException($"I[{size}] has no entries: the identity needs a size of at least 1", n.Position);
                    if (size > Architecture.MaxWidth) throw new ClaimException($"I[{size}] is larger than the widest layer allowed ({Architecture.MaxWidth})", n.Position);
                    return PolyMatrix.Identity(size);
                }
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

    /// <summary>s_i of the target's exact SVD: sorted non-increasing and non-negative, zeros padded to min(d_0, d_N).</summary>
    private Rational SingularValue(int i, int position)
    {
        var svd = model.Target.ExactSvd(model.Architecture);
        var values = svd.Decomposition?.Values ?? throw new ClaimException(svd.Unavailable!, position);
        if (i < 1 || i > values.Count) throw new ClaimException($"s[{i}] is out of range 1..{values.Count}", position);
        return values[i - 1];
    }

    /// <summary>u_i in R^{d_N} (left) or v_i in R^{d_0} (right) of the exact SVD, so that Z = sum_i s_i u_i v_i^T.</summary>
    private PolyMatrix UnitVector(bool left, int i, int position)
    {
        var svd = model.Target.ExactSvd(model.Architecture);
        var d = svd.Decomposition ?? throw new ClaimException(svd.Unavailable!, position);
        var vectors = left ? d.Left : d.Right;
        if (i < 1 || i > vectors.Count)
            throw new ClaimException($"{(left ? "u" : "v")}[{i}] is out of range 1..{vectors.Count} ({(left ? "u_i are in R^{d_N}" : "v_i are in R^{d_0}")})", position);
        var v = vectors[i - 1];
        return PolyMatrix.Create(v.Count, 1, (r, _) => Polynomial.Constant(v[r]));
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
            case "lie": Arity(1); RequireWeights(c); return Lie(Evaluate(c.Arguments[0]), c);
            case "flow": Arity(1); RequireWeights(c); return model.Flow(WeightIndexOf(c.Arguments[0]));
            case "grad": Arity(1); RequireWeights(c); return model.LossGradient(WeightIndexOf(c.Arguments[0]));
            case "prod": Arity(2); return Product(Index(c.Arguments[0]), Index(c.Arguments[1]), c.Position);
            case "tr": Arity(1); return PolyMatrix.Scalar(Evaluate(c.Arguments[0]).Trace());
            case "T": Arity(1); return Evaluate(c.Arguments[0]).Transpose();
            case "norm2": Arity(1); return PolyMatrix.Scalar(Evaluate(c.Arguments[0]).FrobeniusNormSquared());
            case "minor2": Arity(1); return Evaluate(c.Arguments[0]).Minors2();
            case "sum": return Sum(c);
            case "sqrt":
                {
                    Arity(1);
                    var x = Evaluate(c.Arguments[0]);
                    if (!x.IsScalar) throw new ClaimException("sqrt takes a scalar", c.Position);
                    var p = x[0, 0];
                    if (p.IsConstant && p.ConstantTerm.TrySqrt() is { } root) return PolyMatrix.Scalar(Polynomial.Constant(root));
                    if (p.IsConstant && p.ConstantTerm.Sign < 0) throw new ClaimException($"sqrt of the negative constant {p.ConstantTerm}", c.Position);
                    return PolyMatrix.Scalar(Scope.SquareRoot(p, Guard));
                }
            default: throw new ClaimException($"unknown function '{c.Function}'; known functions: {KnownFunctions}", c.Position);
        }
    }

    /// <summary>
    /// Lie derivative along the flow. d sqrt(R)/dt = (dR/dt) / (2 sqrt(R)) is not polynomial, so an expression with a square
    /// root is differentiated only when every root in it (and in its radicand, transitively) has a conserved radicand,
    /// L_F R = 0 exactly: then the root is constant along the flow. Otherwise lie() refuses.
    /// </summary>
    private PolyMatrix Lie(PolyMatrix m, CallExpr c)
    {
        var radicands = Scope.AuxiliaryRadicands;
        var todo = new Stack<Variable>(m.Entries().SelectMany(p => p.Variables()).Distinct());
        var seen = new HashSet<Variable>();
        while (todo.Count > 0)
        {
            var v = todo.Pop();
            if (!seen.Add(v) || !radicands.TryGetValue(v, out var radicand)) continue;
            if (!model.Lie(radicand).IsZero)
                throw new ClaimException($"lie() of an expression with sqrt({radicand}) needs a conserved radicand: d sqrt(R)/dt = (dR/dt)/(2 sqrt(R)) is not polynomial here; square the expression out instead", c.Position);
            foreach (var w in radicand.Variables()) todo.Push(w);
        }
        return model.Lie(m);
    }

    private void RequireWeights(CallExpr c)
    {
        if (Scope.RankOne is not null)
            throw new ClaimException($"{c.Function}(...) needs the weights, which the rank-one reduction removes; drop the reduction", c.Position);
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
        var (from, to) = Range(c.Arguments[1], c.Arguments[2], c.Position);
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
        if (b.Operator is "==" or "!=" or "<" or "<=" or ">" or ">=" or "and" or "or" or "=>")
            throw new ClaimException($"'{b.Operator}' makes a formula, which cannot be used as a value here", b.Position);
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

    /// <summary>
    /// A formula: relations compare values entrywise (== all entries, != some entry; &lt; &lt;= &gt; &gt;= need
    /// scalars; a scalar on one side is broadcast), combined with and, or, not, =&gt;.
    /// </summary>
    public Formula EvaluateFormula(Expr e)
    {
        switch (e)
        {
            case NotExpr n: return Formula.Not(EvaluateFormula(n.Operand));
            case BinaryExpr { Operator: "and" } b:
                {
                    var left = EvaluateFormula(b.Left);
                    return Formula.And(left, Guarded(left).EvaluateFormula(b.Right));
                }
            case CallExpr { Function: "any" or "all" } q:
                {
                    if (q.Arguments.Count != 4 || q.Arguments[0] is not NameExpr { Indices.Count: 0 } loop)
                        throw new ClaimException($"{q.Function} takes (variable, from, to, formula), e.g. any(i, 1, d[0], P == s[i]*u[i]*T(v[i]))", q.Position);
                    var (from, to) = Range(q.Arguments[1], q.Arguments[2], q.Position);
                    var parts = Enumerable.Range(from, Math.Max(0, to - from + 1)).Select(i => With(loop.Name, i).EvaluateFormula(q.Arguments[3])).ToList();
                    return q.Function == "any" ? Formula.Or(parts) : Formula.And(parts);
                }
            case BinaryExpr { Operator: "or" } b:
                {
                    var left = EvaluateFormula(b.Left);
                    return Formula.Or(left, Guarded(Formula.Not(left)).EvaluateFormula(b.Right));
                }
            case BinaryExpr { Operator: "=>" } b:
                {
                    var premise = EvaluateFormula(b.Left);
                    return Formula.Implies(premise, Guarded(premise).EvaluateFormula(b.Right));
                }
            case BinaryExpr { Operator: "==" or "!=" or "<" or "<=" or ">" or ">=" } b:
                {
                    var (l, r) = Broadcast(Evaluate(b.Left), Evaluate(b.Right), b);
                    var atoms = new List<Formula>();
                    var relation = b.Operator switch
                    {
                        "==" => Relation.Eq, "!=" => Relation.Ne, "<" => Relation.Lt, "<=" => Relation.Le, ">" => Relation.Gt, _ => Relation.Ge,
                    };
                    if (relation is not (Relation.Eq or Relation.Ne) && !l.IsScalar)
                        throw new ClaimException($"'{b.Operator}' compares scalars, not {l.Rows}x{l.Cols} matrices", b.Position);
                    for (int i = 0; i < l.Rows; i++)
                        for (int j = 0; j < l.Cols; j++) atoms.Add(Formula.Atom(l[i, j] - r[i, j], relation));
                    return relation == Relation.Ne ? Formula.Or(atoms) : Formula.And(atoms);
                }
            default:
                throw new ClaimException("expected a formula: a relation such as L >= 1 or P == 0, possibly combined with and, or, not, =>", e.Position);
        }
    }

    private static (PolyMatrix, PolyMatrix) Broadcast(PolyMatrix l, PolyMatrix r, BinaryExpr at)
    {
        if (l.Rows == r.Rows && l.Cols == r.Cols) return (l, r);
        if (r.IsScalar) return (l, PolyMatrix.Create(l.Rows, l.Cols, (_, _) => r[0, 0]));
        if (l.IsScalar) return (PolyMatrix.Create(r.Rows, r.Cols, (_, _) => l[0, 0]), r);
        throw new ClaimException($"shape mismatch: '{at.Operator}' compares a {l.Rows}x{l.Cols} with a {r.Rows}x{r.Cols} matrix", at.Position);
    }
}
