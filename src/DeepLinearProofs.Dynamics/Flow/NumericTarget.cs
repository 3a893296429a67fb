using DeepLinearProofs.Algebra;
using DeepLinearProofs.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>
/// A numeric target Z (d_N x d_0) with exact entries and its SVD Z = sum s_i u_i v_i^T (MathNet),
/// singular values descending and singular vectors as columns (docs/theory.md, section 1).
/// </summary>
public sealed class NumericTarget
{
    public Rational[,] Exact { get; }
    public double[,] Values { get; }
    public int Rows => Values.GetLength(0);
    public int Cols => Values.GetLength(1);

    /// <summary>s_1 >= s_2 >= ... (min(rows, cols) values, zeros included).</summary>
    public double[] Singular { get; }

    /// <summary>u_i as U[:, i] (Rows x Rows).</summary>
    public double[,] U { get; }

    /// <summary>v_i as V[:, i] (Cols x Cols).</summary>
    public double[,] V { get; }

    /// <summary>Number of singular values above 1e-12 s_1.</summary>
    public int Rank { get; }

    /// <summary>True when Z is diagonal (padded): the singular basis is the standard one and no mixing transform is needed.</summary>
    public bool IsDiagonal { get; }

    public NumericTarget(Rational[,] exact)
    {
        Exact = exact;
        int m = exact.GetLength(0), n = exact.GetLength(1);
        Values = new double[m, n];
        bool diagonal = true;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                Values[i, j] = exact[i, j].ToDouble();
                if (i != j && !exact[i, j].IsZero) diagonal = false;
            }
        IsDiagonal = diagonal;
        CheckRange(Values);
        if (diagonal)
        {
            // Exact singular basis: sort |z_ii| descending, sign carried by u.
            int p = Math.Min(m, n);
            var order = Enumerable.Range(0, p).OrderByDescending(i => Math.Abs(Values[i, i])).ThenBy(i => i).ToArray();
            Singular = order.Select(i => Math.Abs(Values[i, i])).ToArray();
            U = new double[m, m];
            V = new double[n, n];
            var usedRows = new bool[m];
            var usedCols = new bool[n];
            for (int k = 0; k < p; k++)
            {
                int i = order[k];
                U[i, k] = Values[i, i] < 0 ? -1 : 1;
                V[i, k] = 1;
                usedRows[i] = usedCols[i] = true;
            }
            int next = p;
            for (int i = 0; i < m; i++) if (!usedRows[i]) U[i, next++] = 1;
            next = p;
            for (int j = 0; j < n; j++) if (!usedCols[j]) V[j, next++] = 1;
        }
        else
        {
            var svd = Matrix<double>.Build.DenseOfArray(Values).Svd(computeVectors: true);
            Singular = svd.S.ToArray();
            U = svd.U.ToArray();
            V = svd.VT.Transpose().ToArray();
        }
        if (Singular.Length == 0 || Singular[0] == 0)
            throw new NetworkInputException("the target Z is zero, which docs/theory.md excludes (section 1): give a non-zero target");
        Rank = Singular.Count(s => s > 1e-12 * Singular[0]);
    }

    /// <summary>
    /// Refuses a target whose entries overflow double or whose ||Z||_F^2 (>= s_1^2) does: the loss and the flow's
    /// products would be infinite. Dividing Z by c is the same flow with weights scaled by c^(-1/N) and time stretched by c^(2-2/N).
    /// </summary>
    private static void CheckRange(double[,] values)
    {
        double max = 0, squares = 0;
        foreach (var v in values) { max = Math.Max(max, Math.Abs(v)); squares += v * v; }
        if (!double.IsFinite(max))
            throw new NetworkInputException("target entries overflow double (beyond 1.8e308); rescale the target");
        if (!double.IsFinite(squares))
            throw new NetworkInputException($"target entries up to {max.ToString("0.##e+0", System.Globalization.CultureInfo.InvariantCulture)}: s_1^2 overflows double; rescale the target (Z/c runs the same flow with weights scaled by c^(-1/N) and time stretched by c^(2-2/N))");
    }

    /// <summary>The numeric target of a network; symbolic targets and non-whitened data are refused with the fix.</summary>
    public static NumericTarget Of(Architecture arch, Target target)
    {
        if (target is SymbolicTarget)
            throw new NetworkInputException("simulation needs a numeric target: give diag(3,2,1), [[...]] rows, or a problem file");
        if (target is DataTarget data && !data.IsWhitened)
            throw new NetworkInputException("data targets simulate the flow of 1/2||Z - P||^2 only when X X^T = I (docs/theory.md, T0); whiten the data first");
        var z = target.Matrix(arch);
        var exact = new Rational[z.Rows, z.Cols];
        for (int i = 0; i < z.Rows; i++)
            for (int j = 0; j < z.Cols; j++)
            {
                if (!z[i, j].IsConstant) throw new NetworkInputException("simulation needs a numeric target");
                exact[i, j] = z[i, j].ConstantTerm;
            }
        return new NumericTarget(exact);
    }

    public double S(int i) => i < Singular.Length ? Singular[i] : 0;

    /// <summary>u_i^T x (0-based i).</summary>
    public double UComponent(int i, double[] x)
    {
        double s = 0;
        for (int r = 0; r < Rows; r++) s += U[r, i] * x[r];
        return s;
    }

    /// <summary>v_i^T y (0-based i).</summary>
    public double VComponent(int i, double[] y)
    {
        double s = 0;
        for (int r = 0; r < Cols; r++) s += V[r, i] * y[r];
        return s;
    }

    /// <summary>L = 1/2 ||Z - P||_F^2 for a numeric P.</summary>
    public double LossAt(MathNet.Numerics.LinearAlgebra.Matrix<double> p)
    {
        double sum = 0;
        for (int i = 0; i < Rows; i++)
            for (int c = 0; c < Cols; c++) { double e = Values[i, c] - p[i, c]; sum += e * e; }
        return sum / 2;
    }
    public double[] UColumn(int i) => Enumerable.Range(0, Rows).Select(r => U[r, i]).ToArray();
    public double[] VColumn(int i) => Enumerable.Range(0, Cols).Select(r => V[r, i]).ToArray();

    /// <summary>Number of distinct positive singular values equal to s_1 up to rounding (1 means a gap s_1 > s_2).</summary>
    public bool HasGap => Singular.Length < 2 || Singular[0] - Singular[1] > 1e-9 * Singular[0];

    public double FrobeniusSquared => Singular.Sum(s => s * s);
}
