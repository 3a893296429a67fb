using System.Diagnostics;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>Integrates the full weights W_1..W_N in double or double-double, with monitors and the escape tracker.</summary>
internal static class FullWeightsSource
{
    public static FullTrajectory Run(SimulationContext ctx, CancellationToken cancel) =>
        ctx.Request.Precision == Precision.DoubleDouble ? Run<DoubleDouble>(ctx, cancel) : Run<F64>(ctx, cancel);

    private static FullTrajectory Run<T>(SimulationContext ctx, CancellationToken cancel) where T : struct, IReal<T>
    {
        var req = ctx.Request;
        var (z, cp, layout) = (ctx.Z, ctx.CriticalPoints, ctx.Layout);
        var field = GradientFlow<T>.Create(req.Architecture, z, req.Structure);
        // Monitors evaluate the gradient in double; in a double run that is the integrated field itself.
        var doubleField = field as GradientFlow<F64> ?? GradientFlow<F64>.Create(req.Architecture, z, req.Structure);
        var obs = new Observables(layout, z);
        var projection = Projection<T>(req, layout);
        if (projection is not null) ctx.Notes.Add($"projection after every step onto the {projection.Name}");

        var y = req.Start.Exact is { } exact ? exact.Select(T.FromRational).ToArray() : req.Start.Weights.Select(T.FromDouble).ToArray();
        var c0 = obs.Imbalances(req.Start.Weights);
        var samples = new List<Sample>();
        double minDt = req.TMax / 20000, nextCheck = 0, checkDt = req.TMax / Math.Max(1, req.Checkpoints), last = double.NegativeInfinity;
        var escape = new EscapeTracker(cp, layout, ctx.Prediction);
        var w = new double[layout.Dimension];
        void Record(double t, ReadOnlySpan<T> state, bool force)
        {
            if (!req.Record && !force) return;
            bool check = force || t >= nextCheck;
            if (!check && t - last < minDt) return;
            for (int i = 0; i < w.Length; i++) w[i] = state[i].ToDouble();
            var p = obs.EndToEnd(w);
            double loss = z.LossAt(p);
            double? drift = null, grad = null;
            if (check)
            {
                drift = Observables.Drift(obs.Imbalances(w), c0);
                grad = Math.Sqrt(obs.GradientNormSquared(w, doubleField));
                nextCheck = t + checkDt;
            }
            samples.Add(new Sample(t, loss, loss - cp.MinimumLoss, p.FrobeniusNorm(), drift, grad));
            last = t;
            escape.Observe(t, w, loss);
        }
        var options = Options(ctx);
        bool stiffSwitch = options.Stiffness == Stiffness.Switch;
        var clock = Stopwatch.StartNew();
        IntegrationStats stats;
        if (stiffSwitch)
        {
            if (projection is not null) throw new RequestFieldException(RequestField.Projection, "works with the explicit integrators (dop853, dp54), not with the stiff switch");
            var stiff = new StiffIntegrator<T>(field, options);
            stats = stiff.Integrate(0, y, req.TMax, req.Record ? (t, s) => Record(t, s, false) : null, cancel);
            clock.Stop();
            ctx.Notes.Add(stiff.SwitchTime is double ts
                ? $"DOP853 until t = {ts:g6}, where its steps became stability-bound (h lambda > 6.1); then RKC (up to {stiff.ChebyshevStages} stages, spectral radius ~ {stiff.SpectralRadius:g4})"
                : "DOP853 throughout: no stiffness detected");
        }
        else
        {
            var integrator = new AdaptiveIntegrator<T>(field, options);
            stats = integrator.Integrate(0, y, req.TMax, req.Record ? (t, s) => Record(t, s, false) : null, projection: projection, cancel: cancel);
            clock.Stop();
        }
        Record(stats.FinalTime, y, true);
        if (stats.Exit != IntegrationExit.ReachedEnd)
            ctx.Notes.Add($"the integration stopped early at t = {stats.FinalTime:g6}: {stats.Exit}");
        string method = (options.Method == Method.DormandPrince54 ? "Dormand-Prince 5(4)" : "DOP853") + (stiffSwitch ? ", then RKC when stiff" : "");
        string provenance = $"numeric ({method}, rtol {req.RelTol:g2}, atol {req.AbsTol:g2}, {Vocabularies.Precision.Name(req.Precision)})";
        return new FullTrajectory(samples, clock.Elapsed.TotalSeconds, provenance, field.Structure.ToString(), stats, field.FlopsPerEvaluation, field.DenseFlops,
            field.Target.Mode.ToString().ToLowerInvariant(), y.Select(v => v.ToDouble()).ToArray())
        { Escape = escape.Result(), Projection = projection?.Name };
    }

