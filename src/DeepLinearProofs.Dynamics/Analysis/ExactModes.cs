using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;

namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>How the zero test on one mode's criterion p_i was decided.</summary>
public enum ModeTest
{
    /// <summary>p_i = 0, proved in exact rational arithmetic.</summary>
    ZeroExact,
    /// <summary>p_i != 0, proved in exact rational arithmetic.</summary>
    NonZeroExact,
    /// <summary>p_i != 0 in double: |p_i| exceeds the rounding-error bound of its evaluation.</summary>
    NonZeroBound,
    /// <summary>|p_i| is within the rounding-error bound of 0: the criterion cannot be decided in double.</summary>
    Undecided,
}

/// <summary>
/// The singular modes of a rational target where they are rational: for mode i, q_i = s_i^2 and an
/// unnormalised right singular vector v with Z^T Z v = q_i v, whose left partner is u = Z v / s_i (|u| = |v|).
/// s_i itself may be irrational; every zero test below is written in q_i, v and Z v only, so it is exact.
/// A mode is exact when q_i is a rational eigenvalue of Z^T Z of multiplicity one with exactly i eigenvalues above it
/// (both proved by exact elimination, so the eigenvector found is mode i's and not a neighbour's whose square rounds
/// to the same rational), or when Z is diagonal (the standard basis, whatever the multiplicities).
/// </summary>
public sealed class ExactModes
{
    /// <summary>Largest input dimension for which the exact eigenvector search is attempted.</summary>
    public const int MaxDimension = 48;

    private readonly (Rational Q, Rational[] V, Rational[] ZV)?[] _modes;

    private ExactModes((Rational, Rational[], Rational[])?[] modes, int? rank)
    {
        _modes = modes;
        ExactRank = rank;
    }

    /// <summary>The exact rank of Z (number of s_i > 0), or null when it was not computed (large non-diagonal Z).</summary>
    public int? ExactRank { get; }

    public bool IsExact(int i) => i < _modes.Length && _modes[i] is not null;

    public (Rational Q, Rational[] V, Rational[] ZV) Mode(int i) => _modes[i] ?? throw new InvalidOperationException($"mode {i + 1} is not exact");

    public static ExactModes Of(NumericTarget z)
    {
        int rank = z.Rank, m = z.Rows, n = z.Cols;
        var modes = new (Rational, Rational[], Rational[])?[rank];
        if (z.IsDiagonal)
        {
            int exactRank = Enumerable.Range(0, Math.Min(m, n)).Count(r => !z.Exact[r, r].IsZero);
            for (int i = 0; i < rank; i++)
            {
                int row = Enumerable.Range(0, Math.Min(m, n)).First(r => z.V[r, i] != 0);
                var v = Unit(n, row);
                modes[i] = (z.Exact[row, row] * z.Exact[row, row], v, Times(z.Exact, v));
            }
            return new ExactModes(modes, exactRank);
        }
        if (n > MaxDimension) return new ExactModes(modes, null);
        var gram = new Rational[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                Rational sum = Rational.Zero;
                for (int r = 0; r < m; r++) sum += z.Exact[r, a] * z.Exact[r, b];
                gram[a, b] = sum;
            }
        for (int i = 0; i < rank; i++)
        {
            double s2 = z.S(i) * z.S(i);
            if (Reconstruct(s2) is not Rational q) continue;
            // The kernel alone does not say which mode q is: s_i^2 = (1 + 1e-11)^2 reconstructs to 1, which may be s_{i+1}^2.
            if (Kernel(gram, q) is { } v && PositiveEigenvalues(gram, q) == i) modes[i] = (q, v, Times(z.Exact, v));
        }
        return new ExactModes(modes, Rank(gram));
    }

    /// <summary>True when modes i and j are both exact and s_i = s_j exactly.</summary>
    public bool SameValue(int i, int j) => IsExact(i) && IsExact(j) && Mode(i).Q == Mode(j).Q;

