using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Algebra.Words;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// <c>sizes = "all"</c>: a claim stated once for every depth and all widths. Each equation becomes a kernel
/// <see cref="WordStatement"/> over a <see cref="SymbolicNetwork"/> that keeps the layers the equation names as letters and
/// the runs between them as blocks. Sums over the layer index (T2, T4) are matched term by term against the chain rule
/// lie(F) = sum_i D_{W_i} F [flow W_i], each term an identity in its own blocks. Relations (singular pairs, generators) are
/// used through explicit multiples found here by rewriting and checked by the kernel by expansion.
/// </summary>
public static class AllSizesMethod
{
    /// <summary>The kernel statements of an all-sizes lemma, one per equation (or one invariance statement).</summary>
    public static IReadOnlyList<WordStatement> Statements(Lemma lemma)
    {
        var sizes = lemma.AllSizes ?? throw new ArgumentException("not an all-sizes lemma");
        var claim = lemma.Claim;
        try { return Translate(lemma, sizes, claim); }
        catch (WordShapeException e) { throw new ClaimException($"shape mismatch at all sizes: {e.Message}", 0) { Line = claim.Line }; }
    }

    private static IReadOnlyList<WordStatement> Translate(Lemma lemma, AllSizesSpec sizes, Claim claim)
    {
        return ClaimException.At(claim.Line, () => claim switch
        {
            IdentityClaim c => Equations(c.Expression).Select(e => Equation(lemma, sizes, c, e)).ToList(),
            InvariantClaim { DisjointOnly: false, Excludes: null, Inequalities.Count: 0 } c => [Invariance(lemma, sizes, c)],
            InvariantClaim => throw new ClaimException("at all sizes the invariant method takes equations only (no inequalities, no excludes): state those on instances", 0),
            _ => throw new ClaimException($"method '{claim.Method}' has no all-sizes form; use identity or invariant", 0),
        });
    }

    private static IEnumerable<BinaryExpr> Equations(Expr e) => e switch
    {
        BinaryExpr { Operator: "and" } both => Equations(both.Left).Concat(Equations(both.Right)),
        BinaryExpr { Operator: "==" } eq => [eq],
        _ => throw new ClaimException("an all-sizes identity is lhs == rhs, or several joined by and", e.Position),
    };

    private static WordStatement Equation(Lemma lemma, AllSizesSpec sizes, IdentityClaim claim, BinaryExpr eq)
    {
        var label = ExprText.Format(eq);
        if (claim.Ansatz.Count > 0) return AtAnsatz(lemma, sizes, claim, eq, label);
        if (sizes.Depth is null && eq.Left is CallExpr { Function: "lie", Arguments.Count: 1 } lie && Global(lie.Arguments[0], claim.Definitions))
        {
            // The chain rule over the layer index: lie(F) = sum_{i=1}^{N} D_{W_i} F [flow W_i], matched term by term.
            var (index, body, negate) = SumOf(eq.Right);
            if (Mentions(lie.Arguments[0], index, claim.Definitions, []))
                throw new ClaimException($"lie(F) == sum({index}, 1, N, ...) needs F to be one function of every layer, but F names the sum's index {index}; name the summand's layer only inside the sum", eq.Position);
            var network = Network(lemma, sizes, claim, [lie.Arguments[0], body ?? lie.Arguments[0]], index, $"{index} = 1..N (the chain rule's layer)");
            var ev = new WordEvaluator(network, claim.Definitions, new HashSet<string> { index, claim.Each?.Variable ?? index });
            var of = ev.Evaluate(lie.Arguments[0]);
            var rhs = body is null ? WordPoly.Zero(of.Rows, of.Cols) : ev.Evaluate(body);
            if (negate) rhs = -rhs;
            var letter = network.Layer(LayerIndex.Of(index))!.Symbol;
            var statement = Build(network, ev, $"{label}, term by term: D_{{{letter.Name}}}F[flow {letter.Name}] for every {index} = 1..N", WordSide.ChainTerm, of, rhs, letter);
            return statement with { Scope = statement.Scope + $"; lie of a function of every layer is the sum over {index} = 1..N of these terms (the chain rule)" };
        }
        if (IsSum(eq.Right) || IsSum(eq.Left))
            throw new ClaimException("a sum over the layers is matched only against lie(F) of a function of every layer (P, E, L) at all sizes", eq.Position);
        {
            var network = Network(lemma, sizes, claim, [eq.Left, eq.Right], null, null);
            var ev = new WordEvaluator(network, claim.Definitions, Loops(claim), claim.Parameters);
            if (eq.Left is CallExpr { Function: "lie", Arguments.Count: 1 } local)
                return Build(network, ev, label, WordSide.Lie, ev.Evaluate(local.Arguments[0]), ev.Evaluate(eq.Right), null);
            return Build(network, ev, label, WordSide.Given, ev.Evaluate(eq.Left), ev.Evaluate(eq.Right), null);
        }
    }

