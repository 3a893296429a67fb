using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Words;

namespace DeepLinearProofs.Kernel;

/// <summary>dX/dt = Rate for a letter X of the free algebra (a layer's flow, with blocks as opaque letters).</summary>
public sealed record WordRate(MatrixSymbol Symbol, WordPoly Rate);

/// <summary>
/// One multiple of a relation r (fact or generator, by index; <see cref="Transposed"/> uses r^T):
/// Scale · (Left · r · Right) · Tail, or Scale · tr(Left · r · Right) · Tail when <see cref="Trace"/>.
/// Whatever the matrices, such a multiple is 0 wherever r = 0.
/// </summary>
public sealed record WordMultiple(int Relation, bool Transposed, WordPoly Left, WordPoly Right, Polynomial Scale, bool Trace, WordPoly? Tail);

/// <summary>A fact Lhs = Rhs about the constant letters (the target's singular pairs: Z v_1 = s_1 u_1).</summary>
public sealed record WordFact(string Label, WordPoly Lhs, WordPoly Rhs)
{
    public WordPoly Relation => Lhs - Rhs;
}

/// <summary>
/// How an equation's left side is obtained: as given, as the Lie derivative of a function, as one chain-rule term, or as the
/// rate of <see cref="WordEquation.Letter"/> at the statement's ansatz (the rate with each ansatz letter replaced by its value).
/// </summary>
public enum WordSide { Given, Lie, ChainTerm, FlowAt }

/// <summary>A letter's value at a point of a family (the balanced ansatz W_j = rho w_j w_{j-1}^T), for <see cref="WordSide.FlowAt"/>.</summary>
public sealed record WordImage(MatrixSymbol Symbol, WordPoly Value);

/// <summary>
/// Lhs = Rhs for every instance. With <see cref="WordSide.Lie"/> the kernel computes Lhs = sum over the field of D_X(Of)[rate_X];
/// with <see cref="WordSide.ChainTerm"/> only the term of <see cref="Letter"/> (one summand of a chain rule over a layer index).
/// <see cref="Combination"/> are the multiples of facts that lhs - rhs equals (checked by expansion).
/// </summary>
public sealed record WordEquation(string Label, WordSide Side, WordPoly Of, WordPoly Rhs, IReadOnlyList<WordMultiple> Combination, MatrixSymbol? Letter = null);

/// <summary>g = 0 on the set; its Lie derivative must be a combination of multiples of the generators and the facts.</summary>
public sealed record WordGenerator(string Label, WordPoly G, IReadOnlyList<WordMultiple> Combination);

/// <summary>
/// Root = sqrt(Radicand), a commuting scalar; the radicand is certified non-negative by Radicand = sum w_k q_k^2 with w_k &gt; 0
/// (exact), and it may sit under a Lie derivative only when the radicand's own Lie derivative is identically 0.
/// </summary>
public sealed record WordRoot(Variable Root, Polynomial Radicand, IReadOnlyList<(Rational Weight, Polynomial Base)> SumOfSquares);

/// <summary>
/// A statement about every size at once: the letters' sizes are symbolic, so an identity of canonical forms holds at every
/// instance. <see cref="Scope"/> says which instances the letters stand for (the translation's claim, printed with the verdict).
/// The field is checked against the loss (each rate is minus the gradient read off from the directional derivative), facts may
/// mention constant letters only, and with generators the statement is the invariance of {g = 0}. Plain scalar variables
/// (s_1, the sizes d_j) are parameters: constant along the flow; state-dependent scalars are atoms (traces, 1x1 words) or roots.
/// </summary>
public sealed record WordStatement(
    string Scope,
    WordPoly Loss,
    IReadOnlyList<WordRate> Field,
    IReadOnlyList<MatrixSymbol> Constants,
    IReadOnlyList<WordFact> Facts,
    IReadOnlyList<WordEquation> Equations,
    IReadOnlyList<WordGenerator> Generators,
    IReadOnlyList<WordRoot> Roots,
    IReadOnlyList<WordImage>? Ansatz = null)
{
    /// <summary>
    /// P = the product of the network's pieces, one word. A <see cref="WordSide.ChainTerm"/> is one summand of the chain rule
    /// only for a function of P (and constants): the kernel checks the loss is 1/2 ||Z - P||^2 and that the function is one of P.
    /// </summary>
    public WordPoly? EndToEnd { get; init; }
}

public static partial class ProofKernel
{
    /// <summary>An identity (or invariance) of the free algebra with involution: every size, every instance.</summary>
    public static Verdict Words(WordStatement s, KernelSession k) => Seal(WordsRule(s, k), "words", s, k);

