using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// The reference benchmark problem: target U diag(3, 2, 1, 0.5, 0, ...) V^T with random orthogonal U, V
/// (QR of Gaussian matrices) and initial entries N(0, scale^2), seeded.
/// </summary>
public static class BenchmarkProblem
{
    /// <summary>Largest d_0 and d_N: U and V are QRs of dense Gaussian matrices, O(d^3) in managed code.</summary>
    public const int MaxOuterWidth = 1024;

    /// <summary>Largest number of weights written to a problem file (~20 bytes of JSON each).</summary>
    public const int MaxWeights = 10_000_000;

    public static (double[,] Target, double[] Weights) Make(Architecture arch, int seed, double scale = 0.3)
    {
        if (!(scale > 0) || !double.IsFinite(scale) || scale > Initialisation.MaxEntry)
            throw new NetworkInputException($"scale must be a positive finite number up to {Initialisation.MaxEntry:g0} (the entries are N(0, scale^2)), got {scale}; 0.3 is the reference");
        if (Math.Max(arch.Width(0), arch.Width(arch.Depth)) > MaxOuterWidth)
            throw new NetworkInputException($"widths {arch}: the benchmark problem builds random orthogonal d_0 x d_0 and d_N x d_N matrices, d_0 and d_N up to {MaxOuterWidth}; use smaller outer widths");
        if (new WeightLayout(arch).Dimension > MaxWeights)
            throw new NetworkInputException($"widths {arch} give {new WeightLayout(arch).Dimension:N0} weights, over the {MaxWeights:N0} a problem file holds; use smaller widths");
        int m = arch.Width(arch.Depth), n = arch.Width(0);
        var rng = new MathNet.Numerics.Random.MersenneTwister(seed);
        Matrix<double> Orthogonal(int d)
        {
            var g = Matrix<double>.Build.Random(d, d, new MathNet.Numerics.Distributions.Normal(0, 1, rng));
            return g.QR().Q;
        }
        var u = Orthogonal(m);
        var v = Orthogonal(n);
        double[] s = [3, 2, 1, 0.5];
        var d = Matrix<double>.Build.Dense(m, n);
        for (int i = 0; i < Math.Min(Math.Min(m, n), s.Length); i++) d[i, i] = s[i];
        var z = u * d * v.Transpose();
        var w = Initialisation.Gaussian(new WeightLayout(arch).Dimension, seed + 1, scale);
        return (z.ToArray(), w);
    }
}
