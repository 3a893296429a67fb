using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>What every trajectory source sees: the request, the target's critical points, the layout and the prediction.</summary>
public sealed record SimulationContext(SimulationRequest Request, CriticalPoints CriticalPoints, WeightLayout Layout, LimitPrediction? Prediction)
{
    public NumericTarget Z => Request.Z;

    /// <summary>Notes collected along the way (rendered after the table).</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>A trajectory, one subtype per reduction; the classifier dispatches on the type, never on display text.</summary>
public abstract record Trajectory(IReadOnlyList<Sample> Samples, double WallSeconds)
{
    /// <summary>What was integrated, for display.</summary>
    public abstract string Kind { get; }

    /// <summary>How the numbers were produced (numeric with which method and tolerances, or a closed form).</summary>
    public abstract string Provenance { get; }

    public virtual IntegrationStats? Stats => null;
}

/// <summary>The full weights W_1..W_N integrated by an explicit method (optionally projected).</summary>
public sealed record FullTrajectory(IReadOnlyList<Sample> Samples, double WallSeconds, string Method, string Structure, IntegrationStats Integration,
    long Flops, long DenseFlops, string TargetMode, double[] Final) : Trajectory(Samples, WallSeconds)
{
    public EscapePrediction? Escape { get; init; }
    public string? Projection { get; init; }
    public override string Kind => $"full weights ({Structure} evaluation)";
    public override string Provenance => Method;
    public override IntegrationStats? Stats => Integration;
}

/// <summary>The balanced reduction in (tau, log sigma) (T9, T10).</summary>
public sealed record BalancedTrajectory(IReadOnlyList<Sample> Samples, double WallSeconds, string Method, IntegrationStats Integration,
    double TauReached, double? FinalF, double LimitF, double? FinalLogSigmaSlope) : Trajectory(Samples, WallSeconds)
{
    public override string Kind => "balanced reduction (tau, log sigma; T9, T10)";
    public override string Provenance => Method;
    public override IntegrationStats? Stats => Integration;
}

/// <summary>The exact two-layer mode solution (T13), optionally on a certified set p_i = 0.</summary>
public sealed record TwoLayerTrajectory(IReadOnlyList<Sample> Samples, double WallSeconds, double[] A, double[] B, IReadOnlyList<int> CertifiedZeroModes)
    : Trajectory(Samples, WallSeconds)
{
    public override string Kind => CertifiedZeroModes.Count > 0
        ? $"exact two-layer modes (T13) on the certified set p_{string.Join(",", CertifiedZeroModes)} = 0"
        : "exact two-layer modes (T13)";
    public override string Provenance => "closed form (T13 mode formula, double)";
}
