using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>Lie derivatives and imbalances shared by the full network and its block abstraction (T3).</summary>
public static class LieDerivative
{
    /// <summary>sum over variables v of f of df/dv * flow(v); flow returns null for constants (e.g. entries of Z).</summary>
    public static Polynomial Along(Polynomial f, Func<Variable, Polynomial?> flow)
    {
        var b = new PolynomialBuilder();
        foreach (var v in f.Variables())
            if (flow(v) is { } velocity) b.AddProduct(f.Derivative(v), velocity);
        return b.ToPolynomial();
    }

    /// <summary>C_j = W_{j+1}^T W_{j+1} - W_j W_j^T from the two layers.</summary>
    public static PolyMatrix Imbalance(PolyMatrix lower, PolyMatrix upper) => upper.Transpose() * upper - lower * lower.Transpose();
}
