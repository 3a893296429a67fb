using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// Classifies a trajectory's limit from its typed result and the theorem's prediction, returning structured
/// evidence. An exactly decided criterion fixes the class; the numeric trajectory is then evidence that agrees or
/// not. Without one, the class is what the trajectory shows, and smallness of P never counts as the origin.
/// </summary>
public static class LimitClassifier
{
    private readonly record struct Observed(LimitClass Class, int Index, IReadOnlyList<int>? Modes = null);

    public static Classification Classify(SimulationContext ctx, Trajectory traj)
    {
        var (req, z, cp, prediction) = (ctx.Request, ctx.Z, ctx.CriticalPoints, ctx.Prediction);
        var evidence = new List<Evidence>();
        if (prediction is not null) evidence.Add(new CriterionEvidence(prediction.Theorem, prediction.Detail, prediction.Exact));
        double s1 = z.S(0), tol = 1e-3 * s1;
        var last = traj.Samples.Count > 0 ? traj.Samples[^1] : null;
        Observed? observed = null;
        double? hessianMin = null;
        MathNet.Numerics.LinearAlgebra.Matrix<double>? finalP = null;
        Unclassified? why = null;
        switch (traj)
        {
            case BalancedTrajectory b:
            {
                // Classified in tau and log sigma, never from smallness at time T (docs/theory.md, section 7).
                double sigma = last?.NormP ?? 0;
                evidence.Add(new TauEvidence(b.TauReached, sigma, b.FinalF, b.LimitF, b.FinalLogSigmaSlope));
                if (b.LimitF <= 1e-12 * s1 && b.FinalLogSigmaSlope < 0) observed = new(LimitClass.Origin, 0);
                else
                    for (int i = 1; i <= cp.Count; i++)
                        if (Math.Abs(sigma - z.S(i - 1)) < 1e-6 * s1 && b.FinalF is double f && Math.Abs(f - z.S(i - 1)) < 1e-6 * s1)
                        { observed = new(cp.IsGlobal(i) ? LimitClass.GlobalMinimiser : LimitClass.Saddle, i); break; }
                break;
            }
            case FullTrajectory or TwoLayerTrajectory when last is not null:
            {
                var p = traj is TwoLayerTrajectory t2 ? NetworkState.Outer(t2.A, t2.B) : new NetworkState(ctx.Layout, ((FullTrajectory)traj).Final).P;
                finalP = p;
                double normP = p.FrobeniusNorm();
                var distances = Distances(cp, p);
                evidence.Add(new FinalStateEvidence(last.T, last.Loss, last.Gap, normP, last.GradientNorm));
                evidence.Add(new DistancesEvidence(normP, distances));
                evidence.Add(new LevelsEvidence(cp.OriginLoss, Enumerable.Range(1, cp.Count).Select(cp.Loss).ToList()));
                if (traj is FullTrajectory full && full.Final.Length <= HessianSpectrum.MaxDimension)
                {
                    var eig = HessianSpectrum.At(GradientFlow<F64>.Create(req.Architecture, z), full.Final);
                    if (eig.Length > 0)
                    {
                        hessianMin = eig[0];
                        evidence.Add(new HessianEvidence(eig[0], eig[^1], eig[0] < -1e-4 * s1 * s1));
                    }
                }
                (IReadOnlyList<int> Modes, double Distance)? subset = cp.MaxRank > 1 ? cp.NearestSubset(p) : null;
                if (subset is { } sub) evidence.Add(new SubsetEvidence(cp.MaxRank, sub.Modes, sub.Distance));
                (observed, why) = Observe(cp, normP, distances, subset, tol);
                break;
            }
        }
        if (traj is FullTrajectory { Escape: { } esc }) evidence.Add(new EscapeEvidence(esc));

        var result = Decide(ctx, traj is BalancedTrajectory, observed, why, evidence);
        // At a saddle (the limit, or a plateau the run is still on): how far from it, and when the state would leave.
        int? saddle = observed is { Class: LimitClass.Saddle, Modes: null } o ? o.Index
            : observed is null && result is { Class: LimitClass.Saddle, Modes: null } ? result.Index : null;
        if (saddle is int at) evidence.Add(Proximity(ctx, traj, at, finalP, hessianMin));
        return result;
    }