    /// <summary>
    /// flow(W[e]) == rhs at the ansatz: the kernel replaces each ansatz letter by its value in the rate it re-derived. A block may
    /// carry an ansatz only when the range keeps it a non-empty product (an identity is not rank one).
    /// </summary>
    private static WordStatement AtAnsatz(Lemma lemma, AllSizesSpec sizes, IdentityClaim claim, BinaryExpr eq, string label)
    {
        if (eq.Left is not CallExpr { Function: "flow", Arguments.Count: 1 } flow)
            throw new ClaimException("with an ansatz, each equation is flow(W[e]) == ... (the rate at the ansatz)", eq.Position);
        var parts = claim.Ansatz.Select(a => a.Expression is BinaryExpr { Operator: "==" } b ? b.Left : throw new ClaimException("an ansatz entry is written letter == value, e.g. \"W[j] == rho * w[j] * T(w[j-1])\"", a.Expression.Position))
            .Append(eq.Left).ToList();
        var (network, mayBeEmpty) = NetworkAndEmptyBlocks(lemma, sizes, claim, parts);
        var ev = new WordEvaluator(network, claim.Definitions, Loops(claim), claim.Parameters);
        var images = new List<WordImage>();
        foreach (var a in claim.Ansatz)
        {
            var b = (BinaryExpr)a.Expression;
            var symbol = ClaimException.At(a.Line, () => Letter(ev, network, b.Left));
            if (mayBeEmpty.Contains(symbol))
                throw new ClaimException($"{symbol} is the identity at an end of the range, which no ansatz of rank one describes: narrow the range (or depth = \">= 3\") so the block is a product", b.Position) { Line = a.Line };
            images.Add(new WordImage(symbol, ClaimException.At(a.Line, () => ev.Evaluate(b.Right))));
        }
        var letter = Letter(ev, network, flow.Arguments[0]);
        if (network.Pieces.First(p => p.Symbol == letter).IsBlock) throw new ClaimException("flow(...) takes a layer, not a block", flow.Position);
        var rhs = ev.Evaluate(eq.Right);
        var field = network.Field.Select(f => new WordRate(f.Symbol, f.Rate)).ToList();
        var lhs = network.Flow(letter).Substitute(x => images.FirstOrDefault(i => i.Symbol == x)?.Value);
        var facts = ev.Facts;
        var combination = Search(lhs - rhs, facts.Select(f => (Pattern(f.Lhs), f.Relation)).ToList(), ev.Roots);
        var at = string.Join(", ", images.Select(i => $"{i.Symbol} = {i.Value}"));
        return new WordStatement(network.Scope + $"; at {at}" + FactsText(facts), network.Loss, field, ev.Constants, facts,
            [new WordEquation(label, WordSide.FlowAt, WordPoly.Of(letter), rhs, combination, letter)], [], ev.Roots, images);
    }

    /// <summary>The letter an ansatz names: a kept layer W[e], or a block prod(hi, lo) exactly.</summary>
    private static MatrixSymbol Letter(WordEvaluator ev, SymbolicNetwork network, Expr e) => e switch
    {
        NameExpr { Name: "W", Indices.Count: 1 } w => network.Layer(ev.Index(w.Indices[0]))?.Symbol ?? throw new ClaimException($"W[{ev.Index(w.Indices[0])}] is inside a block here", e.Position),
        CallExpr { Function: "prod", Arguments.Count: 2 } p => network.Pieces.FirstOrDefault(x => x.IsBlock && x.Top == network.Normal(ev.Index(p.Arguments[0])) && x.Bottom == network.Normal(ev.Index(p.Arguments[1])))?.Symbol
            ?? throw new ClaimException($"prod({ev.Index(p.Arguments[0])}, {ev.Index(p.Arguments[1])}) is not one block of this network ({string.Join(" ", network.Pieces.Select(x => x.Symbol.Name))})", e.Position),
        _ => throw new ClaimException("an ansatz names a layer W[e] or a block prod(hi, lo)", e.Position),
    };

