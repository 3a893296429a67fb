using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Reduced;
using DeepLinearProofs.Dynamics.Simulation;

namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>Where a trajectory goes.</summary>
public enum LimitClass { GlobalMinimiser, Saddle, Origin, Undetermined }

/// <summary>
/// The limit predicted by a theorem from the start alone: T11 for balanced starts, T14 for two layers with a
/// hidden neuron, E1 for W = 0. <see cref="Exact"/> says whether the zero tests on p_i(0) were decided in
/// exact arithmetic (rational start and diagonal target) or in double.
/// </summary>
public sealed record LimitPrediction(LimitClass Class, int Index, string Theorem, bool Exact, IReadOnlyList<double> P0, string Detail)
{
    /// <summary>Modes i (1-based) with p_i(0) = 0 certified exactly: the start lies on the stable set, an invariant set.</summary>
    public IReadOnlyList<int> CertifiedZeroModes { get; init; } = [];

    /// <summary>Growth rate of the escape direction at the predicted saddle, when the theorem gives it.</summary>
    public double? EscapeRate { get; init; }

    public static LimitPrediction? For(NumericTarget z, WeightLayout layout, Initialisation init)
    {
        var arch = layout.Architecture;
        if (init.Weights.All(w => w == 0))
            return new LimitPrediction(LimitClass.Origin, 0, "E1", true, [], "W = 0 is an equilibrium (sigma_0 = 0): the flow stays at the origin");
        if (init.Balanced is { } bal && arch.OneNeuronLayer is not null)
            return bal.Sigma.IsZero
                ? new LimitPrediction(LimitClass.Origin, 0, "E1", true, [], "sigma_0 = 0: W = 0 is an equilibrium")
                : Balanced(z, arch.Depth, bal);
        if (arch.Depth == 2 && arch.Width(1) == 1)
            return TwoLayer(z, layout, init);
        return null;
    }

    private static LimitPrediction Balanced(NumericTarget z, int depth, BalancedStart bal)
    {
        var red = BalancedReduction.Of(z, depth, bal);
        var p = Enumerable.Range(0, z.Rank).Select(red.P0).ToArray();
        bool exact = z.IsDiagonal;
        return FromModes(z, "T11", exact, p, i => exact ? BalancedPZero(z, bal, i) : Math.Abs(p[i]) < 1e-12, "(0)",
            ps => $"balanced, sigma_0 > 0, every p_i(0) = 0 ({ps}): all layers tend to 0",
            (index, ps) => $"balanced, first non-zero p_i(0) is i* = {index} ({ps}): P -> s_{index} u_{index} v_{index}^T",
            first => (z.S(0) - z.S(first)) * Math.Pow(z.S(first), 1 - 2.0 / depth));
    }

    /// <summary>
    /// The limit from the zero pattern of p_1..p_r: the first non-zero mode i* gives s_{i*} u v^T (a global minimiser
    /// when s_{i*} = s_1, else saddle i*); none gives the origin. Exactly decided zeros are certified.
    /// </summary>
    private static LimitPrediction FromModes(NumericTarget z, string theorem, bool exact, double[] p, Func<int, bool> isZero, string pSuffix,
        Func<string, string> originDetail, Func<int, string, string> limitDetail, Func<int, double> escapeRate)
    {
        int r = p.Length;
        var zero = Enumerable.Range(0, r).Select(isZero).ToArray();
        var certified = exact ? Enumerable.Range(1, r).Where(i => zero[i - 1]).ToList() : [];
        int first = Enumerable.Range(0, r).FirstOrDefault(i => !zero[i], -1);
        string ps = string.Join(", ", p.Select((v, i) => $"p_{i + 1}{pSuffix} = {(zero[i] ? "0" : v.ToString("g6"))}"));
        if (first < 0)
            return new LimitPrediction(LimitClass.Origin, 0, theorem, exact, p, originDetail(ps)) { CertifiedZeroModes = certified };
        int index = first + 1;
        bool global = new CriticalPoints(z).IsGlobal(index);
        return new LimitPrediction(global ? LimitClass.GlobalMinimiser : LimitClass.Saddle, index, theorem, exact, p, limitDetail(index, ps))
        {
            CertifiedZeroModes = certified,
            EscapeRate = global ? null : escapeRate(first),
        };
    }

