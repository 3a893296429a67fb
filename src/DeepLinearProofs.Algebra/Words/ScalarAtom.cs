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

    /// <summary>How the atom prints: <c>tr(Z^T Z)</c>, <c>(u_1^T W_N v_1)</c>.</summary>
    public string Display => Cyclic ? $"tr({Word})" : $"({Word})";

    /// <summary>
    /// The interned variable standing for this atom. Its name is the display followed by the sizes at the junctions of the
    /// word (<see cref="SizesOpen"/> ... <see cref="SizesClose"/>): two networks may give one letter name two shapes (Z is
    /// d_N x d_0 at every depth, d_2 x d_0 at depth 2), and distinct atoms must be distinct variables.
    /// </summary>
    public Variable Variable
    {
        get
        {
            var sizes = string.Join(",", Word.Letters.Select(l => l.Rows.Name).Append(Word[^1].Cols.Name));
            var v = Variable.Of($"{Display}{SizesOpen}{sizes}{SizesClose}");
            var known = ByVariable.GetOrAdd(v, this);
            if (known != this) throw new InvalidOperationException($"two scalar atoms are named {v.Name}");
            return v;
        }
    }

    public const char SizesOpen = '\u27E8', SizesClose = '\u27E9';

    /// <summary>Text with every atom's sizes suffix removed (what a person reads; the sizes are in the letters' shapes).</summary>
    public static string WithoutSizes(string text)
    {
        if (text.IndexOf(SizesOpen) < 0) return text;
        var sb = new System.Text.StringBuilder(text.Length);
        int depth = 0;
        foreach (var ch in text)
        {
            if (ch == SizesOpen) depth++;
            else if (ch == SizesClose && depth > 0) depth--;
            else if (depth == 0) sb.Append(ch);
        }
        return sb.ToString();
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