    private static WordStatement Invariance(Lemma lemma, AllSizesSpec sizes, InvariantClaim claim)
    {
        if (claim.Equations.FirstOrDefault(g => g.Each is not null) is { } looped)
            throw new ClaimException($"{{ expr = \"{looped.Text}\", each = \"{looped.Each!.Text}\" }} is a loop of generators, which the all-sizes rule does not take; name the generators relative to one index", 0) { Line = looped.Line };
        var network = Network(lemma, sizes, claim, claim.Equations.Select(g => g.Expression).ToList(), null, null);
        var ev = new WordEvaluator(network, claim.Definitions, Loops(claim));
        var gs = claim.Equations.Select(g => ClaimException.At(g.Line, () => (g.Text, Value: ev.Evaluate(g.Expression)))).ToList();
        var facts = ev.Facts;
        var field = network.Field.Select(f => new WordRate(f.Symbol, f.Rate)).ToList();
        var relations = facts.Select(f => (Pattern(f.Lhs), f.Relation)).Concat(gs.Select(g => (Pattern(g.Value), g.Value))).ToList();
        var generators = gs.Select(g => new WordGenerator(g.Text, g.Value, Search(ProofKernel.LieTerms(g.Value, field, null), relations, ev.Roots))).ToList();
        return new WordStatement(network.Scope + FactsText(facts), network.Loss, field, ev.Constants, facts, [], generators, ev.Roots) { EndToEnd = network.EndToEnd };
    }

    private static WordStatement Build(SymbolicNetwork network, WordEvaluator ev, string label, WordSide side, WordPoly of, WordPoly rhs, MatrixSymbol? letter)
    {
        var field = network.Field.Select(f => new WordRate(f.Symbol, f.Rate)).ToList();
        var facts = ev.Facts;
        var lhs = side == WordSide.Given ? of : ProofKernel.LieTerms(of, field, letter);
        // "== 0" compares with the zero matrix of the other side's shape.
        if (rhs.IsZero && rhs.IsScalar) rhs = WordPoly.Zero(lhs.Rows, lhs.Cols);
        if (side == WordSide.Given && of.IsZero && of.IsScalar) of = lhs = WordPoly.Zero(rhs.Rows, rhs.Cols);
        WordPoly difference;
        try { difference = lhs - rhs; }
        catch (WordShapeException x) { throw new ClaimException($"the two sides have different shapes at all sizes: {x.Message}", 0); }
        var combination = Search(difference, facts.Select(f => (Pattern(f.Lhs), f.Relation)).ToList(), ev.Roots);
        return new WordStatement(network.Scope + FactsText(facts), network.Loss, field, ev.Constants, facts, [new WordEquation(label, side, of, rhs, combination, letter)], [], ev.Roots)
            { EndToEnd = network.EndToEnd };
    }

    private static string FactsText(IReadOnlyList<WordFact> facts) =>
        facts.Count == 0 ? "" : $"; every target with {string.Join(", ", facts.Select(f => f.Label))}";

    private static HashSet<string> Loops(Claim claim) => claim.Each is { } each ? [each.Variable] : [];

    // ------------------------------------------------------------------ which layers become letters

    /// <summary>
    /// The network an equation is stated on: a fixed depth (every layer a letter), the layers around the loop index, the
    /// one-neuron layer k, or W_N and W_1; the range of the index must keep every named layer inside 1..N.
    /// </summary>
    private static SymbolicNetwork Network(Lemma lemma, AllSizesSpec sizes, Claim claim, IReadOnlyList<Expr> parts, string? sumIndex, string? sumRange) =>
        NetworkAndEmptyBlocks(lemma, sizes, claim, parts, sumIndex, sumRange).Network;

    /// <summary>The network, and the blocks that are the identity for some value of the index or some depth in range.</summary>
    private static (SymbolicNetwork Network, HashSet<MatrixSymbol> MayBeEmpty) NetworkAndEmptyBlocks(Lemma lemma, AllSizesSpec sizes, Claim claim, IReadOnlyList<Expr> parts,
        string? sumIndex = null, string? sumRange = null)
    {
        var (network, emptyTop, emptyBottom) = Segment(lemma, sizes, claim, parts, sumIndex, sumRange);
        var blocks = network.Pieces.Where(p => p.IsBlock).ToList();
        var empty = new HashSet<MatrixSymbol>();
        if (blocks.Count > 0 && emptyTop) empty.Add(blocks[0].Symbol);
        if (blocks.Count > 0 && emptyBottom) empty.Add(blocks[^1].Symbol);
        return (network, empty);
    }

