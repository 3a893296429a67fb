using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// Keeps a coordinate subspace {w_i = 0, i in S} exactly: allowed only after an exact check that every flow
/// component F_i (i in S) is the zero polynomial on the subspace, so the subspace is invariant (uniqueness).
/// </summary>
public sealed class CoordinateSubspaceProjection<T> : IStateProjection<T> where T : struct, IReal<T>
{
    private readonly int[] _zero;

    private CoordinateSubspaceProjection(int[] zero) => _zero = zero;

    public string Name => $"coordinate subspace ({_zero.Length} coordinates held at 0, certified invariant exactly)";

    /// <summary>Certifies the subspace of the start's zero coordinates; returns null with the reason when it is not invariant.</summary>
    public static (CoordinateSubspaceProjection<T>? Projection, string Reason) Certify(Architecture arch, Target target, WeightLayout layout, double[] start)
    {
        var zero = Enumerable.Range(0, start.Length).Where(i => start[i] == 0).ToArray();
        if (zero.Length == 0) return (null, "the start has no zero coordinates");
        if (layout.Dimension > 400) return (null, $"certifying a coordinate subspace needs the symbolic flow, limited to 400 weights (this network has {layout.Dimension})");
        var model = new NetworkModel(arch, target);
        var variables = layout.Variables(model);
        var substitution = zero.ToDictionary(i => variables[i], _ => Polynomial.Zero);
        foreach (var i in zero)
            if (!model.FlowOf(variables[i]).Substitute(substitution).IsZero)
                return (null, $"the flow of weight {variables[i]} is not zero on the subspace of the start's zero coordinates, so that subspace is not invariant");
        return (new CoordinateSubspaceProjection<T>(zero), "");
    }

    public double Project(Span<T> y)
    {
        double max = 0;
        foreach (var i in _zero)
        {
            max = Math.Max(max, Math.Abs(y[i].ToDouble()));
            y[i] = T.Zero;
        }
        return max;
    }
}

/// <summary>
/// Projects onto the balanced manifold (docs/theory.md, T3, T9): W_j = rho w_j w_{j-1}^T with the hidden unit vectors of the
/// start (constant along the flow), x = a/|a|, y = b/|b| and sigma = |a||b| read off the current state.
/// </summary>
public sealed class BalancedProjection : IStateProjection<F64>
{
    private readonly WeightLayout _layout;
    private readonly int _k;
    private readonly double[][] _hidden;

    public BalancedProjection(WeightLayout layout, BalancedStart start)
    {
        _layout = layout;
        _k = layout.Architecture.OneNeuronLayer ?? throw new NetworkInputException("the balanced projection needs a one-neuron layer");
        _hidden = start.Hidden.Select(h =>
        {
            var d = h.Select(r => r.ToDouble()).ToArray();
            double n = Math.Sqrt(d.Sum(v => v * v));
            return d.Select(v => v / n).ToArray();
        }).ToArray();
    }

    public string Name => "balanced manifold (certified invariant: T3)";

    public double Project(Span<F64> y)
    {
        var w = new double[y.Length];
        for (int i = 0; i < w.Length; i++) w[i] = y[i].Value;
        var (a, b) = new NetworkState(_layout, w).Factors(_k);
        double na = Math.Sqrt(a.Sum(v => v * v)), nb = Math.Sqrt(b.Sum(v => v * v));
        if (na == 0 || nb == 0) return 0;
        int n = _layout.Depth;
        double rho = Math.Pow(na * nb, 1.0 / n);
        // a = rho^{N-k} w_k x and b = rho^k w_k y, with w_k = +-1 the one-neuron layer's unit vector.
        double wk = _k >= 1 && _k < n ? Math.Sign(_hidden[_k - 1][0]) : 1;
        var units = new List<double[]> { b.Select(v => wk * v / nb).ToArray() };
        units.AddRange(_hidden);
        units.Add(a.Select(v => wk * v / na).ToArray());
        double max = 0;
        for (int j = 1; j <= n; j++)
            for (int r = 0; r < _layout.Rows(j); r++)
                for (int c = 0; c < _layout.Cols(j); c++)
                {
                    int idx = _layout.Index(j, r, c);
                    double v = rho * units[j][r] * units[j - 1][c];
                    max = Math.Max(max, Math.Abs(v - y[idx].Value));
                    y[idx] = new F64(v);
                }
        return max;
    }
}
