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
    public static (double[,] Target, double[] Weights) Make(Architecture arch, int seed, double scale = 0.3)
    {
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
