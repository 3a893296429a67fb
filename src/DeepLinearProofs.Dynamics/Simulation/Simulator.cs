using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// Runs one simulation: validates the request, predicts the limit from the start (a theorem's criterion), picks the
/// trajectory source for the reduction, cross-checks the full integration against a reduced model where both apply,
/// classifies the limit and fits the stage rates. Each step is its own type; this class only wires them.
/// </summary>
public static class Simulator
{
    public static SimulationReport Run(SimulationRequest req, CancellationToken cancel = default)
    {
        var ctx = Prepare(req);
        var (arch, prediction) = (req.Architecture, ctx.Prediction);
        Trajectory traj = req.Reduction switch
        {
            Reduction.Balanced => BalancedSource.Run(ctx, prediction as BalancedPrediction
                ?? throw new RequestFieldException(RequestField.Reduction, "balanced needs a balanced start with sigma > 0 on widths with a one-neuron layer"), cancel),
            Reduction.TwoLayer => arch.Depth == 2 && arch.Width(1) == 1 ? TwoLayerSource.Run(ctx, cancel)
                : throw new RequestFieldException(RequestField.Reduction, $"two-layer needs widths d_0,1,d_2 (two layers with a hidden neuron); got {arch}"),
            _ => FullWeightsSource.Run(ctx, cancel),
        };
        return Complete(ctx, traj, cancel);
    }

    /// <summary>Validates the request and builds its context: critical points (shared ones when given), the predicted limit, the first notes.</summary>
    internal static SimulationContext Prepare(SimulationRequest req, CriticalPoints? shared = null)
    {
        req.Validate();
        ResourceEstimate.Require(req); // size estimate before anything is allocated; one line when over budget
        var arch = req.Architecture;
        var layout = new WeightLayout(arch);
        if (req.Start.Weights.Length != layout.Dimension)
            throw new RequestFieldException(RequestField.Start, $"has {req.Start.Weights.Length} weights but widths {arch} need {layout.Dimension}");
        Initialisation.Validate(req.Start.Weights, layout);
        var z = req.Z;
        int maxRank = arch.OneNeuronLayer is null ? Math.Min(arch.Widths.Min(), Math.Min(z.Rows, z.Cols)) : 1;
        var cp = shared is { } given && given.MaxRank == maxRank && ReferenceEquals(given.Target, z) ? given : new CriticalPoints(z, maxRank);
        var prediction = LimitPrediction.For(z, layout, req.Start);
        var ctx = new SimulationContext(req, cp, layout, prediction);
        if (!z.HasGap)
            ctx.Notes.Add($"warning: s_1 = s_2 = {z.S(0):g6}: T11 and T14 need the gap s_1 > s_2; every unit singular pair of s_1 is a global minimiser (E5)");
        if (arch.OneNeuronLayer is null)
            ctx.Notes.Add("no one-neuron layer: T5-T15 do not apply (the flow is evaluated densely; limits are classified numerically only)");
        return ctx;
    }

    /// <summary>
    /// The context of another start of a prepared request (a sweep's next start): the checks and parts that depend on
    /// the network and target only are those of <paramref name="template"/>; the start's own checks and its predicted
    /// limit are redone, so the context equals what <see cref="Prepare"/> builds for that start.
    /// </summary>
    internal static SimulationContext PrepareStart(SimulationContext template, Initialisation start)
    {
        var req = template.Request with { Start = start };
        var layout = template.Layout;
        if (start.Weights.Length != layout.Dimension)
            throw new RequestFieldException(RequestField.Start, $"has {start.Weights.Length} weights but widths {req.Architecture} need {layout.Dimension}");
        Initialisation.Validate(start.Weights, layout);
        var ctx = new SimulationContext(req, template.CriticalPoints, layout, LimitPrediction.For(req.Z, layout, start));
        ctx.Notes.AddRange(template.Notes);
        return ctx;
    }

    /// <summary>Cross-checks (when recording), classifies the limit, fits the stage rates and assembles the report.</summary>
    internal static SimulationReport Complete(SimulationContext ctx, Trajectory traj, CancellationToken cancel = default)
    {
        var (req, cp, prediction) = (ctx.Request, ctx.CriticalPoints, ctx.Prediction);
        var arch = req.Architecture;
        // Where both apply, the full integration is checked against the reduced model.
        if (req.Reduction == Reduction.Auto && req.Record && traj is FullTrajectory full && full.Samples.Count > 0)
        {
            if (prediction is BalancedPrediction bp) ctx.Notes.Add(BalancedSource.CrossCheck(ctx, bp, full, cancel));
            else if (arch.Depth == 2 && arch.Width(1) == 1) ctx.Notes.Add(TwoLayerSource.CrossCheck(ctx, full));
        }

        var classification = LimitClassifier.Classify(ctx, traj);
        var rates = prediction?.Rates(cp) ?? new RatePrediction();
        var stages = req.Record ? StageRates.Fit(traj.Samples.Select(s => new TrajectoryPoint(s.T, s.Loss, s.NormP)).ToList(), cp, rates, arch.Depth) : [];
        int increases = 0;
        for (int i = 1; i < traj.Samples.Count; i++)
            if (traj.Samples[i].Loss > traj.Samples[i - 1].Loss + 1e-12 * Math.Max(1, traj.Samples[i - 1].Loss)) increases++;
        if (increases > 0) ctx.Notes.Add($"warning: the loss increased {increases} times between recorded points (T4 says it never does): the integration is not accurate enough");
        double maxDrift = traj.Samples.Select(s => s.Drift ?? 0).DefaultIfEmpty(0).Max();
        var fullTraj = traj as FullTrajectory;
        double[] final = traj switch { FullTrajectory f => f.Final, TwoLayerTrajectory t => [.. t.B, .. t.A], _ => [] };
        return new SimulationReport(req, traj.Provenance, traj.Kind, traj.Samples, traj.Stats, traj.WallSeconds, fullTraj?.Flops ?? 0, fullTraj?.DenseFlops ?? 0,
            fullTraj?.TargetMode ?? "closed form", maxDrift, increases, prediction, classification, stages, fullTraj?.Escape, ctx.Notes, final) { Source = traj };
    }
}
