using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>
/// Eigenvalues of the Hessian of L at a state, from central differences of the gradient (the flow is -grad L)
/// and a symmetric eigendecomposition (MathNet). Numerical evidence for docs/theory.md, T7's strict saddles:
/// the most negative eigenvalue at saddle i is -(s_1 - s_i) s_i^{1-2/N}.
/// </summary>
public static class HessianSpectrum
{
    /// <summary>Largest number of weights for which the dense Hessian is formed.</summary>
    public const int MaxDimension = 400;

    /// <summary>The eigenvalues in increasing order; empty when the state or its finite-difference Hessian is not
    /// finite (a trajectory that overflowed), which no eigendecomposition can take.</summary>
    public static double[] At(GradientFlow<F64> flow, double[] w)
    {
        if (!w.All(double.IsFinite)) return [];
        int n = w.Length;
        if (n > MaxDimension) throw new ArgumentException($"the dense Hessian is formed only up to {MaxDimension} weights", nameof(w));
        var h = Matrix<double>.Build.Dense(n, n);
        var plus = new F64[n];
        var minus = new F64[n];
        var fPlus = new F64[n];
        var fMinus = new F64[n];
        for (int i = 0; i < n; i++)
        {
            double step = 1e-5 * Math.Max(1, Math.Abs(w[i]));
            for (int k = 0; k < n; k++) plus[k] = minus[k] = new F64(w[k]);
            plus[i] = new F64(w[i] + step);
            minus[i] = new F64(w[i] - step);
            flow.Evaluate(plus, fPlus);
            flow.Evaluate(minus, fMinus);
            // The flow is -grad L, so column i of the Hessian is -(F(w + e_i) - F(w - e_i)) / (2 step).
            for (int k = 0; k < n; k++) h[k, i] = -(fPlus[k].Value - fMinus[k].Value) / (2 * step);
        }
        var symmetric = (h + h.Transpose()) / 2;
        if (!symmetric.Enumerate().All(double.IsFinite)) return [];
        return symmetric.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderBy(v => v).ToArray();
    }
}