    public const string AllSizes = "exact, all sizes";

    private static Verdict WordsRule(WordStatement s, KernelSession k)
    {
        k.UsedExact = true;
        if (s.Equations.Count == 0 && s.Generators.Count == 0) return Verdict.Vacuous(AllSizes, "no equations and no generators: nothing was checked");
        try
        {
            if (!s.Loss.IsScalar) return Verdict.Error(AllSizes, "the loss is not a scalar");
            if (Twice(s.Field.Select(f => Variable.Of(f.Symbol.Name))) is { } twice) return Verdict.Error(AllSizes, $"the field gives {twice} twice");
            var moving = s.Field.Select(f => f.Symbol).ToHashSet();
            if (s.Constants.FirstOrDefault(moving.Contains) is { } both) return Verdict.Error(AllSizes, $"{both} is both moving and constant");
            // The field is derived from the loss: D_H L = -tr(rate^T H) for a fresh direction H, so rate = -dL/dX.
            foreach (var f in s.Field)
            {
                var h = WordPoly.Of(new MatrixSymbol($"⟪H:{f.Symbol.Name}⟫", f.Symbol.Rows, f.Symbol.Cols));
                var difference = s.Loss.Derivative(f.Symbol, h) + (f.Rate.Transpose() * h).Trace();
                if (!difference.IsZero) return Verdict.Error(AllSizes, $"the rate of {f.Symbol} is not minus the gradient of the loss (D_H L + tr(rate^T H) = {difference})");
            }
            for (int i = 0; i < s.Facts.Count; i++)
                if (s.Facts[i].Relation.Symbols().FirstOrDefault(x => !s.Constants.Contains(x)) is { } free)
                    return Verdict.Error(AllSizes, $"fact {i + 1} ({s.Facts[i].Label}) mentions {free}, which is not a constant letter: a fact about moving letters would be an assumption");
            if (Unfounded(s.Roots.Select(r => new SquareRoot(r.Root, r.Radicand, Formula.True)).ToList()) is { } why) return Verdict.Error(AllSizes, $"the square roots are not well-founded: {why}");
            // A root is a fresh name: one spelled like a parameter (a singular value in the facts, a width) would assume its value.
            var parameters = s.Facts.SelectMany(f => f.Relation.Terms.Values).SelectMany(c => c.Variables()).ToHashSet();
            var widths = s.Field.SelectMany(f => f.Rate.Symbols().Append(f.Symbol)).Concat(s.Loss.Symbols()).Concat(s.Constants)
                .SelectMany(x => new[] { x.Rows.Name, x.Cols.Name }).ToHashSet();
            foreach (var r in s.Roots)
                if (ScalarAtom.Of(r.Root) is not null || parameters.Contains(r.Root) || widths.Contains(r.Root.Name))
                    return Verdict.Error(AllSizes, $"the root {r.Root.Name} = sqrt({WordPoly.Scalar(r.Radicand)}) is named like a parameter of the statement (a singular value, a width or an atom); a root needs a fresh name");
            foreach (var r in s.Roots)
            {
                if (r.SumOfSquares.Any(t => t.Weight.Sign <= 0)) return Verdict.Error(AllSizes, $"sqrt({WordPoly.Scalar(r.Radicand)}): a sum-of-squares weight is not positive");
                var sos = r.SumOfSquares.Aggregate(Polynomial.Zero, (acc, t) => acc + t.Weight * t.Base * t.Base);
                if (sos != r.Radicand) return Verdict.Unknown(AllSizes, $"sqrt({WordPoly.Scalar(r.Radicand)}): its radicand is not shown to be non-negative (the sum of squares given is {WordPoly.Scalar(sos)})");
            }
            var relations = s.Facts.Select(f => f.Relation).Concat(s.Generators.Select(g => g.G)).ToList();
            foreach (var e in s.Equations.Where(e => e.Side == WordSide.ChainTerm))
                if (NotThroughEndToEnd(e, s) is { } notGlobal) return Verdict.Error(AllSizes, $"{e.Label}: {notGlobal}");
            foreach (var e in s.Equations)
            {
                var lhs = e.Side switch
                {
                    WordSide.Given => e.Of,
                    WordSide.Lie => Lie(e.Of, s, null),
                    WordSide.FlowAt => FlowAt(e, s),
                    _ => e.Letter is { } x && s.Field.Any(f => f.Symbol == x) ? Lie(e.Of, s, x) : throw new KernelInputException($"{e.Label}: a chain term needs a letter of the field"),
                };
                if (Residual(lhs - e.Rhs, e.Combination, relations, s.Facts.Count, allowGenerators: false, s.Roots) is { } left)
                    return Verdict.Unknown(AllSizes, $"{e.Label}: lhs - rhs is not zero in the free algebra{(s.Facts.Count > 0 ? " modulo the facts given" : "")} ({Shorten(left)}); " +
                        "this does not refute a statement about all sizes (an instance with an exact countermodel does)");
            }
            foreach (var g in s.Generators)
                if (Residual(Lie(g.G, s, null), g.Combination, relations, s.Facts.Count, allowGenerators: true, s.Roots) is { } left)
                    return Verdict.Unknown(AllSizes, $"lie({g.Label}) is not shown to lie in the ideal of the generators ({Shorten(left)} is left)");
        }
        catch (WordShapeException e) { return Verdict.Error(AllSizes, $"sizes do not match: {e.Message}"); }
        catch (KernelInputException e) { return Verdict.Error(AllSizes, e.Message); }
        var parts = new List<string>();
        if (s.Equations.Count > 0) parts.Add($"{s.Equations.Count} equation(s) equal in the free algebra with involution{(s.Facts.Count > 0 ? " modulo the facts, by explicit multiples" : "")}");
        if (s.Generators.Count > 0) parts.Add($"the Lie derivative of each of {s.Generators.Count} generator(s) is an explicit combination of the generators{(s.Facts.Count > 0 ? " and the facts" : "")}: the set is invariant");
        if (s.Field.Count > 0) parts.Add($"the flow of {string.Join(", ", s.Field.Select(f => f.Symbol.Name))} is minus the gradient of the loss");
        return Verdict.Proved(AllSizes, string.Join("; ", parts) + $"; for {s.Scope}");
    }

