using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Reduced;
using DeepLinearProofs.Dynamics.Simulation;

namespace DeepLinearProofs.Dynamics.Analysis;

/// <summary>Where a trajectory goes.</summary>
public enum LimitClass { GlobalMinimiser, Saddle, Origin, Undetermined }

/// <summary>
/// The limit a theorem predicts from the start alone, one subtype per theorem, each carrying the model it built:
/// <see cref="EquilibriumPrediction"/> (E1, W = 0), <see cref="BalancedPrediction"/> (T11) and
/// <see cref="TwoLayerPrediction"/> (T14). <see cref="Exact"/> says whether every zero test the limit depends on
/// was decided in exact arithmetic; <see cref="Tests"/> says how each mode's test was decided.
/// </summary>
public abstract record LimitPrediction(LimitClass Class, int Index, bool Exact, string Detail)
{
    public abstract string Theorem { get; }

    /// <summary>p_i (0-based list) in double, for display.</summary>
    public IReadOnlyList<double> P { get; init; } = [];

    /// <summary>How each p_i's zero test was decided.</summary>
    public IReadOnlyList<ModeTest> Tests { get; init; } = [];

    /// <summary>Modes i (1-based) with p_i = 0 proved exactly: the start lies on the stable set, an invariant set.</summary>
    public IReadOnlyList<int> CertifiedZeroModes { get; init; } = [];

    /// <summary>Growth rate of the escape direction at the predicted saddle, when the theorem gives it.</summary>
    public double? EscapeRate { get; init; }

    /// <summary>The rates the theorem predicts for this start (T12, T15).</summary>
    public abstract RatePrediction Rates(CriticalPoints cp);

    /// <summary>The instantaneous (escape p_1, own p_i) components of state w, for the escape tracker; null where not defined.</summary>
    public virtual (double P1, double Pi)? Components(WeightLayout layout, double[] w, int saddle) => null;

    public static LimitPrediction? For(NumericTarget z, WeightLayout layout, Initialisation init)
    {
        var arch = layout.Architecture;
        if (init.Weights.All(w => w == 0) && arch.Depth >= 2)
            return new EquilibriumPrediction("W = 0 is an equilibrium (sigma_0 = 0): every gradient is a product with a zero factor, so the flow stays at the origin");
        if (init.Balanced is { } bal && arch.OneNeuronLayer is not null)
            return bal.IsZero ? new EquilibriumPrediction("sigma_0 = 0: W = 0 is an equilibrium") : BalancedPrediction.Of(z, arch.Depth, bal);
        if (arch.Depth == 2 && arch.Width(1) == 1)
            return TwoLayerPrediction.Of(z, layout, init);
        return null;
    }

    /// <summary>
    /// The limit from the zero pattern of p_1..p_r: the first mode not proved zero decides. A non-zero there gives
    /// s_{i*} u v^T (a global minimiser when s_{i*} = s_1, else saddle i*); no such mode gives the origin; an undecided
    /// test leaves the limit undetermined (two limits are possible, named in the detail). With an exact test, s_{i*} = s_1
    /// is decided exactly too (q_{i*} = q_1), and the origin is exact only when every s_i > 0 of the exact rank was tested:
    /// a positive s_i below the numeric rank (1e-12 s_1) could still carry p_i != 0.
    /// </summary>
    protected static (LimitClass Class, int Index, bool Exact, IReadOnlyList<int> Zero) Decide(NumericTarget z, IReadOnlyList<ModeTest> tests, ExactModes exact)
    {
        var zero = Enumerable.Range(1, tests.Count).Where(i => tests[i - 1] == ModeTest.ZeroExact).ToList();
        int first = Enumerable.Range(0, tests.Count).FirstOrDefault(i => tests[i] != ModeTest.ZeroExact, -1);
        if (first < 0)
            return exact.ExactRank == tests.Count ? (LimitClass.Origin, 0, true, zero) : (LimitClass.Undetermined, tests.Count + 1, false, zero);
        if (tests[first] == ModeTest.Undecided) return (LimitClass.Undetermined, first + 1, false, zero);
        int index = first + 1;
        bool isExact = tests[first] == ModeTest.NonZeroExact;
        // Both modes are exact here (mode 1 is either i* or was proved zero), so s_{i*} = s_1 is an exact comparison.
        bool global = isExact ? exact.SameValue(first, 0) : new CriticalPoints(z).IsGlobal(index);
        return (global ? LimitClass.GlobalMinimiser : LimitClass.Saddle, index, isExact, zero);
    }