    private static (SymbolicNetwork, bool EmptyTop, bool EmptyBottom) Segment(Lemma lemma, AllSizesSpec sizes, Claim claim, IReadOnlyList<Expr> parts, string? sumIndex, string? sumRange)
    {
        if (sizes.Depth is { } depth)
        {
            int? k = lemma.RequiresOneNeuron ? depth == 2 ? 1 : throw new ClaimException("at a fixed depth other than 2, say where the one-neuron layer is by stating the lemma on instances", 0) : null;
            return (SymbolicNetwork.Fixed(depth, k), false, false);
        }
        var refs = new List<LayerIndex>();
        foreach (var p in parts) Collect(p, claim.Definitions, refs, []);
        string? index = sumIndex ?? claim.Each?.Variable;
        if (index is not null && refs.Any(r => r.Base == index) || sumIndex is not null)
        {
            if (lemma.RequiresOneNeuron) throw new ClaimException("at all sizes a claim uses one layer index: a loop over j or the one-neuron layer k, not both", 0);
            var offsets = refs.Where(r => r.Base == index).Select(r => r.Offset).Append(0).ToList();
            if (refs.FirstOrDefault(r => r.Base != index) is { } other) throw new ClaimException($"W[{other}] and W[{index}...] may coincide for some depth: at all sizes name layers relative to one index", 0);
            var (from, to, range) = sumIndex is not null ? (LayerIndex.Constant(1), LayerIndex.Top(), sumRange!) : (Bound(claim.Each!.From), Bound(claim.Each.To), claim.Each.Text);
            CheckRange(index!, from, to, offsets.Min(), offsets.Max());
            return (SymbolicNetwork.Around(index!, offsets.Min(), offsets.Max(), range, false), to.Offset + offsets.Max() + 1 > 0, from.Offset + offsets.Min() - 1 < 1);
        }
        if (lemma.RequiresOneNeuron)
        {
            var offsets = refs.Where(r => r.Base == "k").Select(r => r.Offset).Append(0).ToList();
            if (refs.FirstOrDefault(r => r.Base != "k") is { } other) throw new ClaimException($"W[{other}] and W[k...] may coincide for some depth: at all sizes name layers relative to k", 0);
            CheckRange("k", LayerIndex.Constant(1), LayerIndex.Top(-1), offsets.Min(), offsets.Max());
            return (SymbolicNetwork.Around("k", offsets.Min(), offsets.Max(), "hidden one-neuron layer k = 1..N-1", true), offsets.Max() > 0, offsets.Min() < 1);
        }
        if (refs.Count > 0 && refs.All(r => r == LayerIndex.Constant(1) || r == LayerIndex.Top())) return (SymbolicNetwork.Ends(sizes.MinDepth), sizes.MinDepth < 3, sizes.MinDepth < 3);
        if (refs.Count > 0) throw new ClaimException($"at all sizes the layers named must be W[1] and W[N], or relative to the loop index (found W[{refs[0]}])", 0);
        return (SymbolicNetwork.Around("i", 0, 0, "position i = 1..N of the kept layer", false), true, true);
    }

    private static LayerIndex Bound(Expr e) => WordEvaluator.ParseIndex(e, new HashSet<string>());

    private static void CheckRange(string index, LayerIndex from, LayerIndex to, int min, int max)
    {
        if (from.Base is not null || from.Depth || from.Offset + min < 1)
            throw new ClaimException($"the range of {index} must start at a number with every named layer at least W[1] (W[{LayerIndex.Of(index, min)}] at {index} = {from})", 0);
        if (to.Base is not null || !to.Depth || to.Offset + max > 0)
            throw new ClaimException($"the range of {index} must end at N or N-c with every named layer at most W[N] (W[{LayerIndex.Of(index, max)}] at {index} = {to})", 0);
    }