    /// <summary>Largest predicted number of explicit steps a forced explicit pair may take before the request is refused.</summary>
    public const double MaxForcedExplicitSteps = 2e6;

    /// <summary>Largest predicted number of right-hand-side evaluations of the stiff switch before the request is refused.</summary>
    public const double MaxStiffEvaluations = 5e7;

    /// <summary>
    /// The integrator for the request: the explicit pair asked for, with the stiff switch when asked or, for auto,
    /// when the spectrum predicts a stability-bound run (<see cref="StiffnessAssessment"/>). A run that would take
    /// longer than the budgets above is refused up front with the estimate, never left to run for an hour.
    /// </summary>
    private static IntegratorOptions Options(SimulationContext ctx)
    {
        var req = ctx.Request;
        var options = new IntegratorOptions(req.RelTol, req.AbsTol, req.Integrator == IntegratorChoice.Dp54 ? Method.DormandPrince54 : Method.Dop853);
        var verdict = StiffnessAssessment.ForGradientFlow(req.Z, req.Architecture.Depth, req.TMax);
        string word = Vocabularies.Integrator.Name(req.Integrator);
        if (req.Integrator is IntegratorChoice.Dop853 or IntegratorChoice.Dp54 && verdict.ExplicitSteps > MaxForcedExplicitSteps)
            throw new RequestFieldException(RequestField.Integrator,
                $"{word} would need >~ {verdict.ExplicitSteps:g2} stability-bound steps ({verdict.Reason}); use the stiff switch (stiff, or auto which picks it)");
        bool stiff = req.Integrator == IntegratorChoice.Stiff || req.Integrator == IntegratorChoice.Auto && verdict.Stiff && req.Projection == ProjectionChoice.None;
        if (!stiff) return options;
        double evaluations = StiffnessAssessment.SwitchEvaluations(verdict, req.TMax);
        if (evaluations > MaxStiffEvaluations)
            throw new RequestFieldException(RequestField.Integrator,
                $"{word}: the flow is too stiff for this final time even for the stiff switch (>~ {evaluations:g2} evaluations; {verdict.Reason}); rescale the target (Z/c runs the same flow in time stretched by c^(2-2/N)) or shorten the final time");
        if (req.Integrator == IntegratorChoice.Auto)
            ctx.Notes.Add($"stiff: {verdict.Reason}; switched to RKC automatically when stability-bound (the explicit pairs dop853 and dp54 can be forced)");
        return options with { Stiffness = Stiffness.Switch };
    }

    private static IStateProjection<T>? Projection<T>(SimulationRequest req, WeightLayout layout) where T : struct, IReal<T>
    {
        switch (req.Projection)
        {
            case ProjectionChoice.Coordinates:
                var (p, why) = CoordinateSubspaceProjection<T>.Certify(req.Architecture, req.Target, layout, req.Start.Weights);
                return p ?? throw new RequestFieldException(RequestField.Projection, $"coordinates refused: {why}");
            case ProjectionChoice.Balanced:
                if (req.Start.Balanced is null) throw new RequestFieldException(RequestField.Projection, "balanced needs a balanced start");
                if (typeof(T) != typeof(F64)) throw new RequestFieldException(RequestField.Projection, "balanced is available in double precision only");
                return (IStateProjection<T>)(object)new BalancedProjection(layout, req.Start.Balanced);
            default:
                return null;
        }
    }
}
