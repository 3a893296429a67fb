using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Integration;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>One recorded point: time, loss, gap to the minimum, |P|_F and (at checkpoints) the drift of the C_j.</summary>
public sealed record Sample(double T, double Loss, double Gap, double NormP, double? Drift, double? GradientNorm);

/// <summary>The classified limit with the evidence that led to it.</summary>
public sealed record Classification(LimitClass Class, int Index, string Basis, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>The evidence as text, one line each.</summary>
    public IReadOnlyList<string> EvidenceLines => Evidence.Select(EvidenceText.Render).ToArray();

    /// <summary>For P of rank above one: the modes S of the critical point sum_{i in S} s_i u_i v_i^T.</summary>
    public IReadOnlyList<int>? Modes { get; init; }

    /// <summary>The limit in a lemma's words: "global minimiser", "saddle i", "origin" or "undetermined".</summary>
    public string Limit => Class switch
    {
        LimitClass.GlobalMinimiser => "global minimiser",
        LimitClass.Saddle => $"saddle {Index}",
        LimitClass.Origin => "origin",
        _ => "undetermined",
    };

    public string Describe() => Modes is { Count: > 0 } m
        ? (Class == LimitClass.GlobalMinimiser ? "global minimiser" : "saddle") + $" (P -> sum of s_i u_i v_i^T over i in {{{string.Join(",", m)}}})"
        : Class switch
    {
        LimitClass.GlobalMinimiser => "global minimiser" + (Index > 1 ? $" (P -> s_{Index} u v^T, s_{Index} = s_1)" : ""),
        LimitClass.Saddle => $"saddle {Index}",
        LimitClass.Origin => "origin",
        _ => "undetermined",
    };
}

/// <summary>Escape from a saddle whose stable set the start lies on: the prediction t_arrive + ln(|p_i|/eps)/rate.</summary>
public sealed record EscapePrediction(int Saddle, double ArrivalTime, double Violation, double OwnComponent, double Rate, double? PredictedEscape, double? ObservedEscape);

/// <summary>What a simulation found, and how (every verdict is numerical evidence unless it names a theorem's exact criterion).</summary>
public sealed record SimulationReport(
    SimulationRequest Request,
    string Provenance,
    string Trajectory,
    IReadOnlyList<Sample> Samples,
    IntegrationStats? Stats,
    double WallSeconds,
    long FlopsPerEvaluation,
    long DenseFlopsPerEvaluation,
    string TargetApplication,
    double MaxDrift,
    int LossIncreases,
    LimitPrediction? Prediction,
    Classification Classification,
    IReadOnlyList<Stage> Stages,
    EscapePrediction? Escape,
    IReadOnlyList<string> Notes,
    double[] FinalWeights)
{
    /// <summary>The typed trajectory the report was made from.</summary>
    public Trajectory? Source { get; init; }

    public double FinalLoss => Samples.Count > 0 ? Samples[^1].Loss : double.NaN;
    public double FinalGap => Samples.Count > 0 ? Samples[^1].Gap : double.NaN;
}
