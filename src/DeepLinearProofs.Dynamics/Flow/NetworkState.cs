using MathNet.Numerics.LinearAlgebra;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>Read-only views of packed weights in double: W_j, products, P, E, L and the imbalances C_j (docs/theory.md, T1-T3).</summary>
public sealed class NetworkState
{
    public WeightLayout Layout { get; }
    public double[] Weights { get; }
    private Matrix<double>? _p;

    public NetworkState(WeightLayout layout, double[] weights)
    {
        Layout = layout;
        Weights = weights;
    }

    public Matrix<double> W(int j) => Matrix<double>.Build.DenseOfArray(Layout.Weight(Weights, j));

    /// <summary>W_{i:j} = W_i ... W_j (i >= j).</summary>
    public Matrix<double> Product(int i, int j)
    {
        var m = W(j);
        for (int l = j + 1; l <= i; l++) m = W(l) * m;
        return m;
    }

    public Matrix<double> P => _p ??= Product(Layout.Depth, 1);

    public double Loss(NumericTarget z) => z.LossAt(P);

    /// <summary>a b^T as a dense matrix.</summary>
    public static Matrix<double> Outer(double[] a, double[] b) =>
        Vector<double>.Build.DenseOfArray(a).OuterProduct(Vector<double>.Build.DenseOfArray(b));

    /// <summary>C_j = W_{j+1}^T W_{j+1} - W_j W_j^T (docs/theory.md, T3).</summary>
    public Matrix<double> Imbalance(int j) => W(j + 1).TransposeThisAndMultiply(W(j + 1)) - W(j) * W(j).Transpose();

    /// <summary>a = W_{N:k+1} and b = W_{k:1}^T through the one-neuron layer k (P = a b^T).</summary>
    public (double[] A, double[] B) Factors(int k)
    {
        int n = Layout.Depth;
        // a = W_N (... (W_{k+2} W_{k+1})) and b^T = ((W_k W_{k-1}) ...) W_1, as vector chains.
        var a = Vector<double>.Build.Dense(1, 1.0);
        for (int j = k + 1; j <= n; j++) a = W(j) * a;
        var b = Vector<double>.Build.Dense(1, 1.0);
        for (int j = k; j >= 1; j--) b = W(j).TransposeThisAndMultiply(b);
        return (a.ToArray(), b.ToArray());
    }

    /// <summary>Squared norm of the loss gradient, sum_j ||dL/dW_j||^2, from a flow evaluation.</summary>
    public static double GradientNormSquared(ReadOnlySpan<double> flow)
    {
        double s = 0;
        foreach (var v in flow) s += v * v;
        return s;
    }
}
