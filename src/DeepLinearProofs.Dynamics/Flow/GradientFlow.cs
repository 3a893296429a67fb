using MemoryMarshal = System.Runtime.InteropServices.MemoryMarshal;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>How the right-hand side of T1 is evaluated.</summary>
public enum FlowStructure { Auto, Dense, RankOne }

/// <summary>The gradient flow dW_j/dt = W_{N:j+1}^T E W_{j-1:1}^T (docs/theory.md, T1) as a vector field on the packed weights.</summary>
public abstract class GradientFlow<T> : IVectorField<T> where T : struct, IReal<T>
{
    public WeightLayout Layout { get; }
    public TargetOperator<T> Target { get; }
    public int Dimension => Layout.Dimension;

    protected GradientFlow(WeightLayout layout, TargetOperator<T> target)
    {
        Layout = layout;
        Target = target;
    }

    public abstract void Evaluate(ReadOnlySpan<T> y, Span<T> dy);

    /// <summary>"dense" or "rank-one".</summary>
    public abstract string Structure { get; }

    /// <summary>Floating-point operations (multiplies and adds) of one evaluation.</summary>
    public abstract long FlopsPerEvaluation { get; }

    /// <summary>The flops a dense evaluation (prefix/suffix products, O(d^3)) would cost on this network.</summary>
    public long DenseFlops => DenseGradientFlow<T>.CountFlops(Layout);

    /// <summary>Auto chooses the rank-one evaluation (docs/theory.md, T5) when the network has a one-neuron layer.</summary>
    public static GradientFlow<T> Create(Architecture arch, NumericTarget z, FlowStructure structure = FlowStructure.Auto)
    {
        var layout = new WeightLayout(arch);
        bool lowRank = typeof(T) == typeof(F64);
        var op = new TargetOperator<T>(z, lowRank);
        if (structure == FlowStructure.RankOne && arch.OneNeuronLayer is null)
            throw new Simulation.RequestFieldException(Simulation.RequestField.Structure, $"rank-one needs a one-neuron layer but widths {arch} have none; use dense");
        // Auto takes the rank-one evaluation whenever there is a one-neuron layer: on 3,1,3, where the dense flop
        // count is lower (90 vs 114), both measured 0.0004 s for the whole stiff benchmark (median of 9).
        if (structure == FlowStructure.Dense || arch.OneNeuronLayer is not int k) return new DenseGradientFlow<T>(layout, op);
        return new RankOneGradientFlow<T>(layout, op, k);
    }
}

/// <summary>T1 evaluated with dense prefix products W_{j:1} and suffix products W_{N:j}; works for any widths.</summary>
public sealed class DenseGradientFlow<T> : GradientFlow<T> where T : struct, IReal<T>
{
    private readonly T[][] _prefix;  // W_{j:1}, d_j x d_0, j = 1..N
    private readonly T[][] _suffix;  // W_{N:j}, d_N x d_{j-1}, j = 1..N
    private readonly T[] _e, _m;

    public DenseGradientFlow(WeightLayout layout, TargetOperator<T> target) : base(layout, target)
    {
        var a = layout.Architecture;
        int n = a.Depth, d0 = a.Width(0), dn = a.Width(n);
        _prefix = new T[n + 1][];
        _suffix = new T[n + 2][];
        for (int j = 1; j <= n; j++)
        {
            _prefix[j] = new T[a.Width(j) * d0];
            _suffix[j] = new T[dn * a.Width(j - 1)];
        }
        _e = new T[dn * d0];
        _m = new T[dn * a.Widths.Max()];
    }

    public override string Structure => "dense";
    public override long FlopsPerEvaluation => CountFlops(Layout);

    internal static long CountFlops(WeightLayout layout)
    {
        var a = layout.Architecture;
        int n = a.Depth, d0 = a.Width(0), dn = a.Width(n);
        long f = 0;
        for (int j = 2; j <= n; j++) f += 2L * a.Width(j) * a.Width(j - 1) * d0;        // prefix
        for (int j = n - 1; j >= 1; j--) f += 2L * dn * a.Width(j) * a.Width(j - 1);   // suffix
        for (int j = 1; j <= n; j++)
        {
            if (j > 1) f += 2L * dn * d0 * a.Width(j - 1);                               // E W_{j-1:1}^T
            if (j < n) f += 2L * a.Width(j) * dn * a.Width(j - 1);                       // W_{N:j+1}^T (...)
        }
        return f + 2L * dn * d0;
    }