    /// <summary>
    /// The limit of a full-weights final state as <see cref="Classify"/> decides it (the same class, index and modes),
    /// without the evidence a report shows (Hessian spectrum, distances, escape, saddle proximity): what a sweep tallies.
    /// </summary>
    internal static Classification ClassifyFinal(SimulationContext ctx, double[] final)
    {
        var cp = ctx.CriticalPoints;
        var state = new NetworkState(ctx.Layout, final);
        // Through a one-neuron layer P = a b^T from two vector chains (the dense product chain costs more than the rest of the classification).
        var p = ctx.Layout.Architecture.OneNeuronLayer is int k && state.Factors(k) is var (a, b) ? NetworkState.Outer(a, b) : state.P;
        (IReadOnlyList<int> Modes, double Distance)? subset = cp.MaxRank > 1 ? cp.NearestSubset(p) : null;
        var (observed, why) = Observe(cp, p.FrobeniusNorm(), Distances(cp, p), subset, 1e-3 * ctx.Z.S(0));
        return Decide(ctx, false, observed, why, []);
    }

    private static List<double> Distances(CriticalPoints cp, MathNet.Numerics.LinearAlgebra.Matrix<double> p)
    {
        var distances = new List<double>(cp.Count);
        for (int i = 1; i <= cp.Count; i++) distances.Add(cp.Distance(p, i));
        return distances;
    }

    /// <summary>The critical point P is at (within tol), from its distances to them (or the nearest subset of modes when P has rank above one).</summary>
    private static (Observed? Observed, Unclassified? Why) Observe(CriticalPoints cp, double normP, List<double> distances, (IReadOnlyList<int> Modes, double Distance)? subset, double tol)
    {
        if (subset is { } nearest)
        {
            var (modes, dist) = nearest;
            if (dist >= tol) return (null, Unclassified.NotNearCriticalPoint);
            if (modes.Count == 0) return (new(LimitClass.Origin, 0), null);
            bool global = modes.SequenceEqual(Enumerable.Range(1, Math.Min(cp.MaxRank, cp.Count)));
            return (new(global ? LimitClass.GlobalMinimiser : LimitClass.Saddle, modes[^1], modes), null);
        }
        int best = Enumerable.Range(0, distances.Count).OrderBy(i => distances[i]).FirstOrDefault(-1);
        if (best >= 0 && distances[best] < tol) return (new(cp.IsGlobal(best + 1) ? LimitClass.GlobalMinimiser : LimitClass.Saddle, best + 1), null);
        if (normP < tol) return (new(LimitClass.Origin, 0), null);
        return (null, null);
    }

    private static Classification Decide(SimulationContext ctx, bool balanced, Observed? observed, Unclassified? why, List<Evidence> evidence)
    {
        var (req, prediction) = (ctx.Request, ctx.Prediction);
        if (prediction is not null)
        {
            var predicted = new Observed(prediction.Class, prediction.Index);
            string predictedName = Name(predicted);
            string? observedName = observed is { } o ? Name(o) : null;
            if (prediction.Class == LimitClass.Undetermined)
            {
                evidence.Add(new ComparisonEvidence(Comparison.CriterionUndecided, prediction.Theorem, predictedName, observedName, req.TMax));
                return new Classification(LimitClass.Undetermined, 0, $"{prediction.Theorem}'s criterion undecided in double", evidence);
            }
            if (prediction.Exact)
            {
                var kind = Same(observed, predicted) ? Comparison.Agrees
                    : observed is not { } seen ? Comparison.NotReached
                    : Level(ctx, seen) > Level(ctx, predicted) ? Comparison.InTransit : Comparison.LeftInvariantSet;
                evidence.Add(new ComparisonEvidence(kind, prediction.Theorem, predictedName, observedName, req.TMax));
                string basis = prediction is EquilibriumPrediction
                    ? "E1, exact: W = 0 is an equilibrium"
                    : $"{prediction.Theorem}, criterion decided exactly (rational start), with numeric evidence";
                return new Classification(prediction.Class, prediction.Index, basis, evidence);
            }
            if (Same(observed, predicted))
                return new Classification(prediction.Class, prediction.Index, $"numeric, agreeing with {prediction.Theorem} (criterion decided in double with an error bound)", evidence);
            if (observed is not null)
            {
                evidence.Add(new ComparisonEvidence(Comparison.Disagrees, prediction.Theorem, predictedName, observedName, req.TMax));
                return new Classification(LimitClass.Undetermined, 0, "numeric and theorem disagree", evidence);
            }
        }
        if (observed is { } ob)
        {
            if (ob.Class == LimitClass.Origin && !balanced)
            {
                evidence.Add(new UnclassifiedEvidence(Unclassified.SmallPWithoutTheorem, req.TMax));
                return new Classification(LimitClass.Undetermined, 0, "numeric", evidence);
            }
            return new Classification(ob.Class, ob.Index, balanced ? "numeric in tau / log sigma (T10)" : "numeric", evidence) { Modes = ob.Modes };
        }
        evidence.Add(new UnclassifiedEvidence(why ?? Unclassified.TooShort, req.TMax));
        return new Classification(LimitClass.Undetermined, 0, "numeric", evidence);
    }