    /// <summary>The limit named in the detail: s_{i*} u v^T for a simple value, a point of the eigenspace for a repeated one (T11).</summary>
    protected static string LimitText(NumericTarget z, ExactModes exact, IReadOnlyList<ModeTest> tests, int index)
    {
        var same = Enumerable.Range(0, tests.Count).Where(j => j != index - 1 && tests[j] != ModeTest.ZeroExact
            && (exact.SameValue(j, index - 1) || (!exact.IsExact(j) || !exact.IsExact(index - 1)) && Math.Abs(z.S(j) - z.S(index - 1)) <= 1e-12 * z.S(0))).ToList();
        if (same.Count == 0) return $"P -> s_{index} u_{index} v_{index}^T";
        var js = string.Join(", ", new[] { index }.Concat(same.Select(j => j + 1)).Order());
        return $"P -> s_{index} x y^T with x, y in the eigenspace of the repeated value s_{index} (x ~ sum of p_j u_j, y ~ sum of p_j v_j over j in {{{js}}})";
    }

    protected static string Pattern(IReadOnlyList<double> p, IReadOnlyList<ModeTest> tests, string suffix) =>
        string.Join(", ", p.Select((v, i) => $"p_{i + 1}{suffix} = " + tests[i] switch
        {
            ModeTest.ZeroExact => "0",
            ModeTest.Undecided => $"{v:g3} (within rounding of 0: undecided)",
            _ => v.ToString("g6", System.Globalization.CultureInfo.InvariantCulture),
        }));

    /// <summary>The zero test of one mode: exact when the mode and the start are rational, else against the rounding bound.</summary>
    protected static ModeTest Test(ExactModes exact, int i, double p, double scale, NumericTarget z, Func<bool>? exactZero)
    {
        if (exactZero is not null && exact.IsExact(i)) return exactZero() ? ModeTest.ZeroExact : ModeTest.NonZeroExact;
        return Math.Abs(p) > ExactModes.RoundingBound(z, i, scale) ? ModeTest.NonZeroBound : ModeTest.Undecided;
    }
}

/// <summary>E1: W = 0 (or sigma_0 = 0) is an equilibrium.</summary>
public sealed record EquilibriumPrediction(string Why) : LimitPrediction(LimitClass.Origin, 0, true, Why)
{
    public override string Theorem => "E1";
    public override RatePrediction Rates(CriticalPoints cp) => new();
}

