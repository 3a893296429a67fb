using System.Runtime.Intrinsics;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>
/// The rank-one right-hand side of T1 (<see cref="RankOneGradientFlow{T}"/>) for four states of one network and
/// one target at once, in double: entry i of the four states is one Vector256 (structure of arrays), every
/// matrix-vector pass runs on four states per instruction, and Z is applied to the four vectors as one
/// matrix-matrix product.
/// </summary>
public sealed class BatchGradientFlow : IBatchVectorField
{
    private readonly WeightLayout _layout;
    private readonly TargetOperator<F64> _target;
    private readonly int _k;
    private readonly Vector256<double>[][] _c, _e, _g, _h;
    private readonly Vector256<double>[] _eb, _eta, _tmp;
    // Widths d_j, offsets and sizes of W_j as arrays: the evaluation reads them per layer, and the architecture's list would cost an interface call each.
    private readonly int[] _d, _off, _size;

    public BatchGradientFlow(Architecture arch, NumericTarget z)
    {
        if (arch.OneNeuronLayer is not int k)
            throw new ArgumentException($"the batched right-hand side is the rank-one evaluation; widths {arch} have no one-neuron layer", nameof(arch));
        _layout = new WeightLayout(arch);
        _target = new TargetOperator<F64>(z, true);
        _k = k;
        int n = arch.Depth;
        _c = new Vector256<double>[n + 2][];
        _g = new Vector256<double>[n + 1][];
        _e = new Vector256<double>[k + 1][];
        _h = new Vector256<double>[Math.Max(k, 1)][];
        for (int j = k + 1; j <= n + 1; j++) _c[j] = new Vector256<double>[arch.Width(j - 1)];
        for (int j = k + 1; j <= n; j++) _g[j] = new Vector256<double>[arch.Width(j)];
        for (int j = 0; j <= k; j++) _e[j] = new Vector256<double>[arch.Width(j)];
        for (int j = 0; j < k; j++) _h[j] = new Vector256<double>[arch.Width(j)];
        _eb = new Vector256<double>[arch.Width(n)];
        _eta = new Vector256<double>[arch.Width(0)];
        _tmp = new Vector256<double>[_target.LaneScratch];
        _d = Enumerable.Range(0, n + 1).Select(arch.Width).ToArray();
        _off = Enumerable.Range(0, n + 1).Select(j => j == 0 ? 0 : _layout.Offset(j)).ToArray();
        _size = Enumerable.Range(0, n + 1).Select(j => j == 0 ? 0 : _layout.Size(j)).ToArray();
        Factors = new FactorLayout(_layout);
    }

    public int Dimension => _layout.Dimension;

    public void Evaluate(ReadOnlySpan<Vector256<double>> y, Span<Vector256<double>> dy)
    {
        Chains(y);
        var d = _d;
        int n = d.Length - 1, k = _k;
        for (int j = k + 1; j <= n; j++) LaneKernels.Outer(_g[j], _c[j], dy.Slice(_off[j], _size[j]));
        for (int j = 1; j <= k; j++) LaneKernels.Outer(_e[j], _h[j - 1], dy.Slice(_off[j], _size[j]));
    }

    /// <summary>The packing of <see cref="EvaluateFactors"/>' output (as <see cref="RankOneGradientFlow{T}.Factors"/>).</summary>
    public FactorLayout Factors { get; private set; } = null!;

    /// <summary>
    /// The flow of the four states as rank-one layer factors (dW_j = u_j v_j^T per lane, as
    /// <see cref="RankOneGradientFlow{T}.EvaluateFactors"/>): the chains of <see cref="Evaluate"/> without the outer products.
    /// </summary>
    public void EvaluateFactors(ReadOnlySpan<Vector256<double>> y, Span<Vector256<double>> factors)
    {
        Chains(y);
        var d = _d;
        var f = Factors;
        int n = d.Length - 1, k = _k;
        for (int j = k + 1; j <= n; j++)
        {
            _g[j].AsSpan().CopyTo(factors.Slice(f.U(j), d[j]));
            _c[j].AsSpan(0, d[j - 1]).CopyTo(factors.Slice(f.V(j), d[j - 1]));
        }
        for (int j = 1; j <= k; j++)
        {
            _e[j].AsSpan(0, d[j]).CopyTo(factors.Slice(f.U(j), d[j]));
            _h[j - 1].AsSpan(0, d[j - 1]).CopyTo(factors.Slice(f.V(j), d[j - 1]));
        }
    }

    /// <summary>
    /// The chains both evaluations share: c_j = W_{j-1:k+1} (from the one-neuron layer up) and e_j = W_{k:j+1}^T (down),
    /// a = c_{N+1}, b = e_0, E b and E^T a, then g_j (layer j's left factor above k) and h_j (right factor below k).
    /// </summary>
    private void Chains(ReadOnlySpan<Vector256<double>> y)
    {
        var d = _d;
        int n = d.Length - 1, k = _k;
        var one = Vector256.Create(1.0);
        _c[k + 1][0] = one;
        for (int j = k + 1; j <= n; j++) LaneKernels.MatVec(W(y, j), d[j], d[j - 1], _c[j], _c[j + 1]);
        _e[k][0] = one;
        for (int j = k; j >= 1; j--) LaneKernels.MatTVec(W(y, j), d[j], d[j - 1], _e[j], _e[j - 1]);
        var av = _c[n + 1];
        var bv = _e[0];
        var aa = LaneKernels.Dot(av, av);
        var bb = LaneKernels.Dot(bv, bv);
        // E b = Z b - a |b|^2 and E^T a = Z^T a - b |a|^2.
        var eb = _eb;
        var eta = _eta;
        _target.ApplyLanes(bv, eb, _tmp);
        for (int i = 0; i < eb.Length; i++) eb[i] -= bb * av[i];
        _target.ApplyTransposeLanes(av, eta, _tmp);
        for (int i = 0; i < eta.Length; i++) eta[i] -= aa * bv[i];
        if (k < n)
        {
            eb.CopyTo(_g[n], 0);
            for (int j = n - 1; j >= k + 1; j--) LaneKernels.MatTVec(W(y, j + 1), d[j + 1], d[j], _g[j + 1], _g[j]);
        }
        if (k > 0)
        {
            eta.CopyTo(_h[0], 0);
            for (int j = 1; j < k; j++) LaneKernels.MatVec(W(y, j), d[j], d[j - 1], _h[j - 1], _h[j]);
        }
    }

    private ReadOnlySpan<Vector256<double>> W(ReadOnlySpan<Vector256<double>> y, int j) => y.Slice(_off[j], _size[j]);
}