    public override void Evaluate(ReadOnlySpan<T> y, Span<T> dy)
    {
        var a = Layout.Architecture;
        int n = a.Depth, d0 = a.Width(0), dn = a.Width(n);
        y.Slice(Layout.Offset(1), Layout.Size(1)).CopyTo(_prefix[1]);
        for (int j = 2; j <= n; j++)
            MatMul(y.Slice(Layout.Offset(j), Layout.Size(j)), a.Width(j), a.Width(j - 1), _prefix[j - 1], d0, _prefix[j]);
        y.Slice(Layout.Offset(n), Layout.Size(n)).CopyTo(_suffix[n]);
        for (int j = n - 1; j >= 1; j--)
            MatMul(_suffix[j + 1], dn, a.Width(j), y.Slice(Layout.Offset(j), Layout.Size(j)), a.Width(j - 1), _suffix[j]);
        var p = _prefix[n];
        for (int i = 0; i < dn; i++)
            for (int c = 0; c < d0; c++) _e[i * d0 + c] = Target.Entry(i, c) - p[i * d0 + c];
        for (int j = 1; j <= n; j++)
        {
            int dj = a.Width(j), dj1 = a.Width(j - 1);
            // M = E W_{j-1:1}^T  (dn x d_{j-1})
            ReadOnlySpan<T> m = _e;
            if (j > 1)
            {
                MatMulTransposed(_e, dn, d0, _prefix[j - 1], dj1, _m);
                m = _m.AsSpan(0, dn * dj1);
            }
            var g = dy.Slice(Layout.Offset(j), Layout.Size(j));
            if (j == n) m.CopyTo(g);
            else TransposedMatMul(_suffix[j + 1], dn, dj, m, dj1, g);
        }
    }

    /// <summary>C (m x p) = A (m x k) B (k x p).</summary>
    private static void MatMul(ReadOnlySpan<T> aM, int m, int k, ReadOnlySpan<T> b, int p, Span<T> c)
    {
        c[..(m * p)].Clear();
        for (int i = 0; i < m; i++)
            for (int l = 0; l < k; l++)
            {
                T ail = aM[i * k + l];
                for (int j = 0; j < p; j++) c[i * p + j] += ail * b[l * p + j];
            }
    }

    /// <summary>C (m x p) = A (m x k) B^T with B p x k.</summary>
    private static void MatMulTransposed(ReadOnlySpan<T> aM, int m, int k, ReadOnlySpan<T> b, int p, Span<T> c)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < p; j++)
            {
                T acc = T.Zero;
                for (int l = 0; l < k; l++) acc += aM[i * k + l] * b[j * k + l];
                c[i * p + j] = acc;
            }
    }

    /// <summary>C (k x p) = A^T B with A m x k, B m x p.</summary>
    private static void TransposedMatMul(ReadOnlySpan<T> aM, int m, int k, ReadOnlySpan<T> b, int p, Span<T> c)
    {
        c[..(k * p)].Clear();
        for (int r = 0; r < m; r++)
            for (int i = 0; i < k; i++)
            {
                T ari = aM[r * k + i];
                for (int j = 0; j < p; j++) c[i * p + j] += ari * b[r * p + j];
            }
    }
}

/// <summary>
/// T1 evaluated through the one-neuron layer k: P = a b^T, W_{N:j+1} = a e_j^T for j &lt;= k and
/// W_{j-1:1} = c_j b^T for j > k, so dW_j is an outer product and one evaluation is a few
/// matrix-vector passes: O(sum_j d_j d_{j-1} + cost of Z) instead of O(d^3).
/// </summary>
public sealed class RankOneGradientFlow<T> : GradientFlow<T> where T : struct, IReal<T>
{
    private readonly int _k;
    private readonly T[][] _c;  // c_j in R^{d_{j-1}} for j = k+1..N+1 (c_{N+1} = a)
    private readonly T[][] _e;  // e_j in R^{d_j} for j = 0..k (e_0 = b)
    private readonly T[][] _g;  // g_j = W_{N:j+1}^T E b in R^{d_j}, j = k+1..N
    private readonly T[][] _h;  // h_j = W_{j:1} E^T a in R^{d_j}, j = 0..k-1
    private readonly T[] _eb, _eta;

    public RankOneGradientFlow(WeightLayout layout, TargetOperator<T> target, int k) : base(layout, target)
    {
        _k = k;
        var a = layout.Architecture;
        int n = a.Depth;
        _c = new T[n + 2][];
        _g = new T[n + 1][];
        _e = new T[k + 1][];
        _h = new T[Math.Max(k, 1)][];
        for (int j = k + 1; j <= n + 1; j++) _c[j] = new T[a.Width(j - 1)];
        for (int j = k + 1; j <= n; j++) _g[j] = new T[a.Width(j)];
        for (int j = 0; j <= k; j++) _e[j] = new T[a.Width(j)];
        for (int j = 0; j < k; j++) _h[j] = new T[a.Width(j)];
        _eb = new T[a.Width(n)];
        _eta = new T[a.Width(0)];
    }

