using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// What one evaluation of a claim shares: the let-definitions (evaluated only where they are used, once per binding of the
/// loop variables), the square roots met on the way with the guards under which each is evaluated (the kernel proves the
/// radicand &gt;= 0 there: a partial operation is an obligation, never an assumption), and the rank-one factors when the
/// claim is being restated over P = a b^T.
/// </summary>
public sealed class ClaimScope(IReadOnlyList<NamedExpr>? definitions = null)
{
    private sealed class RootEntry(Variable root, Polynomial radicand)
    {
        public Variable Root { get; } = root;
        public Polynomial Radicand { get; } = radicand;
        public List<Formula> Guards { get; } = [];
    }

    /// <summary>How deep let-definitions may refer to each other (each level costs stack).</summary>
    public const int MaxNesting = 256;

    private readonly Dictionary<string, NamedExpr> _definitions = (definitions ?? []).GroupBy(d => d.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    private readonly Dictionary<string, (PolyMatrix Value, HashSet<Variable> Roots)> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly Stack<HashSet<Variable>> _collecting = new();
    private readonly List<RootEntry> _roots = [];

    /// <summary>Set for the rank-one restatement: the columns a (d_N x 1) and b (d_0 x 1) with P = a b^T.</summary>
    public (PolyMatrix A, PolyMatrix B)? RankOne { get; init; }

    public bool IsDefined(string name) => _definitions.ContainsKey(name);

    /// <summary>The square roots met so far, each guarded by the disjunction of the contexts it was used in.</summary>
    public IReadOnlyList<SquareRoot> Roots => _roots.Select(r => new SquareRoot(r.Root, r.Radicand,
        r.Guards.Any(g => g is AndFormula { Parts.Count: 0 }) ? Formula.True : r.Guards.Count == 1 ? r.Guards[0] : Formula.Or(r.Guards))).ToList();

    /// <summary>Auxiliary root variable to its radicand.</summary>
    public IReadOnlyDictionary<Variable, Polynomial> AuxiliaryRadicands => _roots.ToDictionary(r => r.Root, r => r.Radicand);

    /// <summary>The variable standing for sqrt(radicand) where <paramref name="guard"/> holds (one variable per radicand).</summary>
    public Polynomial SquareRoot(Polynomial radicand, Formula guard)
    {
        var entry = _roots.FirstOrDefault(r => r.Radicand == radicand);
        if (entry is null)
        {
            entry = new RootEntry(Variable.Of($"sqrt{_roots.Count + 1}"), radicand);
            _roots.Add(entry);
        }
        Use(entry.Root, guard);
        return Polynomial.Var(entry.Root);
    }

    /// <summary>The value of a let-definition under this binding of the loop variables; its square roots are used under the guard.</summary>
    public PolyMatrix Definition(string name, string binding, Formula guard, Func<NamedExpr, PolyMatrix> evaluate)
    {
        var key = name + "|" + binding;
        if (_values.TryGetValue(key, out var known))
        {
            foreach (var r in known.Roots) Use(r, guard);
            return known.Value;
        }
        var definition = _definitions[name];
        if (_evaluating.Count >= MaxNesting)
            throw new ClaimException($"let-definitions nest deeper than {MaxNesting} (each refers to the next): flatten the chain", 0) { Line = definition.Line };
        if (!_evaluating.Add(key)) throw new ClaimException($"the definition of '{name}' refers to itself", 0) { Line = definition.Line };
        _collecting.Push([]);
        PolyMatrix value;
        try { value = evaluate(definition); }
        catch (ClaimException e) when (e.Line is null) { throw new ClaimException(e.Message, e.Position) { Line = definition.Line }; }
        finally { _evaluating.Remove(key); }
        var roots = _collecting.Pop();
        foreach (var outer in _collecting) outer.UnionWith(roots);
        _values[key] = (value, roots);
        return value;
    }

    private void Use(Variable root, Formula guard)
    {
        var entry = _roots.First(r => r.Root == root);
        if (!entry.Guards.Contains(guard)) entry.Guards.Add(guard);
        foreach (var set in _collecting) set.Add(root);
        foreach (var inner in entry.Radicand.Variables())
            if (inner != root && _roots.Any(r => r.Root == inner)) Use(inner, guard);
    }
}
