using DeepLinearProofs.Dynamics.Flow;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>Quantities read off a state in double: P, loss, the factors a and b, and the imbalances C_j (docs/theory.md, T3).</summary>
public sealed class Observables
{
    private readonly WeightLayout _layout;
    private readonly NumericTarget _z;

    public Observables(WeightLayout layout, NumericTarget z)
    {
        _layout = layout;
        _z = z;
    }

    /// <summary>P = W_N...W_1; through the one-neuron layer as the outer product a b^T (two matrix-vector chains).</summary>
    public Matrix<double> EndToEnd(double[] y)
    {
        var state = new NetworkState(_layout, y);
        if (_layout.Architecture.OneNeuronLayer is not int k) return state.P;
        var (a, b) = state.Factors(k);
        return NetworkState.Outer(a, b);
    }

    /// <summary>Every C_j as dense matrices, j = 1..N-1.</summary>
    public Matrix<double>[] Imbalances(double[] y)
    {
        var s = new NetworkState(_layout, y);
        return Enumerable.Range(1, _layout.Depth - 1).Select(s.Imbalance).ToArray();
    }

    /// <summary>max_j max |C_j(y) - C_j(0)|: the conserved quantities' drift (an accuracy monitor, docs/theory.md, section 7).</summary>
    public static double Drift(Matrix<double>[] now, Matrix<double>[] start)
    {
        double d = 0;
        for (int j = 0; j < now.Length; j++) d = Math.Max(d, (now[j] - start[j]).Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max());
        return d;
    }

    /// <summary>sum_j ||dL/dW_j||^2 at y, by one evaluation of the flow in double.</summary>
    public double GradientNormSquared(double[] y, GradientFlow<Numerics.F64> flow)
    {
        var f = new Numerics.F64[y.Length];
        flow.Evaluate(y.Select(v => new Numerics.F64(v)).ToArray(), f);
        return f.Sum(v => v.Value * v.Value);
    }
}