    public int OneNeuronLayer => _k;
    public override string Structure => "rank-one";

    public override long FlopsPerEvaluation
    {
        get
        {
            var a = Layout.Architecture;
            long weights = 0;
            for (int j = 1; j <= a.Depth; j++) weights += (long)a.Width(j) * a.Width(j - 1);
            // forward chains for a and b, backward chains for g and h, and the outer products: about 2 flops
            // per weight for each chain plus 1 per weight for the outer product.
            return 5 * weights + 2 * Target.FlopsPerApply + 8L * (a.Width(0) + a.Width(a.Depth));
        }
    }

    public override void Evaluate(ReadOnlySpan<T> y, Span<T> dy)
    {
        var ar = Layout.Architecture;
        int n = ar.Depth, k = _k;
        Factorise(y);
        // Layers above k: dW_j = g_j c_j^T with g_N = E b, g_j = W_{j+1}^T g_{j+1}; in double each pass over W_{j+1}
        // also writes dW_{j+1} (fused).
        if (k < n)
        {
            _eb.CopyTo(_g[n], 0);
            bool fused = typeof(T) == typeof(F64);
            for (int j = n - 1; j >= k + 1; j--)
            {
                if (fused)
                    Kernels.MatTVecOuter(D(W(y, j + 1)), ar.Width(j + 1), ar.Width(j), D(_g[j + 1]), D(_g[j].AsSpan()), D(_c[j + 1]), D(dy.Slice(Layout.Offset(j + 1), Layout.Size(j + 1))));
                else Kernels.MatTVec(W(y, j + 1), ar.Width(j + 1), ar.Width(j), _g[j + 1], _g[j]);
            }
            for (int j = k + 1; j <= n; j++)
                if (!fused || j == k + 1) Kernels.Outer<T>(_g[j], _c[j], dy.Slice(Layout.Offset(j), Layout.Size(j)));
        }
        // Layers up to k: dW_j = e_j h_{j-1}^T with h_0 = E^T a, h_j = W_j h_{j-1}; in double each pass over W_j also
        // writes dW_j (fused).
        if (k > 0)
        {
            _eta.CopyTo(_h[0], 0);
            bool fused = typeof(T) == typeof(F64);
            for (int j = 1; j < k; j++)
            {
                if (fused)
                    Kernels.MatVecOuter(D(W(y, j)), ar.Width(j), ar.Width(j - 1), D(_h[j - 1]), D(_h[j].AsSpan()), D(_e[j]), D(dy.Slice(Layout.Offset(j), Layout.Size(j))));
                else Kernels.MatVec(W(y, j), ar.Width(j), ar.Width(j - 1), _h[j - 1], _h[j]);
            }
            for (int j = 1; j <= k; j++)
                if (!fused || j == k) Kernels.Outer<T>(_e[j], _h[j - 1], dy.Slice(Layout.Offset(j), Layout.Size(j)));
        }
    }

    /// <summary>
    /// What both evaluations start from: a = W_{N:k+1} as a column (c_{k+1} = 1, c_{j+1} = W_j c_j), b^T = W_{k:1}
    /// (e_k = 1, e_{j-1} = W_j^T e_j), and E b = Z b - a |b|^2, E^T a = Z^T a - b |a|^2 (T5: P = a b^T).
    /// </summary>
    private void Factorise(ReadOnlySpan<T> y)
    {
        var ar = Layout.Architecture;
        int n = ar.Depth, k = _k;
        _c[k + 1][0] = T.One;
        for (int j = k + 1; j <= n; j++)
            Kernels.MatVec(W(y, j), ar.Width(j), ar.Width(j - 1), _c[j], _c[j + 1]);
        _e[k][0] = T.One;
        for (int j = k; j >= 1; j--)
            Kernels.MatTVec(W(y, j), ar.Width(j), ar.Width(j - 1), _e[j], _e[j - 1]);
        var av = _c[n + 1];
        var bv = _e[0];
        T aa = Kernels.Dot<T>(av, av), bb = Kernels.Dot<T>(bv, bv);
        Target.Apply(bv, _eb);
        for (int i = 0; i < _eb.Length; i++) _eb[i] -= bb * av[i];
        Target.ApplyTranspose(av, _eta);
        for (int i = 0; i < _eta.Length; i++) _eta[i] -= aa * bv[i];
    }

