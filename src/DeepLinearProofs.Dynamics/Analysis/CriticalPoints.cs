using DeepLinearProofs.Dynamics.Flow;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>
/// The critical points of L in terms of P (docs/theory.md, T7): P = 0 with loss 1/2||Z||^2, and P = s_i u_i v_i^T with
/// loss 1/2(||Z||^2 - s_i^2). Those with s_i = s_1 are global minimisers (T6); the others are saddles.
/// </summary>
public sealed class CriticalPoints
{
    public NumericTarget Target { get; }

    /// <summary>The largest rank P can have: min_j d_j (1 with a one-neuron layer, docs/theory.md, T5).</summary>
    public int MaxRank { get; }

    public CriticalPoints(NumericTarget target, int maxRank = 1)
    {
        Target = target;
        MaxRank = maxRank;
    }

    /// <summary>Number of positive singular values (critical points besides P = 0).</summary>
    public int Count => Target.Rank;

    public double OriginLoss => Target.FrobeniusSquared / 2;

    /// <summary>Loss at P = s_i u_i v_i^T (i 1-based).</summary>
    public double Loss(int i) => (Target.FrobeniusSquared - Target.S(i - 1) * Target.S(i - 1)) / 2;

    /// <summary>1/2 sum_{i > r} s_i^2 with r the largest rank of P (T6 for r = 1).</summary>
    public double MinimumLoss => Target.Singular.Skip(MaxRank).Sum(s => s * s) / 2;

    /// <summary>True when P_i = s_i u_i v_i^T is a global minimiser: rank-one P and s_i = s_1 (up to rounding).</summary>
    public bool IsGlobal(int i) => MaxRank == 1 && Math.Abs(Target.S(i - 1) - Target.S(0)) <= 1e-12 * Target.S(0);

    /// <summary>
    /// For P of rank up to <see cref="MaxRank"/> &gt; 1 (no one-neuron layer): the nearest critical point
    /// sum_{i in S} s_i u_i v_i^T, |S| &lt;= MaxRank, chosen mode by mode, and its distance (simple singular values assumed).
    /// </summary>
    public (IReadOnlyList<int> Modes, double Distance) NearestSubset(Matrix<double> p)
    {
        var chosen = new List<int>();
        var candidate = Matrix<double>.Build.Dense(p.RowCount, p.ColumnCount);
        var scored = Enumerable.Range(1, Count)
            .Select(i => (i, c: Vector<double>.Build.DenseOfArray(Target.UColumn(i - 1)) * p * Vector<double>.Build.DenseOfArray(Target.VColumn(i - 1))))
            .Where(x => x.c > Target.S(x.i - 1) / 2).OrderByDescending(x => x.c).Take(MaxRank).Select(x => x.i).OrderBy(i => i);
        foreach (var i in scored)
        {
            chosen.Add(i);
            candidate += Point(i);
        }
        return (chosen, (p - candidate).FrobeniusNorm());
    }

    // The points s_i u_i v_i^T and the levels sharing each s_i, formed once (they depend on Z alone; a sweep classifies every start against them).
    private Matrix<double>[]? _points;
    private List<int>[]? _same;

    /// <summary>P_i = s_i u_i v_i^T (shared: do not modify it).</summary>
    public Matrix<double> Point(int i) => i >= 1 && i <= Count ? (_points ??= Enumerable.Range(1, Count).Select(FormPoint).ToArray())[i - 1] : FormPoint(i);

    /// <summary>|A - B|_F in one pass over the two column-major arrays (no difference matrix: this runs once per start of a sweep).</summary>
    private static double FrobeniusDistance(Matrix<double> a, Matrix<double> b)
    {
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount) throw new ArgumentException($"{a.RowCount}x{a.ColumnCount} against {b.RowCount}x{b.ColumnCount}");
        if (a.Storage is not MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> sa
            || b.Storage is not MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> sb)
            return (a - b).FrobeniusNorm();
        double sum = 0;
        var (x, y) = (sa.Data, sb.Data);
        for (int k = 0; k < x.Length; k++) { double d = x[k] - y[k]; sum += d * d; }
        return Math.Sqrt(sum);
    }

    private List<int> Level(int i) => Enumerable.Range(1, Count).Where(l => Math.Abs(Target.S(l - 1) - Target.S(i - 1)) <= 1e-12 * Target.S(0)).ToList();

    private Matrix<double> FormPoint(int i)
    {
        var u = Vector<double>.Build.DenseOfArray(Target.UColumn(i - 1));
        var v = Vector<double>.Build.DenseOfArray(Target.VColumn(i - 1));
        return Target.S(i - 1) * u.OuterProduct(v);
    }

    /// <summary>Distance from P to the critical set at level s_i: min over unit singular pairs of s_i when s_i is repeated.</summary>
    public double Distance(Matrix<double> p, int i)
    {
        double s = Target.S(i - 1);
        var same = i >= 1 && i <= Count ? (_same ??= Enumerable.Range(1, Count).Select(Level).ToArray())[i - 1] : Level(i);
        if (same.Count == 1) return FrobeniusDistance(p, Point(i));
        // Repeated value: P's projection onto the singular subspace must be s x y^T with unit (x, y) in it.
        var u = Matrix<double>.Build.DenseOfColumnArrays(same.Select(l => Target.UColumn(l - 1)));
        var v = Matrix<double>.Build.DenseOfColumnArrays(same.Select(l => Target.VColumn(l - 1)));
        var inner = u.TransposeThisAndMultiply(p) * v;          // coordinates of P in the subspace
        var svd = inner.Svd(true);
        var best = s * svd.U.Column(0).OuterProduct(svd.VT.Row(0));
        var projected = u * best * v.Transpose();
        return (p - projected).FrobeniusNorm();
    }
}
