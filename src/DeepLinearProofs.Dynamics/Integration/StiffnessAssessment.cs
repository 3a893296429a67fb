using DeepLinearProofs.Dynamics.Flow;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// The verdict of <see cref="StiffnessAssessment.Assess"/>: whether an explicit pair would be stability-bound for so
/// many steps that the stiff switch should run, with the numbers behind it.
/// </summary>
/// <param name="Stiff">True when the predicted explicit step count exceeds <see cref="StiffnessAssessment.MaxExplicitSteps"/>.</param>
/// <param name="Ratio">Stiffness ratio lambda_max / slowest rate of interest (infinite if that rate is 0).</param>
/// <param name="ExplicitSteps">Lower bound on DOP853's steps over [0, t_max] once stability-bound: lambda_max t_max / 6.1.</param>
/// <param name="Reason">One line for the report.</param>
public sealed record StiffnessVerdict(bool Stiff, double Ratio, double ExplicitSteps, string Reason);

/// <summary>
/// Decides before a run, from spectral estimates alone, whether to use the stiff switch (DOP853 then RKC). DOP853's
/// stability interval on the negative real axis is about [-6.1, 0] (Hairer's stiffness bound), so once a gradient
/// flow has settled near a minimiser, where the Jacobian (minus the Hessian) has eigenvalues up to lambda_max,
/// every step is at most 6.1 / lambda_max however smooth the solution: reaching t_max takes at least
/// lambda_max t_max / 6.1 steps. Above <see cref="MaxExplicitSteps"/> the switch is chosen. The decision is a pure,
/// deterministic function of its inputs.
/// </summary>
public static class StiffnessAssessment
{
    /// <summary>DOP853's stability bound on h |lambda| along the negative real axis.</summary>
    public const double ExplicitStabilityBound = 6.1;

    /// <summary>
    /// Predicted explicit steps above which the switch is chosen. Measured with `dlp simulate --widths 3,1,3
    /// --init random:seed=7,scale=0.3` (double, rtol 1e-10): diag(1e4,2,1), t_max 50 (predicted 1.6e5): DOP853
    /// 156,453 steps, 9.4 s; the switch 130 steps, 0.22 s. diag(3,2,1), t_max 1e5 (predicted 9.8e4): 93,912 steps,
    /// 6.7 s against 107 steps, 0.16 s. diag(1e6,2,1), t_max 50 (predicted 1.6e7): 312,864 steps for t_max 1
    /// alone (11 s) against 1,920 steps, 2.3 s. The prediction matched DOP853's step count within 10% each time,
    /// and the switch stays with DOP853 until Hairer's test fires, so 1e5 (some 5 s of explicit steps on the
    /// smallest networks) is where the switch starts to pay.
    /// </summary>
    public const double MaxExplicitSteps = 1e5;

    /// <summary>
    /// The verdict for a Jacobian spectral radius <paramref name="spectralRadius"/> (an estimate of |lambda_max|),
    /// the slowest rate of the dynamics of interest <paramref name="slowestRate"/> (for the ratio and the reason)
    /// and the final time <paramref name="tMax"/>.
    /// </summary>
    public static StiffnessVerdict Assess(double spectralRadius, double slowestRate, double tMax)
    {
        if (!(spectralRadius >= 0) || !(tMax >= 0) || double.IsNaN(slowestRate))
            throw new ArgumentException($"stiffness assessment needs a spectral radius >= 0 and t_max >= 0, got {spectralRadius} and {tMax}");
        double steps = spectralRadius * tMax / ExplicitStabilityBound;
        double ratio = slowestRate > 0 ? spectralRadius / slowestRate : double.PositiveInfinity;
        bool stiff = steps > MaxExplicitSteps;
        string reason = $"lambda_max ~ {spectralRadius:g3} over t_max {tMax:g3}: an explicit pair needs >~ {steps:g3} steps " +
            $"({(stiff ? "above" : "within")} {MaxExplicitSteps:g1}); stiffness ratio lambda_max / slowest rate ~ {ratio:g3}";
        return new StiffnessVerdict(stiff, ratio, steps, reason);
    }

    /// <summary>
    /// The verdict for the gradient flow of 1/2 ||Z - W_N...W_1||^2 with depth <paramref name="depth"/>: near a
    /// balanced minimiser the Jacobian's eigenvalues reach N s_1^(2-2/N) (the rate of the learnt mode's
    /// linearisation), while the slowest mode of the target, s_r (the smallest singular value above
    /// 1e-12 s_1), is learnt at a rate ~ N s_r^(2-2/N). Imbalanced starts add O(|C|) to lambda_max, which this
    /// estimate leaves out.
    /// </summary>
    public static StiffnessVerdict ForGradientFlow(NumericTarget z, int depth, double tMax)
    {
        if (depth < 1) throw new ArgumentException($"depth must be >= 1, got {depth}", nameof(depth));
        double power = 2 - 2.0 / depth;
        double lambda = depth * Math.Pow(z.S(0), power);
        double slow = depth * Math.Pow(z.S(z.Rank - 1), power);
        return Assess(lambda, slow, tMax);
    }

    /// <summary>
    /// Right-hand-side evaluations the stiff switch needs once stability-bound: RKC with s stages is stable up to
    /// h lambda ~ 0.65 s^2 (damped first-order RKC), so at the stage cap the step is 0.65 s_max^2 / lambda_max and
    /// each step costs s_max evaluations.
    /// </summary>
    public static double SwitchEvaluations(StiffnessVerdict verdict, double tMax)
    {
        double lambda = verdict.ExplicitSteps * ExplicitStabilityBound / Math.Max(tMax, double.Epsilon);
        double stages = ChebyshevIntegrator<Numerics.F64>.MaxStages;
        return lambda * tMax / (0.65 * stages * stages) * stages;
    }
}