    /// <summary>Every layer index an expression names (W[e], C[e] as e and e+1, flow/grad), through let-definitions.</summary>
    private static void Collect(Expr e, IReadOnlyList<NamedExpr> defs, List<LayerIndex> into, HashSet<string> seen)
    {
        LayerIndex Index(Expr x) => WordEvaluator.ParseIndex(x, new HashSet<string>(Names(x)));
        switch (e)
        {
            case NameExpr { Name: "W", Indices.Count: 1 } w: into.Add(Index(w.Indices[0])); break;
            case NameExpr { Name: "C", Indices.Count: 1 } c: into.Add(Index(c.Indices[0])); into.Add(Index(c.Indices[0]).Plus(1)); break;
            case NameExpr { Indices.Count: 0 } n when defs.FirstOrDefault(d => d.Name == n.Name) is { } d && seen.Add(d.Name): Collect(d.Expression, defs, into, seen); break;
            case CallExpr { Function: "prod" }: break;
            case CallExpr c: foreach (var a in c.Arguments) Collect(a, defs, into, seen); break;
            case NegateExpr n: Collect(n.Operand, defs, into, seen); break;
            case TransposeExpr t: Collect(t.Operand, defs, into, seen); break;
            case BinaryExpr b: Collect(b.Left, defs, into, seen); Collect(b.Right, defs, into, seen); break;
        }
    }

    private static IEnumerable<string> Names(Expr e) => e switch
    {
        NameExpr { Indices.Count: 0 } n => [n.Name],
        NameExpr n => n.Indices.SelectMany(Names),
        CallExpr c => c.Arguments.SelectMany(Names),
        NegateExpr n => Names(n.Operand),
        TransposeExpr t => Names(t.Operand),
        BinaryExpr b => Names(b.Left).Concat(Names(b.Right)),
        _ => [],
    };

    /// <summary>Whether an expression names <paramref name="name"/> (as a value or inside an index), through let-definitions.</summary>
    private static bool Mentions(Expr e, string name, IReadOnlyList<NamedExpr> defs, HashSet<string> seen) =>
        Names(e).Any(n => n == name || defs.FirstOrDefault(d => d.Name == n) is { } d && seen.Add(d.Name) && Mentions(d.Expression, name, defs, seen));

    /// <summary>A function of every layer (through P, E, L, a, b or a product), as opposed to one of a few named layers; a let-definition shadows a built-in name, as in the evaluator.</summary>
    private static bool Global(Expr e, IReadOnlyList<NamedExpr> defs) => Global(e, defs, new Dictionary<string, bool?>(StringComparer.Ordinal));

    /// <summary>With each definition's answer kept (null while it is being decided, so a definition that refers to itself is found).</summary>
    private static bool Global(Expr e, IReadOnlyList<NamedExpr> defs, Dictionary<string, bool?> known) => e switch
    {
        NameExpr { Indices.Count: 0 } n when defs.FirstOrDefault(d => d.Name == n.Name) is { } d => Definition(d, defs, known),
        NameExpr { Name: "P" or "E" or "L" or "a" or "b", Indices.Count: 0 } => true,
        CallExpr { Function: "prod" } => true,
        CallExpr c => c.Arguments.Any(a => Global(a, defs, known)),
        NegateExpr n => Global(n.Operand, defs, known),
        TransposeExpr t => Global(t.Operand, defs, known),
        BinaryExpr b => Global(b.Left, defs, known) || Global(b.Right, defs, known),
        _ => false,
    };

    private static bool Definition(NamedExpr d, IReadOnlyList<NamedExpr> defs, Dictionary<string, bool?> known)
    {
        if (known.TryGetValue(d.Name, out var answer))
            return answer ?? throw new ClaimException($"the definition of '{d.Name}' refers to itself", 0) { Line = d.Line };
        known[d.Name] = null;
        return (known[d.Name] = Global(d.Expression, defs, known)).Value;
    }

    /// <summary>sum(i, 1, N, body), its negation, or 0: the index, the body (null for 0) and the sign.</summary>
    private static (string Index, Expr? Body, bool Negate) SumOf(Expr e) => e switch
    {
        CallExpr { Function: "sum", Arguments.Count: 4 } s when s.Arguments[0] is NameExpr { Indices.Count: 0 } i =>
            IsOne(s.Arguments[1]) && s.Arguments[2] is NameExpr { Name: "N", Indices.Count: 0 } ? (i.Name, s.Arguments[3], false)
                : throw new ClaimException("the chain rule sums over every layer: write sum(i, 1, N, ...)", s.Position),
        NegateExpr { Operand: var inner } when SumOf(inner) is { Body: not null } s => (s.Index, s.Body, !s.Negate),
        NumberExpr { Value.IsZero: true } => ("i", null, false),
        _ => throw new ClaimException("lie(F) of a function of every layer is compared with sum(i, 1, N, ...), its negation, or 0 at all sizes", e.Position),
    };