    /// <summary>The rate of the equation's letter with every ansatz letter replaced by its value (a homomorphism of the algebra).</summary>
    private static WordPoly FlowAt(WordEquation e, WordStatement s)
    {
        var rate = s.Field.FirstOrDefault(f => f.Symbol == e.Letter)?.Rate ?? throw new KernelInputException($"{e.Label}: the rate at the ansatz needs a letter of the field");
        var ansatz = s.Ansatz ?? [];
        if (ansatz.Count == 0) throw new KernelInputException($"{e.Label}: the rate at the ansatz needs an ansatz");
        if (Twice(ansatz.Select(a => Variable.Of(a.Symbol.Name))) is { } twice) throw new KernelInputException($"the ansatz gives {twice} twice");
        return rate.Substitute(x => ansatz.FirstOrDefault(a => a.Symbol == x)?.Value);
    }

    /// <summary>
    /// Why the chain term's function is not shown to be a function of the end-to-end product P alone (null when it is): D_{W_i} F
    /// summed over i is lie(F) only when F, written around each layer i, is one function of every layer. The check: P is one
    /// word through the letter that loses 1/2 ||Z - P||^2, every moving letter or block in F sits inside a copy of P or P^T
    /// (in every word and every atom, traces read cyclically), and F has no size inside P (d_i, d_{i-1}) as a scalar.
    /// </summary>
    private static string? NotThroughEndToEnd(WordEquation e, WordStatement s)
    {
        if (s.EndToEnd is not { TermCount: 1 } p || p.Terms.First().Value != Polynomial.One)
            return "a chain-rule term needs the end-to-end product P as one word";
        var word = p.Terms.First().Key;
        var constants = s.Constants.ToHashSet();
        if (e.Letter is not { } x || word.Letters.Count(l => l.Symbol == x) != 1 || word.Letters.Any(l => l.Transposed || constants.Contains(l.Symbol))
            || word.Letters.Select(l => l.Symbol).Distinct().Count() != word.Length)
            return $"the end-to-end product {p} is not a product of distinct pieces through {e.Letter}";
        var half = Rational.Create(1, 2);
        if (!s.Constants.Any(z => z.Rows == p.Rows && z.Cols == p.Cols && (half * (WordPoly.Of(z) - p).Norm2()).Equals(s.Loss)))
            return $"the loss is not 1/2 ||Z - P||^2 for P = {p} and a constant Z";
        var inner = Enumerable.Range(1, word.Length - 1).Select(i => word[i].Rows).ToList();
        if (inner.Any(d => d.IsOne)) return $"P = {p} has a size-1 junction inside, where its words split";
        var sizes = inner.Select(d => Variable.Of(d.Name)).ToHashSet();
        var (pattern, transposed) = (word, word.Transpose());
        bool Linear(Word w)
        {
            for (int i = 0; i < w.Length;)
            {
                if (constants.Contains(w[i].Symbol)) { i++; continue; }
                if (At(w, i, pattern) || At(w, i, transposed)) { i += pattern.Length; continue; }
                return false;
            }
            return true;
        }
        bool Cyclic(Word w) => Linear(w) || Enumerable.Range(1, Math.Max(0, w.Length - 1)).Any(r => Linear(w.Rotate(r)));
        foreach (var (w, c) in e.Of.Terms)
        {
            if (!Linear(w)) return $"the function is not one of P = {p} alone ({w} is not made of P, P^T and constants)";
            foreach (var v in c.Variables())
            {
                if (sizes.Contains(v)) return $"the function has the size {v.Name} inside P as a scalar, which depends on the layer";
                if (ScalarAtom.Of(v) is { } atom && !(atom.Cyclic ? Cyclic(atom.Word) : Linear(atom.Word)))
                    return $"the function is not one of P = {p} alone ({atom.Display} is not made of P, P^T and constants)";
            }
        }
        return null;
    }