    /// <summary>p_i(0) = u_i^T x/|x| + v_i^T y/|y| = 0 decided exactly for a diagonal target (u_i = ±e, v_i = e).</summary>
    private static bool BalancedPZero(NumericTarget z, BalancedStart bal, int i)
    {
        var (row, sign) = DiagonalIndex(z, i);
        if (row < 0) return false;
        Rational xi = row < bal.X.Length ? bal.X[row] * sign : Rational.Zero, yi = row < bal.Y.Length ? bal.Y[row] : Rational.Zero;
        Rational nx = bal.X.Aggregate(Rational.Zero, (acc, v) => acc + v * v), ny = bal.Y.Aggregate(Rational.Zero, (acc, v) => acc + v * v);
        // xi/|x| = -yi/|y|  <=>  xi and yi of opposite sign (or both zero) and xi^2 |y|^2 = yi^2 |x|^2.
        if (xi.Sign * yi.Sign > 0) return false;
        return xi * xi * ny == yi * yi * nx;
    }

    /// <summary>For a diagonal target, mode i (0-based) is coordinate 'row' with u_i = sign e_row, v_i = e_row.</summary>
    private static (int Row, int Sign) DiagonalIndex(NumericTarget z, int i)
    {
        for (int r = 0; r < z.Rows; r++)
            if (z.U[r, i] != 0) return (r, z.U[r, i] < 0 ? -1 : 1);
        return (-1, 1);
    }

    private static LimitPrediction TwoLayer(NumericTarget z, WeightLayout layout, Initialisation init)
    {
        // W_1 = b^T (1 x d_0), W_2 = a (d_2 x 1).
        var (a, b) = new NetworkState(layout, init.Weights).Factors(1);
        var modes = new TwoLayerModes(z, a, b);
        var p = Enumerable.Range(0, z.Rank).Select(modes.P).ToArray();
        bool exact = z.IsDiagonal && init.Exact is not null;
        return FromModes(z, "T14", exact, p, i => exact ? TwoLayerPZero(z, layout, init.Exact!, i) : Math.Abs(p[i]) < 1e-12 * (1 + Math.Abs(modes.C)), "",
            ps => $"two layers, c = {modes.C:g6}, every p_i = 0 ({ps}): P -> 0",
            (index, ps) => $"two layers, c = {modes.C:g6}, first non-zero p_i is i* = {index} ({ps}): P -> s_{index} u_{index} v_{index}^T, |a|^2 -> mu + c/2 = {modes.Mu(index - 1) + modes.C / 2:g6}",
            first => modes.Mu(0) - modes.Mu(first));
    }

    /// <summary>
    /// p_i = s alpha + (mu - c/2) beta = 0 decided exactly: with s > 0 it is equivalent to
    /// s (alpha^2 - beta^2) = c alpha beta together with alpha (s beta + alpha c/2) &lt;= 0 (E4's g).
    /// </summary>
    private static bool TwoLayerPZero(NumericTarget z, WeightLayout layout, Rational[] w, int i)
    {
        var (row, sign) = DiagonalIndex(z, i);
        if (row < 0) return false;
        Rational s = z.Exact[row, row] * sign;
        Rational alpha = row < layout.Rows(2) ? w[layout.Index(2, row, 0)] * sign : Rational.Zero;
        Rational beta = row < layout.Cols(1) ? w[layout.Index(1, 0, row)] : Rational.Zero;
        Rational c = Rational.Zero;
        for (int r = 0; r < layout.Rows(2); r++) c += w[layout.Index(2, r, 0)] * w[layout.Index(2, r, 0)];
        for (int r = 0; r < layout.Cols(1); r++) c -= w[layout.Index(1, 0, r)] * w[layout.Index(1, 0, r)];
        if (s * (alpha * alpha - beta * beta) != c * alpha * beta) return false;
        return (alpha * (s * beta + alpha * c / 2)).Sign <= 0;
    }
}