    /// <summary>The number of eigenvalues of G greater than q: the positive inertia of G - q I (Sylvester), by exact congruence.</summary>
    private static int PositiveEigenvalues(Rational[,] g, Rational q)
    {
        int n = g.GetLength(0);
        var a = new Rational[n, n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) a[r, c] = r == c ? g[r, c] - q : g[r, c];
        var left = Enumerable.Range(0, n).ToList();
        int positive = 0;
        while (left.Count > 0)
        {
            int k = left.FirstOrDefault(i => !a[i, i].IsZero, -1);
            if (k < 0)
            {
                // Zero diagonal: row/column k += row/column l turns a[k, l] != 0 into the pivot 2 a[k, l] (a congruence).
                var pair = left.SelectMany(i => left.Where(j => j != i && !a[i, j].IsZero).Select(j => (i, j))).FirstOrDefault((-1, -1));
                if (pair.Item1 < 0) break;
                var (kk, l) = pair;
                foreach (int c in left) a[kk, c] += a[l, c];
                foreach (int r in left) a[r, kk] += a[r, l];
                k = kk;
            }
            if (a[k, k].Sign > 0) positive++;
            left.Remove(k);
            var inv = a[k, k].Reciprocal();
            foreach (int r in left)
            {
                if (a[r, k].IsZero) continue;
                var f = a[r, k] * inv;
                foreach (int c in left) a[r, c] -= f * a[k, c];
            }
        }
        return positive;
    }

    /// <summary>The rank of a square rational matrix (exact elimination).</summary>
    private static int Rank(Rational[,] g)
    {
        int n = g.GetLength(0);
        var a = (Rational[,])g.Clone();
        int row = 0;
        for (int col = 0; col < n && row < n; col++)
        {
            int p = Enumerable.Range(row, n - row).FirstOrDefault(r => !a[r, col].IsZero, -1);
            if (p < 0) continue;
            for (int c = 0; c < n; c++) (a[row, c], a[p, c]) = (a[p, c], a[row, c]);
            for (int r = row + 1; r < n; r++)
            {
                if (a[r, col].IsZero) continue;
                var f = a[r, col] / a[row, col];
                for (int c = col; c < n; c++) a[r, c] -= f * a[row, c];
            }
            row++;
        }
        return row;
    }

    /// <summary>The one-dimensional kernel of G - q I, or null when it is trivial or larger (exact elimination).</summary>
    private static Rational[]? Kernel(Rational[,] g, Rational q)
    {
        int n = g.GetLength(0);
        var a = new Rational[n, n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) a[r, c] = r == c ? g[r, c] - q : g[r, c];
        var pivotOfColumn = Enumerable.Repeat(-1, n).ToArray();
        int row = 0;
        for (int col = 0; col < n && row < n; col++)
        {
            int p = Enumerable.Range(row, n - row).FirstOrDefault(r => !a[r, col].IsZero, -1);
            if (p < 0) continue;
            for (int c = 0; c < n; c++) (a[row, c], a[p, c]) = (a[p, c], a[row, c]);
            var inv = a[row, col].Reciprocal();
            for (int c = 0; c < n; c++) a[row, c] *= inv;
            for (int r = 0; r < n; r++)
            {
                if (r == row || a[r, col].IsZero) continue;
                var f = a[r, col];
                for (int c = 0; c < n; c++) a[r, c] -= f * a[row, c];
            }
            pivotOfColumn[col] = row++;
        }
        var free = Enumerable.Range(0, n).Where(c => pivotOfColumn[c] < 0).ToList();
        if (free.Count != 1) return null;
        var v = new Rational[n];
        for (int c = 0; c < n; c++)
            v[c] = pivotOfColumn[c] < 0 ? (c == free[0] ? Rational.One : Rational.Zero) : -a[pivotOfColumn[c], free[0]];
        return v;
    }

