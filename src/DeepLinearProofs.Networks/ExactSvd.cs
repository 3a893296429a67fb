using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>
/// An exact singular value decomposition Z = sum_i s_i u_i v_i^T: <see cref="Values"/> s_1 &gt;= s_2 &gt;= ... &gt;= 0
/// (min(d_0, d_N) of them, zeros included), <see cref="Left"/> u_1..u_{d_N} and <see cref="Right"/> v_1..v_{d_0}
/// orthonormal bases. <see cref="Note"/> says how the target was read when that is not s_i = Z[i,i], u_i = v_i = e_i.
/// </summary>
public sealed record ExactSvd(IReadOnlyList<Rational> Values, IReadOnlyList<IReadOnlyList<Rational>> Left, IReadOnlyList<IReadOnlyList<Rational>> Right, string? Note)
{
    /// <summary>
    /// The exact SVD of a diagonal target (any order and signs) or a signed generalized permutation matrix (at most one
    /// non-zero per row and column): signs go into u, the sort (stable, so ties keep the listed order) into both u and v,
    /// and the remaining unit vectors complete the bases. Other targets get the one-line reason and what to write instead.
    /// </summary>
    public static ExactSvdResult Of(Target target, Architecture arch)
    {
        const string Fix = "write the target as diag(...) or as a signed permutation matrix (at most one non-zero per row and column), or state the claim with Z";
        switch (target)
        {
            case SymbolicTarget:
                return ExactSvdResult.Fail($"s[i], u[i], v[i] need a numeric target but the target is symbolic; {Fix}");
            case DataTarget:
                return ExactSvdResult.Fail($"s[i], u[i], v[i] are not computed for data targets (Z = Y X^T Sigma^(-1/2) has no exact SVD here); {Fix}");
        }
        PolyMatrix z;
        try { z = target.Matrix(arch); }
        catch (NetworkInputException e) { return ExactSvdResult.Fail(e.Message); }
        int m = z.Rows, n = z.Cols;
        var nonZero = new List<(int Row, int Col, Rational Value)>();
        var rowUsed = new bool[m];
        var colUsed = new bool[n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                var p = z[i, j];
                if (!p.IsConstant) return ExactSvdResult.Fail($"s[i], u[i], v[i] need a numeric target but Z[{i + 1},{j + 1}] is {p}; {Fix}");
                if (p.IsZero) continue;
                if (rowUsed[i] || colUsed[j])
                    return ExactSvdResult.Fail($"s[i], u[i], v[i] need an exact SVD, but target {target.Describe()} has a second non-zero entry in {(rowUsed[i] ? $"row {i + 1}" : $"column {j + 1}")}, so its singular values are those of a general matrix (often irrational); {Fix}");
                rowUsed[i] = colUsed[j] = true;
                nonZero.Add((i, j, p.ConstantTerm));
            }
        var sorted = nonZero.OrderByDescending(e => e.Value.Abs()).ToList(); // stable: ties keep the listed (row) order
        int rank = sorted.Count, size = Math.Min(m, n);
        var values = sorted.Select(e => e.Value.Abs()).Concat(Enumerable.Repeat(Rational.Zero, size - rank)).ToList();
        var left = new List<Rational[]>();
        var right = new List<Rational[]>();
        foreach (var (row, col, value) in sorted)
        {
            left.Add(Unit(m, row, value.Sign < 0 ? Rational.MinusOne : Rational.One));
            right.Add(Unit(n, col, Rational.One));
        }
        for (int i = 0; i < m; i++) if (!rowUsed[i]) left.Add(Unit(m, i, Rational.One));
        for (int j = 0; j < n; j++) if (!colUsed[j]) right.Add(Unit(n, j, Rational.One));
        return ExactSvdResult.Ok(new ExactSvd(values, left, right, Describe(target, values, left, right)));
    }

    private static Rational[] Unit(int size, int at, Rational sign)
    {
        var e = Enumerable.Repeat(Rational.Zero, size).ToArray();
        e[at] = sign;
        return e;
    }

    /// <summary>Null when s_i = Z[i,i] and u_i = v_i = e_i with no repeated positive value; else what was applied.</summary>
    private static string? Describe(Target target, List<Rational> values, List<Rational[]> left, List<Rational[]> right)
    {
        static bool Standard(Rational[] v, int k) => k < v.Length && v[k].IsOne;
        static string Name(Rational[] v)
        {
            int at = Array.FindIndex(v, x => !x.IsZero);
            return (v[at].Sign < 0 ? "-" : "") + $"e_{at + 1}";
        }
        var parts = new List<string>();
        bool normalised = Enumerable.Range(0, left.Count).Any(k => !Standard(left[k], k)) || Enumerable.Range(0, right.Count).Any(k => !Standard(right[k], k));
        if (normalised)
        {
            var vectors = new List<string>();
            for (int k = 0; k < Math.Max(left.Count, right.Count); k++)
            {
                if (k < left.Count && (k < values.Count || !Standard(left[k], k))) vectors.Add($"u_{k + 1} = {Name(left[k])}");
                if (k < right.Count && (k < values.Count || !Standard(right[k], k))) vectors.Add($"v_{k + 1} = {Name(right[k])}");
            }
            parts.Add($"{target.Describe()} read as s = ({string.Join(", ", values)}): {string.Join(", ", vectors)}");
        }
        var repeated = values.Where(s => s.Sign > 0).GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
            parts.Add($"the singular value{(repeated.Count > 1 ? "s" : "")} {string.Join(", ", repeated)} repeat{(repeated.Count > 1 ? "" : "s")}, so these u_i, v_i are one valid choice (any rotation within a repeated value also works)");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

/// <summary>An <see cref="ExactSvd"/>, or the one-line reason it is not available (with what to write instead).</summary>
public sealed record ExactSvdResult(ExactSvd? Decomposition, string? Unavailable)
{
    public static ExactSvdResult Ok(ExactSvd d) => new(d, null);
    public static ExactSvdResult Fail(string reason) => new(null, reason);

    /// <summary>How the target was normalised (signs, order, ties), or null when nothing needed saying.</summary>
    public string? Note => Decomposition?.Note;
}
