using DeepLinearProofs.Networks;
using System.Diagnostics;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Reduced;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>The balanced reduction (T9, T10) as a trajectory source: (tau, log sigma, t), from the prediction's own model.</summary>
internal static class BalancedSource
{
    public static BalancedTrajectory Run(SimulationContext ctx, BalancedPrediction prediction, CancellationToken cancel)
    {
        var req = ctx.Request;
        var red = prediction.Model;
        var options = new IntegratorOptions(req.RelTol, req.AbsTol, req.Integrator == IntegratorChoice.Dp54 ? Method.DormandPrince54 : Method.Dop853) { MaxStep = 0.02 };
        var clock = Stopwatch.StartNew();
        var (points, stats) = red.Run(req.TMax, 1e7, options, cancel);
        clock.Stop();
        var samples = points.Select(p => new Sample(p.T, p.Loss, p.Loss - ctx.CriticalPoints.MinimumLoss, p.Sigma, 0.0, null)).ToList();
        double? slope = null;
        if (points.Count >= 2 && points[^1].Tau > points[^2].Tau)
            slope = (points[^1].LogSigma - points[^2].LogSigma) / (points[^1].Tau - points[^2].Tau);
        double lastTau = points.Count > 0 ? points[^1].Tau : 0;
        string method = req.Integrator == IntegratorChoice.Dp54 ? "Dormand-Prince 5(4)" : "DOP853";
        return new BalancedTrajectory(samples, clock.Elapsed.TotalSeconds, $"numeric in tau with log sigma as state (T10; {method}, rtol {req.RelTol:g2})", stats,
            lastTau, points.Count > 0 ? points[^1].F : null, red.F(lastTau + 200), slope);
    }

    /// <summary>The full integration's final loss against the reduction's, as a note.</summary>
    public static string CrossCheck(SimulationContext ctx, BalancedPrediction prediction, FullTrajectory full, CancellationToken cancel)
    {
        var req = ctx.Request;
        double tEnd = full.Samples[^1].T;
        var (points, _) = prediction.Model.Run(tEnd, 1e7, new IntegratorOptions(Math.Max(req.RelTol, 1e-12), Math.Max(req.AbsTol, 1e-14), Method.Dop853), cancel);
        if (points.Count == 0) return "check against the balanced reduction (T10): the reduction produced no point";
        double difference = Math.Abs(points[^1].Loss - full.Samples[^1].Loss);
        return $"check against the balanced reduction (T10) at t = {points[^1].T:g6}: loss {points[^1].Loss:g10} (reduced) vs {full.Samples[^1].Loss:g10} (full), |difference| {Num.Sci(difference, 2)}";
    }
}

/// <summary>The exact two-layer modes (T13) as a trajectory source, on the certified set when p_i = 0 was proved.</summary>
internal static class TwoLayerSource
{
    public const int Grid = 4000;

    public static TwoLayerTrajectory Run(SimulationContext ctx, CancellationToken cancel)
    {
        var req = ctx.Request;
        var certified = ctx.Prediction?.CertifiedZeroModes ?? [];
        var modes = Modes(ctx, certified);
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        double[] a = [], b = [];
        for (int k = 0; k <= Grid; k++)
        {
            cancel.ThrowIfCancellationRequested();
            double t = req.TMax * k / Grid;
            (a, b) = modes.At(t);
            var p = NetworkState.Outer(a, b);
            double loss = ctx.Z.LossAt(p);
            samples.Add(new Sample(t, loss, loss - ctx.CriticalPoints.MinimumLoss, p.FrobeniusNorm(), 0.0, null));
        }
        clock.Stop();
        return new TwoLayerTrajectory(samples, clock.Elapsed.TotalSeconds, a, b, certified);
    }

    private static TwoLayerModes Modes(SimulationContext ctx, IReadOnlyList<int> certified)
    {
        var (a0, b0) = new NetworkState(ctx.Layout, ctx.Request.Start.Weights).Factors(1);
        return new TwoLayerModes(ctx.Z, a0, b0, certified);
    }

    /// <summary>The full integration's final loss against the exact formula's, as a note.</summary>
    public static string CrossCheck(SimulationContext ctx, FullTrajectory full)
    {
        var certified = ctx.Prediction?.CertifiedZeroModes ?? [];
        double tEnd = full.Samples[^1].T;
        var (a, b) = Modes(ctx, certified).At(tEnd);
        double exact = ctx.Z.LossAt(NetworkState.Outer(a, b));
        double difference = Math.Abs(exact - full.Samples[^1].Loss);
        string why = difference > 1e-6 && full.Escape?.ObservedEscape is not null
            ? "; the difference is the integration's escape from the certified stable set (see the escape line), which the exact formula does not make"
            : "";
        return $"check against the exact two-layer modes (T13{(certified.Count > 0 ? ", on the certified set" : "")}) at t = {tEnd:g6}: loss {exact:g10} (exact formula) vs {full.Samples[^1].Loss:g10} (integrated), |difference| {Num.Sci(difference, 2)}{why}";
    }
}
