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
        var (z, layout) = (ctx.Z, ctx.Layout);
        var field = GradientFlow<T>.Create(req.Architecture, z, req.Structure);
        // Monitors evaluate the gradient in double; in a double run that is the integrated field itself.
        var doubleField = field as GradientFlow<F64> ?? GradientFlow<F64>.Create(req.Architecture, z, req.Structure);
        var projection = Projection<T>(req, layout);
        if (projection is not null) ctx.Notes.Add($"projection after every step onto the {projection.Name}");

        var y = req.Start.Exact is { } exact ? exact.Select(T.FromRational).ToArray() : req.Start.Weights.Select(T.FromDouble).ToArray();
        var monitor = new Monitor<T>(ctx, doubleField);
        void Record(double t, ReadOnlySpan<T> state, bool force) => monitor.Record(t, state, force);
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
        return Finish(ctx, monitor, field, stats, y, clock.Elapsed.TotalSeconds, options, projection?.Name);
    }

    /// <summary>The trajectory of a run integrated elsewhere (a batch lane): the final sample, notes and provenance, as <see cref="Run"/> makes them.</summary>
    internal static FullTrajectory FromFinalState(SimulationContext ctx, GradientFlow<F64> field, IntegrationStats stats, double[] final, double wallSeconds, IntegratorOptions options)
    {
        var monitor = new Monitor<F64>(ctx, field);
        var y = final.Select(v => new F64(v)).ToArray();
        return Finish(ctx, monitor, field, stats, y, wallSeconds, options, null);
    }

    private static FullTrajectory Finish<T>(SimulationContext ctx, Monitor<T> monitor, GradientFlow<T> field, IntegrationStats stats, T[] y, double wallSeconds,
        IntegratorOptions options, string? projection) where T : struct, IReal<T>
    {
        var req = ctx.Request;
        monitor.Record(stats.FinalTime, y, true);
        if (stats.Exit != IntegrationExit.ReachedEnd)
            ctx.Notes.Add($"the integration stopped early at t = {stats.FinalTime:g6}: {stats.Exit}");
        bool stiffSwitch = options.Stiffness == Stiffness.Switch;
        string method = (options.Method == Method.DormandPrince54 ? "Dormand-Prince 5(4)" : "DOP853") + (stiffSwitch ? ", then RKC when stiff" : "");
        string provenance = $"numeric ({method}, rtol {req.RelTol:g2}, atol {req.AbsTol:g2}, {Vocabularies.Precision.Name(req.Precision)})";
        return new FullTrajectory(monitor.Samples, wallSeconds, provenance, field.Structure.ToString(), stats, field.FlopsPerEvaluation, field.DenseFlops,
            field.Target.Mode.ToString().ToLowerInvariant(), y.Select(v => v.ToDouble()).ToArray())
        { Escape = monitor.Escape.Result(), Projection = projection };
    }

    /// <summary>The recorded samples of a run: loss, gap, |P| and, at checkpoints, the drift of the C_j and the gradient norm; the escape tracker.</summary>
    private sealed class Monitor<T> where T : struct, IReal<T>
    {
        private readonly SimulationContext _ctx;
        private readonly GradientFlow<F64> _doubleField;
        private readonly Observables _obs;
        private readonly double[] _w;
        private readonly double _minDt, _checkDt;
        private double _nextCheck, _last = double.NegativeInfinity;
        private readonly MathNet.Numerics.LinearAlgebra.Matrix<double>[]? _c0;
        public List<Sample> Samples { get; } = [];
        public EscapeTracker Escape { get; }

        public Monitor(SimulationContext ctx, GradientFlow<F64> doubleField)
        {
            _ctx = ctx;
            _doubleField = doubleField;
            var req = ctx.Request;
            _obs = new Observables(ctx.Layout, ctx.Z);
            _c0 = _obs.Imbalances(req.Start.Weights);
            _w = new double[ctx.Layout.Dimension];
            _minDt = req.TMax / 20000;
            _checkDt = req.TMax / Math.Max(1, req.Checkpoints);
            Escape = new EscapeTracker(ctx.CriticalPoints, ctx.Layout, ctx.Prediction);
        }

        public void Record(double t, ReadOnlySpan<T> state, bool force)
        {
            var req = _ctx.Request;
            if (!req.Record && !force) return;
            bool check = force || t >= _nextCheck;
            if (!check && t - _last < _minDt) return;
            for (int i = 0; i < _w.Length; i++) _w[i] = state[i].ToDouble();
            var p = _obs.EndToEnd(_w);
            double loss = _ctx.Z.LossAt(p);
            double? drift = null, grad = null;
            if (check)
            {
                drift = Observables.Drift(_obs.Imbalances(_w), _c0!);
                grad = Math.Sqrt(_obs.GradientNormSquared(_w, _doubleField));
                _nextCheck = t + _checkDt;
            }
            Samples.Add(new Sample(t, loss, loss - _ctx.CriticalPoints.MinimumLoss, p.FrobeniusNorm(), drift, grad));
            _last = t;
            Escape.Observe(t, _w, loss);
        }
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
    internal static IntegratorOptions Options(SimulationContext ctx)
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