/// <summary>T11 for a balanced start, with the balanced reduction (T9, T10) it was computed from.</summary>
public sealed record BalancedPrediction(BalancedReduction Model, int Depth, LimitClass Class, int Index, bool Exact, string Detail)
    : LimitPrediction(Class, Index, Exact, Detail)
{
    public override string Theorem => "T11";

    public static BalancedPrediction Of(NumericTarget z, int depth, BalancedStart bal)
    {
        var red = BalancedReduction.Of(z, depth, bal);
        var exact = ExactModes.Of(z);
        var p = Enumerable.Range(0, z.Rank).Select(red.P0).ToArray();
        var tests = Enumerable.Range(0, z.Rank).Select(i => Test(exact, i, p[i], 1, z, () => exact.BalancedZero(i, bal.X, bal.Y))).ToArray();
        var (cls, index, isExact, zero) = Decide(z, tests, exact);
        string ps = Pattern(p, tests, "(0)");
        string detail = cls switch
        {
            LimitClass.Origin => $"balanced, sigma_0 > 0, every p_i(0) = 0 ({ps}): all layers tend to 0",
            LimitClass.Undetermined when index > z.Rank => $"balanced, every p_i(0) = 0 for s_i above the numeric rank ({ps}), but Z has a positive singular value below 1e-12 s_1 that was not tested: the origin or that saddle",
            LimitClass.Undetermined => $"balanced, p_{index}(0) cannot be decided ({ps}): the limit is s_{index} u v^T if p_{index}(0) != 0, a later mode's if it is 0",
            _ => $"balanced, first non-zero p_i(0) is i* = {index} ({ps}): {LimitText(z, exact, tests, index)}",
        };
        bool saddle = cls == LimitClass.Saddle;
        return new BalancedPrediction(red, depth, cls, index, isExact, detail)
        {
            P = p, Tests = tests, CertifiedZeroModes = zero,
            EscapeRate = saddle ? (z.S(0) - z.S(index - 1)) * Math.Pow(z.S(index - 1), 1 - 2.0 / depth) : null,
        };
    }

    public override RatePrediction Rates(CriticalPoints cp)
    {
        var z = cp.Target;
        int n = Depth;
        double s1 = z.S(0);
        var escape = new Dictionary<int, double>();
        for (int i = 2; i <= cp.Count; i++) if (!cp.IsGlobal(i)) escape[i] = (s1 - z.S(i - 1)) * Math.Pow(z.S(i - 1), 1 - 2.0 / n);
        // The minimiser rate is given even when the theorem predicts another limit: a run that leaves a stable set
        // numerically still ends in the linear stage, and its rate is then compared with T12.
        var candidates = new List<double> { n * s1 };
        for (int j = 2; j <= z.Rank; j++)
        {
            if (cp.IsGlobal(j)) continue;
            if (Math.Abs(Model.P0(j - 1)) > 0 && !CertifiedZeroModes.Contains(j)) candidates.Add(s1 - z.S(j - 1));
            if (Math.Abs(Model.Q0(j - 1)) > 0) candidates.Add(s1 + z.S(j - 1));
        }
        if (Model.HasKernelComponent) candidates.Add(s1);
        double? power = null, expo = null;
        if (Class == LimitClass.Origin)
        {
            var q = Enumerable.Range(0, z.Rank).Where(i => Math.Abs(Model.Q0(i)) > 0).Select(i => z.S(i)).DefaultIfEmpty(0).Min();
            if (Model.HasKernelComponent) power = -(double)n / (2 * n - 2);
            else if (n >= 3) power = -(double)n / (n - 2);
            else expo = 2 * q;
        }
        return new RatePrediction
        {
            Minimiser = Math.Pow(s1, 1 - 2.0 / n) * candidates.Min(), MinimiserSource = "T12", SaddleEscape = escape,
            OriginPowerExponent = power, OriginExponentialRate = expo,
        };
    }

    public override (double P1, double Pi)? Components(WeightLayout layout, double[] w, int saddle)
    {
        int k = layout.Architecture.OneNeuronLayer ?? 0;
        var (a, b) = new NetworkState(layout, w).Factors(k);
        var z = Model.Target;
        double na = Math.Sqrt(a.Sum(v => v * v)), nb = Math.Sqrt(b.Sum(v => v * v));
        if (na == 0 || nb == 0) return null;
        double P(int i) => z.UComponent(i, a) / na + z.VComponent(i, b) / nb;
        return (P(0), P(saddle - 1));
    }
}

