using System.Collections.Concurrent;

namespace DeepLinearProofs.Algebra.Words;

/// <summary>
/// A scalar of the free algebra that commutes with everything: a 1x1 word (<see cref="Open"/>, e.g. <c>u_1^T W_2</c> times a
/// column) or the trace of a square word with no 1x1 factor (<see cref="Cyclic"/>). Each is kept in one canonical spelling
/// (a 1x1 word equals its transpose; a trace is invariant under rotation and transposition) and stands in polynomials as an
/// interned <see cref="Variable"/>, so scalar arithmetic is ordinary commutative polynomial arithmetic.
/// </summary>
public sealed record ScalarAtom(Word Word, bool Cyclic)
{
    private static readonly ConcurrentDictionary<Variable, ScalarAtom> ByVariable = new();

    /// <summary>How the atom prints: <c>tr(W_j^T W_j)</c> or <c>(u_1^T W_2)</c>.</summary>
    public string Display => Cyclic ? $"tr({Word})" : $"({Word})";

    /// <summary>
    /// The interned variable standing for this atom. Its name carries the letters' sizes as well as their names, so two atoms
    /// that print alike but are built from letters of different shapes stay different variables.
    /// </summary>
    public Variable Variable
    {
        get
        {
            var shapes = string.Join(",", Word.Letters.Select(l => l.Symbol).Distinct().Select(x => $"{x.Name}:{x.Rows}x{x.Cols}"));
            var v = Variable.Of($"{Display}⟦{shapes}⟧");
            var known = ByVariable.GetOrAdd(v, this);
            if (known != this) throw new InvalidOperationException($"two scalar atoms print as {v.Name}");
            return v;
        }
    }

    /// <summary>The atom a variable stands for, or null for an ordinary scalar variable.</summary>
    public static ScalarAtom? Of(Variable v) => ByVariable.GetValueOrDefault(v);

    /// <summary>The canonical 1x1 atom of a 1x1 word with no inner 1x1 factor: the smaller of w and w^T.</summary>
    internal static ScalarAtom Open(Word w)
    {
        var t = w.Transpose();
        return new ScalarAtom(t.CompareTo(w) < 0 ? t : w, false);
    }

    /// <summary>The canonical trace atom: the smallest rotation of w or of w^T.</summary>
    internal static ScalarAtom Trace(Word w)
    {
        var best = w;
        foreach (var candidate in new[] { w, w.Transpose() })
            for (int i = 0; i < candidate.Length; i++)
                if (candidate.Rotate(i) is var r && r.CompareTo(best) < 0) best = r;
        return new ScalarAtom(best, true);
    }

    public bool Equals(ScalarAtom? other) => other is not null && Cyclic == other.Cyclic && Word.Equals(other.Word);
    public override int GetHashCode() => HashCode.Combine(Word, Cyclic);
}