    /// <summary>Distance to saddle i at the end, the escape component there, and when the state would leave.</summary>
    private static SaddleProximityEvidence Proximity(SimulationContext ctx, Trajectory traj, int saddle, MathNet.Numerics.LinearAlgebra.Matrix<double>? p, double? hessianMin)
    {
        var (z, prediction) = (ctx.Z, ctx.Prediction);
        double tEnd = traj.Samples.Count > 0 ? traj.Samples[^1].T : 0;
        double distance;
        (double P1, double Pi)? comps = null;
        if (traj is BalancedTrajectory b && prediction is BalancedPrediction bp)
        {
            distance = Math.Abs((traj.Samples.Count > 0 ? traj.Samples[^1].NormP : 0) - z.S(saddle - 1));
            var (x, y) = bp.Model.DirectionAt(b.TauReached);
            comps = (x[0] + y[0], x[saddle - 1] + y[saddle - 1]);
        }
        else
        {
            distance = p is null ? double.NaN : ctx.CriticalPoints.Distance(p, saddle);
            comps = traj switch
            {
                FullTrajectory f => prediction?.Components(ctx.Layout, f.Final, saddle),
                TwoLayerTrajectory t => prediction?.Components(ctx.Layout, [.. t.B, .. t.A], saddle),
                _ => null,
            };
        }
        double? rate = prediction?.Rates(ctx.CriticalPoints).SaddleEscape is { } known && known.TryGetValue(saddle, out var r) ? r : prediction?.EscapeRate;
        string source = rate is null ? "" : $"{prediction!.Theorem}";
        if (rate is null && hessianMin < 0) { rate = -hessianMin; source = "the Hessian's most negative eigenvalue"; }
        double? eps = comps is { } c ? Math.Abs(c.P1) : null, own = comps is { } c2 ? Math.Abs(c2.Pi) : null;
        double? escape = eps > 0 && own > 0 && rate > 0 ? tEnd + Math.Max(0, Math.Log(own.Value / eps.Value)) / rate : null;
        return new SaddleProximityEvidence(saddle, distance, eps, own, rate, source, escape, tEnd) { SigmaOnly = traj is BalancedTrajectory };
    }

    /// <summary>The loss at a critical point: the flow only goes down these levels (T4), so a higher one is passed in transit.</summary>
    private static double Level(SimulationContext ctx, Observed o) => o.Class switch
    {
        LimitClass.Origin => ctx.CriticalPoints.OriginLoss,
        LimitClass.GlobalMinimiser => ctx.CriticalPoints.MinimumLoss,
        _ => ctx.CriticalPoints.Loss(o.Index),
    };

    // Global minimisers are one class whatever the index (with s_1 = s_2 there are several, E5).
    private static bool Same(Observed? o, Observed p) => o is { } v && v.Class == p.Class && (v.Class == LimitClass.GlobalMinimiser || v.Index == p.Index);

    private static string Name(Observed o) => o.Class switch
    {
        LimitClass.Origin => "the origin",
        LimitClass.Saddle => $"saddle {o.Index}",
        LimitClass.Undetermined => "an undecided limit",
        _ => $"the global minimiser (s_{o.Index})",
    };
}