/// <summary>T14 for two layers with a hidden neuron, with the exact mode solution (T13) it was computed from.</summary>
public sealed record TwoLayerPrediction(TwoLayerModes Model, LimitClass Class, int Index, bool Exact, string Detail)
    : LimitPrediction(Class, Index, Exact, Detail)
{
    public override string Theorem => "T14";

    public static TwoLayerPrediction Of(NumericTarget z, WeightLayout layout, Initialisation init)
    {
        // W_1 = b^T (1 x d_0), W_2 = a (d_2 x 1); the criterion is decided on the exact start when one is given, else on the doubles
        // as integrated (a double is an exact dyadic rational).
        var (a, b) = new NetworkState(layout, init.Weights).Factors(1);
        var modes = new TwoLayerModes(z, a, b);
        var exact = ExactModes.Of(z);
        var w = init.Exact ?? init.Weights.Select(Rational.FromDouble).ToArray();
        var ra = Enumerable.Range(0, layout.Rows(2)).Select(r => w[layout.Index(2, r, 0)]).ToArray();
        var rb = Enumerable.Range(0, layout.Cols(1)).Select(c => w[layout.Index(1, 0, c)]).ToArray();
        Rational c = ExactModes.Dot(ra, ra) - ExactModes.Dot(rb, rb);
        var p = Enumerable.Range(0, z.Rank).Select(modes.P).ToArray();
        double na = Math.Sqrt(a.Sum(v => v * v)), nb = Math.Sqrt(b.Sum(v => v * v));
        var tests = Enumerable.Range(0, z.Rank)
            .Select(i => Test(exact, i, p[i], z.S(i) * na + (modes.Mu(i) + Math.Abs(modes.C) / 2) * nb, z, () => exact.TwoLayerZero(i, ra, rb, c))).ToArray();
        var (cls, index, isExact, zero) = Decide(z, tests, exact);
        string ps = Pattern(p, tests, "");
        string detail = cls switch
        {
            LimitClass.Origin => $"two layers, c = {modes.C:g6}, every p_i = 0 ({ps}): P -> 0",
            LimitClass.Undetermined when index > z.Rank => $"two layers, c = {modes.C:g6}, every p_i = 0 for s_i above the numeric rank ({ps}), but Z has a positive singular value below 1e-12 s_1 that was not tested: the origin or that saddle",
            LimitClass.Undetermined => $"two layers, c = {modes.C:g6}, p_{index} cannot be decided ({ps}): the limit is s_{index} u v^T if p_{index} != 0, a later mode's if it is 0",
            _ => $"two layers, c = {modes.C:g6}, first non-zero p_i is i* = {index} ({ps}): {LimitText(z, exact, tests, index)}, |a|^2 -> mu + c/2 = {modes.Mu(index - 1) + modes.C / 2:g6}",
        };
        return new TwoLayerPrediction(modes, cls, index, isExact, detail)
        {
            P = p, Tests = tests, CertifiedZeroModes = zero,
            EscapeRate = cls == LimitClass.Saddle ? modes.Mu(0) - modes.Mu(index - 1) : null,
        };
    }

    public override RatePrediction Rates(CriticalPoints cp)
    {
        var z = cp.Target;
        var escape = new Dictionary<int, double>();
        for (int i = 2; i <= cp.Count; i++) if (!cp.IsGlobal(i)) escape[i] = Model.Mu(0) - Model.Mu(i - 1);
        int? j = Enumerable.Range(2, Math.Max(0, z.Rank - 1)).Where(j => !cp.IsGlobal(j) && !CertifiedZeroModes.Contains(j) && Model.P(j - 1) != 0).Cast<int?>().FirstOrDefault();
        return new RatePrediction { Minimiser = j is int jj ? Model.Mu(0) - Model.Mu(jj - 1) : null, MinimiserSource = "T15", SaddleEscape = escape };
    }

    public override (double P1, double Pi)? Components(WeightLayout layout, double[] w, int saddle)
    {
        var (a, b) = new NetworkState(layout, w).Factors(1);
        var modes = new TwoLayerModes(Model.Target, a, b);
        return (modes.P(0), modes.P(saddle - 1));
    }
}
