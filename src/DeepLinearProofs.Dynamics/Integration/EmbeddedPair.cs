using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// An explicit embedded Runge-Kutta pair as data, in the precision T, so that one step loop
/// (<see cref="AdaptiveIntegrator{T}"/>) runs either pair. Coefficient lists are sparse: (stage index, value)
/// with the zero entries dropped; stage indices run over the stage list k_0.. of
/// <see cref="StageCount"/> entries, in which entry <see cref="NewIndex"/> is F(y_new).
/// </summary>
/// <param name="Name">Display name ("DOP853", "Dormand-Prince 5(4)").</param>
/// <param name="Order">Order of the propagated solution (also the exponent of the initial-step guess).</param>
/// <param name="NewIndex">Number of stages before y_new; k_NewIndex = F(y_new).</param>
/// <param name="A">Rows of stages 1..NewIndex-1 (0-based) over the earlier stages.</param>
/// <param name="B">Weights of y_new = y + h sum_j b_j k_j.</param>
/// <param name="Error">Error estimator: per unit step, may use k_NewIndex when <see cref="Fsal"/>.</param>
/// <param name="Error3">A second (3rd-order) estimator combined Hairer's way (DOP853), or null for the RMS of h * Error.</param>
/// <param name="Fsal">F(y_new) is evaluated before the error estimate (first same as last), not only after acceptance.</param>
/// <param name="DenseStages">Rows of the extra stages NewIndex+1.. needed by the dense output (over the whole stage list).</param>
/// <param name="DenseD">The coefficient rows d_4.. of the dense-output polynomial (over the whole stage list).</param>
/// <param name="Exponent">Step-control exponent alpha: fac = err^alpha / errOld^beta / safety.</param>
/// <param name="Beta">PI-control exponent beta (0 for plain control).</param>
/// <param name="StiffnessBound">Hairer's stiffness test bound on h * |lambda| along the last stage (6.1 for DOP853, 3.25 for DOPRI5).</param>
public sealed record EmbeddedPair<T>(
    string Name, int Order, int NewIndex,
    (int J, T C)[][] A, (int J, T C)[] B, (int J, T C)[] Error, (int J, T C)[]? Error3, bool Fsal,
    (int J, T C)[][] DenseStages, (int J, T C)[][] DenseD,
    double Exponent, double Beta, double StiffnessBound) where T : struct, IReal<T>
{
    /// <summary>Size of the stage list: the explicit stages, F(y_new) and the dense-output stages.</summary>
    public int StageCount => NewIndex + 1 + DenseStages.Length;

    /// <summary>Rows of the dense-output polynomial: y0, y1 - y0, the two Hermite rows and the d rows.</summary>
    public int DenseRows => 4 + DenseD.Length;

    /// <summary>Dormand-Prince 5(4) with PI control and Shampine's 4th-order dense output.</summary>
    public static EmbeddedPair<T> DormandPrince54 { get; } = new(
        "Dormand-Prince 5(4)", 5, 6,
        Sparse(Tableaus.Dp54A[..^1]), Nonzero(Tableaus.Dp54A[^1]), Nonzero(Tableaus.Dp54E), null, Fsal: true,
        [], [Nonzero(Tableaus.Dp54D)],
        0.2 - 0.04 * 0.75, 0.04, 3.25);

    /// <summary>DOP853: 8th order, Hairer's 5th/3rd-order error estimate, 7th-order dense output with three extra stages.</summary>
    public static EmbeddedPair<T> Dop853 { get; } = new(
        "DOP853", 8, 12,
        Sparse(Tableaus.Dop853A), Nonzero(Tableaus.Dop853B), Nonzero(Tableaus.Dop853Er), Nonzero(Dop853ThirdOrder()), Fsal: false,
        Sparse(Tableaus.Dop853DenseA), Sparse(Tableaus.Dop853DenseD),
        1.0 / 8, 0, 6.1);

    /// <summary>The pair of a method (each is built once per number type).</summary>
    public static EmbeddedPair<T> For(Method method) => method switch
    {
        Method.Dop853 => Dop853,
        Method.DormandPrince54 => DormandPrince54,
        _ => throw new ArgumentException($"no embedded pair for method {method}", nameof(method)),
    };

    /// <summary>b - bhh: DOP853's 3rd-order error estimator (bhh weighs stages 1, 9 and 12).</summary>
    private static Rational[] Dop853ThirdOrder()
    {
        var bhh = Tableaus.Dop853Bhh;
        return Tableaus.Dop853B.Select((r, j) => j switch
        {
            0 => r - bhh[0],
            8 => r - bhh[1],
            11 => r - bhh[2],
            _ => r,
        }).ToArray();
    }

    private static (int, T)[][] Sparse(Rational[][] rows) => rows.Select(Nonzero).ToArray();

    private static (int, T)[] Nonzero(Rational[] row) =>
        row.Select((r, j) => (j, r)).Where(p => !p.r.IsZero).Select(p => (p.j, T.FromRational(p.r))).ToArray();
}
