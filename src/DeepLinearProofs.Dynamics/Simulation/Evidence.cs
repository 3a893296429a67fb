using DeepLinearProofs.Networks;
using DeepLinearProofs.Dynamics.Analysis;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>One piece of evidence behind a classification; <see cref="EvidenceText"/> renders it.</summary>
public abstract record Evidence;

/// <summary>The theorem's criterion evaluated on the start.</summary>
public sealed record CriterionEvidence(string Theorem, string Detail, bool Exact) : Evidence;

/// <summary>The balanced reduction's state at the end, in tau and log sigma.</summary>
public sealed record TauEvidence(double Tau, double Sigma, double? F, double LimitF, double? LogSigmaSlope) : Evidence;

/// <summary>The state at the last recorded time.</summary>
public sealed record FinalStateEvidence(double T, double Loss, double Gap, double NormP, double? GradientNorm) : Evidence;

/// <summary>|P| and the distance of P to each rank-one critical point s_i u_i v_i^T.</summary>
public sealed record DistancesEvidence(double Origin, IReadOnlyList<double> ToCritical) : Evidence;

/// <summary>The critical loss levels (T7).</summary>
public sealed record LevelsEvidence(double Origin, IReadOnlyList<double> Levels) : Evidence;

/// <summary>The Hessian spectrum of L at the final state (central differences).</summary>
public sealed record HessianEvidence(double Min, double Max, bool NegativeDirection) : Evidence;

/// <summary>Without a one-neuron layer: the nearest critical point sum_{i in S} s_i u_i v_i^T.</summary>
public sealed record SubsetEvidence(int MaxRank, IReadOnlyList<int> Modes, double Distance) : Evidence;

/// <summary>The escape tracker's record of the stable set of a saddle.</summary>
public sealed record EscapeEvidence(EscapePrediction Escape) : Evidence;

/// <summary>
/// How far from saddle i the final state is and when it would leave: eps is the escape component, own the saddle's
/// own mode, rate the escape rate (from the theorem, or the Hessian's most negative eigenvalue).
/// </summary>
public sealed record SaddleProximityEvidence(int Saddle, double Distance, double? Eps, double? Own, double? Rate, string RateSource, double? EscapeTime, double TEnd) : Evidence
{
    /// <summary>True when the distance is |sigma - s_i| (the balanced reduction has no weights to measure P by).</summary>
    public bool SigmaOnly { get; init; }
}

/// <summary>How the numeric trajectory compares with the theorem's prediction.</summary>
public enum Comparison { Agrees, InTransit, LeftInvariantSet, NotReached, Disagrees, CriterionUndecided }

public sealed record ComparisonEvidence(Comparison Kind, string Theorem, string Predicted, string? Observed, double TMax) : Evidence;

/// <summary>Why a run could not be classified.</summary>
public enum Unclassified { TooShort, SmallPWithoutTheorem, NotNearCriticalPoint }

public sealed record UnclassifiedEvidence(Unclassified Reason, double TMax) : Evidence;