    private static bool IsSum(Expr e) => e is CallExpr { Function: "sum" } || e is NegateExpr n && IsSum(n.Operand);

    private static bool IsOne(Expr e) => e is NumberExpr { Value.IsOne: true };

    // ------------------------------------------------------------------ multiples of relations (untrusted search)

    /// <summary>The single word a relation rewrites (its left side, or a generator), or null when it is not one word.</summary>
    private static Word? Pattern(WordPoly p)
    {
        if (p.TermCount != 1) return null;
        var (w, c) = p.Terms.First();
        if (!w.IsEmpty) return c == Polynomial.One ? w : null;
        // A scalar fact whose left side is one 1x1 atom (w^T w = 1): rewrite occurrences of the atom's word.
        return c.TermCount == 1 && c.OrderedTerms()[0] is var (m, r) && r.IsOne && m.TotalDegree == 1 && ScalarAtom.Of(m.Factors.First().Var) is { Cyclic: false } atom ? atom.Word : null;
    }

    /// <summary>
    /// Rewrites d with the relations (each occurrence of a pattern, or of its transpose, in a word or inside an atom becomes one
    /// multiple) until nothing matches; the kernel checks that d minus the multiples vanishes.
    /// </summary>
    private static List<WordMultiple> Search(WordPoly d, IReadOnlyList<(Word? Pattern, WordPoly Relation)> relations, IReadOnlyList<WordRoot> roots)
    {
        var found = new List<WordMultiple>();
        for (int step = 0; step < 2000; step++)
        {
            foreach (var r in roots) d = d.MapCoefficients(c => c.ReduceSquare(r.Root, r.Radicand));
            if (d.IsZero) break;
            var m = FindOne(d, relations);
            if (m is null) break;
            found.Add(m);
            d -= ProofKernel.Placed(m, relations[m.Relation].Relation);
        }
        return found;
    }

    private static WordMultiple? FindOne(WordPoly d, IReadOnlyList<(Word? Pattern, WordPoly Relation)> relations)
    {
        foreach (var (w, c) in d.Terms.OrderBy(t => t.Key))
            for (int k = 0; k < relations.Count; k++)
            {
                if (relations[k].Pattern is not { } pattern) continue;
                foreach (var transposed in new[] { false, true })
                {
                    var p = transposed ? pattern.Transpose() : pattern;
                    int pos = w.IndexOf(p);
                    if (pos >= 0)
                        return new WordMultiple(k, transposed, Poly(w.Slice(0, pos), d.Rows), Poly(w.Slice(pos + p.Length, w.Length), p[^1].Cols), c, false, null);
                    foreach (var (m, q) in c.Terms)
                        foreach (var (v, _) in m.Factors)
                        {
                            if (ScalarAtom.Of(v) is not { } atom) continue;
                            var rest = Polynomial.Term(q, Monomial.Of(m.Factors.Select(f => f.Var == v ? (f.Var, f.Exponent - 1) : f)));
                            var tail = w.IsEmpty ? d.IsScalar ? null : WordPoly.Identity(d.Rows) : Poly(w, d.Rows);
                            foreach (var spelled in new[] { atom.Word, atom.Word.Transpose() })
                            {
                                if (!atom.Cyclic && spelled.IndexOf(p) is var at && at >= 0)
                                    return new WordMultiple(k, transposed, Poly(spelled.Slice(0, at), Dim.One), Poly(spelled.Slice(at + p.Length, spelled.Length), p[^1].Cols), rest, false, tail);
                                if (atom.Cyclic)
                                    for (int i = 0; i < spelled.Length; i++)
                                        if (spelled.Rotate(i) is var r && r.IndexOf(p) == 0)
                                            return new WordMultiple(k, transposed, WordPoly.Identity(p[0].Rows), Poly(r.Slice(p.Length, r.Length), p[^1].Cols), rest, true, tail);
                            }
                        }
                }
            }
        return null;
    }

    private static WordPoly Poly(Word w, Dim rows) => w.Letters.Aggregate(WordPoly.Identity(rows), (acc, l) => acc * WordPoly.Of(l));
}