    /// <summary>A rational with a small denominator within rounding of x (continued fractions), or null.</summary>
    internal static Rational? Reconstruct(double x)
    {
        if (!(x > 0) || !double.IsFinite(x) || x > 1e15) return null;
        System.Numerics.BigInteger h0 = 0, h1 = 1, k0 = 1, k1 = 0;
        double rest = x;
        for (int step = 0; step < 40; step++)
        {
            double a = Math.Floor(rest);
            var ai = new System.Numerics.BigInteger(a);
            (h0, h1) = (h1, ai * h1 + h0);
            (k0, k1) = (k1, ai * k1 + k0);
            if (k1 > 1_000_000_000) return null;
            double approx = (double)h1 / (double)k1;
            if (Math.Abs(approx - x) <= 1e-10 * x) return Rational.Create(h1, k1);
            double frac = rest - a;
            if (frac < 1e-15) break;
            rest = 1 / frac;
        }
        return null;
    }

    private static Rational[] Unit(int n, int i) => Enumerable.Range(0, n).Select(k => k == i ? Rational.One : Rational.Zero).ToArray();

    private static Rational[] Times(Rational[,] z, Rational[] v)
    {
        int m = z.GetLength(0), n = z.GetLength(1);
        var r = new Rational[m];
        for (int i = 0; i < m; i++)
        {
            Rational sum = Rational.Zero;
            for (int j = 0; j < n; j++) sum += z[i, j] * v[j];
            r[i] = sum;
        }
        return r;
    }

    public static Rational Dot(Rational[] a, IReadOnlyList<Rational> b)
    {
        Rational sum = Rational.Zero;
        for (int i = 0; i < a.Length && i < b.Count; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// Balanced criterion (T11): p_i = u_i^T x/|x| + v_i^T y/|y| = 0, with u_i = Z v / s and |u_i| = |v|, holds iff
    /// (Zv.x)|y| = -s (v.y)|x|: opposite signs (or both zero) and (Zv.x)^2 |y|^2 = q (v.y)^2 |x|^2.
    /// </summary>
    public bool BalancedZero(int i, IReadOnlyList<Rational> x, IReadOnlyList<Rational> y)
    {
        var (q, v, zv) = Mode(i);
        Rational ux = Dot(zv, x), vy = Dot(v, y);
        if (ux.Sign * vy.Sign > 0) return false;
        Rational nx = Dot([.. x], x), ny = Dot([.. y], y);
        return ux * ux * ny == q * vy * vy * nx;
    }

    /// <summary>
    /// Two-layer criterion (T14): p_i = s alpha + (mu - c/2) beta = 0 with alpha = u^T a, beta = v^T b. In alpha' = (Zv).a
    /// = s|v| alpha and beta' = v.b = |v| beta it reads alpha'^2 - q beta'^2 = c alpha' beta' and alpha'(q beta' + alpha' c/2) &lt;= 0
    /// (the sign condition picks the root mu - c/2 >= 0 of the quadratic; see E4's g).
    /// </summary>
    public bool TwoLayerZero(int i, IReadOnlyList<Rational> a, IReadOnlyList<Rational> b, Rational c)
    {
        var (q, v, zv) = Mode(i);
        Rational alpha = Dot(zv, a), beta = Dot(v, b);
        if (alpha * alpha - q * beta * beta != c * alpha * beta) return false;
        return (alpha * (q * beta + alpha * c / 2)).Sign <= 0;
    }

    /// <summary>
    /// A bound on the rounding error of p_i evaluated in double from a numeric SVD: the singular vectors carry an
    /// error ~ eps |Z| / gap_i (Wedin), times the scale of the quantity.
    /// </summary>
    public static double RoundingBound(NumericTarget z, int i, double scale)
    {
        double gap = double.PositiveInfinity;
        int count = Math.Max(z.Rows, z.Cols);
        for (int j = 0; j < count; j++) if (j != i) gap = Math.Min(gap, Math.Abs(z.S(i) - z.S(j)));
        double cond = gap > 0 ? z.S(0) / gap : double.PositiveInfinity;
        return 1e3 * 2.220446049250313e-16 * (1 + cond) * count * scale;
    }
}