    private static ReadOnlySpan<double> D(ReadOnlySpan<T> s) => MemoryMarshal.Cast<T, double>(s);
    private static Span<double> D(Span<T> s) => MemoryMarshal.Cast<T, double>(s);

    private ReadOnlySpan<T> W(ReadOnlySpan<T> y, int j) => y.Slice(Layout.Offset(j), Layout.Size(j));

    private FactorLayout? _factors;

    /// <summary>Where the rank-one factors of each layer's derivative sit in <see cref="EvaluateFactors"/>' output.</summary>
    public FactorLayout Factors => _factors ??= new FactorLayout(Layout);

    /// <summary>
    /// The flow at y as rank-one factors (T1 with a one-neuron layer): dW_j = u_j v_j^T with (u_j, v_j) = (g_j, c_j) above
    /// layer k and (e_j, h_{j-1}) up to it, written at <see cref="FactorLayout.U"/> / <see cref="FactorLayout.V"/>; the entries
    /// <see cref="Evaluate"/> writes are u_j[r] v_j[c]. No pass writes a dense derivative.
    /// </summary>
    public void EvaluateFactors(ReadOnlySpan<T> y, Span<T> factors)
    {
        var ar = Layout.Architecture;
        var f = Factors;
        int n = ar.Depth, k = _k;
        Factorise(y);
        if (k < n)
        {
            _eb.CopyTo(_g[n], 0);
            for (int j = n - 1; j >= k + 1; j--) Kernels.MatTVec(W(y, j + 1), ar.Width(j + 1), ar.Width(j), _g[j + 1], _g[j]);
            for (int j = k + 1; j <= n; j++)
            {
                _g[j].CopyTo(factors.Slice(f.U(j), ar.Width(j)));
                _c[j].CopyTo(factors.Slice(f.V(j), ar.Width(j - 1)));
            }
        }
        if (k > 0)
        {
            _eta.CopyTo(_h[0], 0);
            for (int j = 1; j < k; j++) Kernels.MatVec(W(y, j), ar.Width(j), ar.Width(j - 1), _h[j - 1], _h[j]);
            for (int j = 1; j <= k; j++)
            {
                _e[j].CopyTo(factors.Slice(f.U(j), ar.Width(j)));
                _h[j - 1].CopyTo(factors.Slice(f.V(j), ar.Width(j - 1)));
            }
        }
    }
}

/// <summary>
/// The packing of rank-one layer derivatives dW_j = u_j v_j^T (u_j in R^{d_j}, v_j in R^{d_{j-1}}) into one vector:
/// u_1, v_1, u_2, v_2, ..., with the matching weight layout's rows, columns and offsets as arrays for the kernels.
/// </summary>
public sealed class FactorLayout
{
    public int Length { get; }
    internal int[] Rows { get; }
    internal int[] Cols { get; }
    internal int[] WeightOffset { get; }
    internal int[] FactorOffset { get; }

    public FactorLayout(WeightLayout layout)
    {
        int n = layout.Depth;
        Rows = new int[n]; Cols = new int[n]; WeightOffset = new int[n]; FactorOffset = new int[n];
        int at = 0;
        for (int j = 1; j <= n; j++)
        {
            Rows[j - 1] = layout.Rows(j); Cols[j - 1] = layout.Cols(j); WeightOffset[j - 1] = layout.Offset(j); FactorOffset[j - 1] = at;
            at += layout.Rows(j) + layout.Cols(j);
        }
        Length = at;
    }

    /// <summary>
    /// Whether an integrator should keep its stages as factors: once the dense stage vectors (stages x dimension entries)
    /// outgrow a core's L2 cache (about 1 MiB here) every stage combination streams them from L3 and the row-by-row
    /// combination from factors (in L1) is faster; below that the dense combination is (measured with bench simulate and
    /// sweeps at widths 3..128).
    /// </summary>
    public static bool Pays(int dimension, int stages, int bytesPerEntry) => (long)dimension * stages * bytesPerEntry >= MinStageBytes;

    /// <summary>The stage data from which <see cref="Pays"/> says yes.</summary>
    public const long MinStageBytes = 1L << 20;

    /// <summary>Start of u_j (layer j, 1-based).</summary>
    public int U(int j) => FactorOffset[j - 1];

    /// <summary>Start of v_j.</summary>
    public int V(int j) => FactorOffset[j - 1] + Rows[j - 1];
}