/// <summary>The one place evidence becomes text.</summary>
public static class EvidenceText
{
    public static string Render(Evidence e) => e switch
    {
        CriterionEvidence c => $"{c.Theorem}: {c.Detail}",
        TauEvidence t => $"tau reached {t.Tau:g6}, sigma = {t.Sigma:g6}, f = x^T Z y = {t.F:g6} (limit of f along the closed-form direction: {t.LimitF:g6}), d log sigma/d tau = {t.LogSigmaSlope:g4}",
        FinalStateEvidence s => $"at t = {s.T:g6}: loss {s.Loss:g10}, gap to the minimum {Num.Sci(s.Gap, 3)}, |P| = {s.NormP:g6}" + (s.GradientNorm is double g ? $", |grad L| = {Num.Sci(g, 2)}" : ""),
        DistancesEvidence d => "distance of P to each critical point: " + string.Join(", ", new[] { $"0: {Num.Sci(d.Origin, 2)}" }.Concat(d.ToCritical.Select((x, i) => $"s_{i + 1} u v^T: {Num.Sci(x, 2)}"))),
        LevelsEvidence l => "critical loss levels (T7): " + string.Join(", ", new[] { $"origin {l.Origin:g6}" }.Concat(l.Levels.Select((x, i) => $"s_{i + 1}: {x:g6}"))),
        HessianEvidence h => $"Hessian of L at the final state (central differences): eigenvalues in [{h.Min:g5}, {h.Max:g5}]" +
            (h.NegativeDirection ? " - a negative direction: a strict saddle (T7) if the state is critical" : ""),
        SubsetEvidence s => $"P has rank up to {s.MaxRank} (no one-neuron layer); nearest critical point sum_{{i in S}} s_i u_i v_i^T has S = {{{string.Join(",", s.Modes)}}}, distance {Num.Sci(s.Distance, 2)}",
        EscapeEvidence { Escape: var esc } => $"stable set of saddle {esc.Saddle}: reached at t ~ {esc.ArrivalTime:g4}, measured violation eps = {Num.Sci(esc.Violation, 2)}, |p_{esc.Saddle}| = {esc.OwnComponent:g4}, escape rate {esc.Rate:g5}; predicted escape t ~ {(esc.PredictedEscape is double pe ? pe.ToString("g4") : "never (eps = 0)")}" +
            (esc.ObservedEscape is double oe ? $", observed escape t ~ {oe:g4}" : ", no escape observed by t_max"),
        SaddleProximityEvidence s => Proximity(s),
        ComparisonEvidence c => c.Kind switch
        {
            Comparison.Agrees => $"the numeric trajectory agrees: it ends at {c.Predicted}",
            Comparison.LeftInvariantSet => $"the numeric trajectory ends at {c.Observed} instead: it left the invariant set by truncation/rounding (docs/theory.md, section 7); the two-layer or balanced reduction, or double-double precision, gives a faithful trajectory",
            Comparison.InTransit => $"by t = {c.TMax:g4} the numeric trajectory is still at {c.Observed}, a critical level above {c.Predicted} that the flow passes on its way down (T4); a longer run shows the escape",
            Comparison.NotReached => $"the numeric trajectory has not reached {c.Predicted} by t = {c.TMax:g4}",
            Comparison.Disagrees => $"{c.Theorem} (in double) predicts {c.Predicted} but the trajectory ends at {c.Observed}; a p_i(0) within rounding of 0 makes both plausible",
            _ => $"{c.Theorem}'s criterion is undecided (a p_i within rounding of 0); the numeric trajectory " + (c.Observed is null ? $"is not near a critical point by t = {c.TMax:g4}" : $"ends at {c.Observed}, which does not decide the limit"),
        },
        UnclassifiedEvidence u => u.Reason switch
        {
            Unclassified.SmallPWithoutTheorem => $"P is small at t = {u.TMax:g4}, which never proves convergence to the origin (docs/theory.md, section 7); no theorem's criterion applies to this start (it is neither balanced nor two-layer)",
            Unclassified.NotNearCriticalPoint => $"the time limit t = {u.TMax:g4} is too short to classify: P is not within 1e-3 s_1 of a critical point; increase the final time",
            _ => $"the time limit t = {u.TMax:g4} is too short to classify: the state is not within 1e-3 s_1 of any critical point; increase the final time",
        },
        _ => e.ToString(),
    };

    private static string Proximity(SaddleProximityEvidence s)
    {
        string where = $"at t = {s.TEnd:g4} the state is {Num.Sci(s.Distance, 2)} from saddle {s.Saddle} ({(s.SigmaOnly ? $"|sigma - s_{s.Saddle}|" : $"|P - s_{s.Saddle} u v^T|")})";
        if (s.Eps is not double eps) return where + (s.Rate is double r0 ? $"; escape rate {r0:g4} ({s.RateSource}), escape component not defined for this start" : "; no escape rate is known for this start");
        string comp = $"; escape component eps = {Num.Sci(eps, 2)}";
        if (s.Rate is not double rate) return where + comp + "; no escape rate is known";
        string when = eps == 0 ? "never (eps = 0: on the stable set)" : s.EscapeTime is double te ? $"t ~ {te:g4}" : "unknown";
        return where + comp + $", escape rate {rate:g4} ({s.RateSource}): it leaves at {when}";
    }
}