    private static bool At(Word w, int i, Word pattern)
    {
        if (i + pattern.Length > w.Length) return false;
        for (int k = 0; k < pattern.Length; k++) if (!w[i + k].Equals(pattern[k])) return false;
        return true;
    }

    /// <summary>lie(f) = sum over the field (or one letter) of D_X f [rate_X]; constants and roots with constant radicands do not move.</summary>
    private static WordPoly Lie(WordPoly f, WordStatement s, MatrixSymbol? only)
    {
        foreach (var x in f.Symbols())
            if (only is null && !s.Constants.Contains(x) && !s.Field.Any(r => r.Symbol == x))
                throw new KernelInputException($"{x} has no rate and is not constant: the Lie derivative of an expression with a moving block is a sum over its layers, not a single term");
        var result = LieTerms(f, s.Field, only);
        foreach (var root in s.Roots)
        {
            if (!f.Terms.Values.Any(c => c.Variables().Contains(root.Root))) continue;
            if (only is not null) throw new KernelInputException($"sqrt({WordPoly.Scalar(root.Radicand)}) is under one chain-rule term, where its radicand's motion is not accounted for");
            var rate = Lie(WordPoly.Scalar(root.Radicand), s, only);
            if (!rate.IsZero) throw new KernelInputException($"sqrt({WordPoly.Scalar(root.Radicand)}) is under a Lie derivative but its radicand moves (its Lie derivative is {Shorten(rate)})");
        }
        return result;
    }

    /// <summary>sum over the field (or one letter of it) of D_X f [rate_X]: the computation alone, without the kernel's checks.</summary>
    public static WordPoly LieTerms(WordPoly f, IReadOnlyList<WordRate> field, MatrixSymbol? only)
    {
        var result = WordPoly.Zero(f.Rows, f.Cols);
        foreach (var r in field)
            if (only is null || r.Symbol == only)
                result += f.Derivative(r.Symbol, r.Rate);
        return result;
    }

    /// <summary>The value of a multiple of the relation r: Scale (Left r Right) Tail, with a trace when asked.</summary>
    public static WordPoly Placed(WordMultiple m, WordPoly relation)
    {
        var r = m.Transposed ? relation.Transpose() : relation;
        var placed = m.Left * r * m.Right;
        if (m.Trace) placed = placed.Trace();
        placed = placed.Scale(m.Scale);
        return m.Tail is null ? placed : placed * m.Tail;
    }

    /// <summary>What is left of d after subtracting the combination and reducing the roots' squares, or null when nothing is.</summary>
    private static WordPoly? Residual(WordPoly d, IReadOnlyList<WordMultiple> combination, IReadOnlyList<WordPoly> relations, int facts, bool allowGenerators, IReadOnlyList<WordRoot> roots)
    {
        foreach (var m in combination)
        {
            if (m.Relation < 0 || m.Relation >= relations.Count || (!allowGenerators && m.Relation >= facts))
                throw new KernelInputException($"a multiple refers to relation {m.Relation + 1}, which is not {(allowGenerators ? "a fact or a generator" : "a fact")} of the statement");
            d -= Placed(m, relations[m.Relation]);
        }
        for (int i = roots.Count - 1; i >= 0; i--)
        {
            var root = roots[i];
            d = d.MapCoefficients(c => c.ReduceSquare(root.Root, root.Radicand));
        }
        return d.IsZero ? null : d;
    }

    private static string Shorten(WordPoly p)
    {
        var text = p.ToString();
        return text.Length <= 160 ? text : text[..157] + "...";
    }
}

/// <summary>A statement the kernel cannot read as given (a bad index, a missing rate): an error, never a verdict on the claim.</summary>
internal sealed class KernelInputException(string message) : Exception(message);
