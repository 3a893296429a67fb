using System.Diagnostics;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Dynamics.Reduced;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>
/// Runs one simulation: chooses the trajectory (full weights, balanced reduction, exact two-layer modes),
/// integrates with monitors, classifies the limit, fits stage rates and predicts escapes from saddles.
/// </summary>
public static class Simulator
{
    public static SimulationReport Run(SimulationRequest req, CancellationToken cancel = default)
    {
        ResourceEstimate.Require(req); // size and time estimate before anything is allocated; one line when over budget
        double unit = req.Precision == Precision.DoubleDouble ? DoubleDouble.Epsilon : F64.Epsilon;
        if (IntegratorOptions.Check(req.RelTol, req.AbsTol, unit) is string bad) throw new NetworkInputException(bad);
        if (!(req.TMax > 0) || !double.IsFinite(req.TMax)) throw new NetworkInputException($"--t-max must be a positive finite time, got {req.TMax}");
        var arch = req.Architecture;
        var layout = new WeightLayout(arch);
        if (req.Start.Weights.Length != layout.Dimension)
            throw new NetworkInputException($"the start has {req.Start.Weights.Length} weights but widths {arch} need {layout.Dimension}");
        Initialisation.Validate(req.Start.Weights);
        var z = req.Z;
        int maxRank = arch.OneNeuronLayer is null ? Math.Min(arch.Widths.Min(), Math.Min(z.Rows, z.Cols)) : 1;
        var cp = new CriticalPoints(z, maxRank);
        var notes = new List<string>();
        if (!z.HasGap)
            notes.Add($"warning: s_1 = s_2 = {z.S(0):g6}: T11 and T14 need the gap s_1 > s_2; every unit singular pair of s_1 is a global minimiser (E5)");
        if (arch.OneNeuronLayer is null)
            notes.Add("no one-neuron layer: T5-T15 do not apply (the flow is evaluated densely; limits are classified numerically only)");
        var prediction = LimitPrediction.For(z, layout, req.Start);
        var rates = PredictRates(req, z, cp, prediction);

        var reduction = req.Reduction;
        if (reduction == Reduction.Balanced && (req.Start.Balanced is null || arch.OneNeuronLayer is null || req.Start.Balanced.Sigma.IsZero))
            throw new NetworkInputException("--reduction balanced needs a balanced start with sigma > 0 on widths with a one-neuron layer (use --init balanced:sigma=..,x=..,y=..)");
        if (reduction == Reduction.TwoLayer && !(arch.Depth == 2 && arch.Width(1) == 1))
            throw new NetworkInputException($"--reduction two-layer needs widths d_0,1,d_2 (two layers with a hidden neuron); got {arch}");

        var options = new IntegratorOptions(req.RelTol, req.AbsTol, req.Method);
        string provenance = $"numeric ({MethodName(req.Method)}, rtol {req.RelTol:g2}, atol {req.AbsTol:g2}, {(req.Precision == Precision.Double ? "double" : "double-double")})";
        Trajectory traj = reduction switch
        {
            Reduction.Balanced => RunBalanced(req, z, cp, options, cancel),
            Reduction.TwoLayer => RunTwoLayer(req, z, cp, layout, prediction),
            _ => req.Precision == Precision.DoubleDouble
                ? RunFull<DoubleDouble>(req, z, cp, layout, options, prediction, notes, cancel)
                : RunFull<F64>(req, z, cp, layout, options, prediction, notes, cancel),
        };
        if (reduction == Reduction.TwoLayer) provenance = "closed form (T13 mode formula, double)";
        if (reduction == Reduction.Balanced) provenance = $"numeric in tau with log sigma as state (T10; {MethodName(req.Method)}, rtol {req.RelTol:g2})";

        // Where both apply, the full integration is checked against the reduced model.
        if (reduction is Reduction.Auto && req.Record && traj.Samples.Count > 0)
            CrossCheck(req, z, cp, layout, prediction, traj, notes, cancel);

        var classification = Classify(req, z, cp, layout, prediction, traj);
        var stages = req.Record ? StageRates.Fit(traj.Samples.Select(s => new TrajectoryPoint(s.T, s.Loss, s.NormP)).ToList(), cp, rates, arch.Depth) : [];
        int increases = 0;
        for (int i = 1; i < traj.Samples.Count; i++)
            if (traj.Samples[i].Loss > traj.Samples[i - 1].Loss + 1e-12 * Math.Max(1, traj.Samples[i - 1].Loss)) increases++;
        if (increases > 0) notes.Add($"warning: the loss increased {increases} times between recorded points (T4 says it never does): the integration is not accurate enough");
        double maxDrift = traj.Samples.Select(s => s.Drift ?? 0).DefaultIfEmpty(0).Max();
        return new SimulationReport(req, provenance, traj.Kind, traj.Samples, traj.Stats, traj.Wall, traj.Flops, traj.DenseFlops, traj.TargetMode,
            maxDrift, increases, prediction, classification, stages, traj.Escape, notes, traj.Final);
    }

    private static string MethodName(Method m) => m switch
    {
        Method.Dop853 => "DOP853",
        Method.Stiff => "DOP853, then RKC when stiff",
        _ => "Dormand-Prince 5(4)",
    };

    private sealed record Trajectory(string Kind, List<Sample> Samples, IntegrationStats? Stats, double Wall, long Flops, long DenseFlops, string TargetMode, double[] Final)
    {
        public EscapePrediction? Escape { get; init; }
        public double? TauReached { get; init; }
        public double? FinalF { get; init; }
        public double? LimitF { get; init; }
        public double? FinalLogSigmaSlope { get; init; }
        public string? Projection { get; init; }
    }

    private static Trajectory RunFull<T>(SimulationRequest req, NumericTarget z, CriticalPoints cp, WeightLayout layout, IntegratorOptions options,
        LimitPrediction? prediction, List<string> notes, CancellationToken cancel) where T : struct, IReal<T>
    {
        var field = GradientFlow<T>.Create(req.Architecture, z, req.Structure);
        // Monitors evaluate the gradient in double; in a double run that is the integrated field itself.
        var doubleField = field as GradientFlow<F64> ?? GradientFlow<F64>.Create(req.Architecture, z, req.Structure);
        var obs = new Observables(layout, z);
        IStateProjection<T>? projection = null;
        if (req.Projection == ProjectionChoice.Coordinates)
        {
            var (p, why) = CoordinateSubspaceProjection<T>.Certify(req.Architecture, req.Target, layout, req.Start.Weights);
            projection = p ?? throw new NetworkInputException($"--project coordinates refused: {why}");
        }
        else if (req.Projection == ProjectionChoice.Balanced)
        {
            if (req.Start.Balanced is null) throw new NetworkInputException("--project balanced needs a balanced start (--init balanced:...)");
            if (typeof(T) != typeof(F64)) throw new NetworkInputException("--project balanced is available in double precision only");
            projection = (IStateProjection<T>)(object)new BalancedProjection(layout, req.Start.Balanced);
        }
        if (projection is not null) notes.Add($"projection after every step onto the {projection.Name}");

        var y = req.Start.Exact is { } exact ? exact.Select(T.FromRational).ToArray() : req.Start.Weights.Select(T.FromDouble).ToArray();
        var c0 = obs.Imbalances(req.Start.Weights);
        var samples = new List<Sample>();
        double minDt = req.TMax / 20000, nextCheck = 0, checkDt = req.TMax / Math.Max(1, req.Checkpoints), last = double.NegativeInfinity;
        var escape = new EscapeTracker(req, z, cp, layout, prediction);
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
        var clock = Stopwatch.StartNew();
        IntegrationStats stats;
        if (options.Method == Method.Stiff)
        {
            if (projection is not null) throw new NetworkInputException("--project works with --method dop853 or dp54, not with the stiff switch");
            var stiff = new StiffIntegrator<T>(field, options);
            stats = stiff.Integrate(0, y, req.TMax, req.Record ? (t, s) => Record(t, s, false) : null, cancel);
            clock.Stop();
            notes.Add(stiff.SwitchTime is double ts
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
            notes.Add($"the integration stopped early at t = {stats.FinalTime:g6}: {stats.Exit}");
        return new Trajectory($"full weights ({field.Structure} evaluation)", samples, stats, clock.Elapsed.TotalSeconds, field.FlopsPerEvaluation, field.DenseFlops,
            field.Target.Mode.ToString().ToLowerInvariant(), y.Select(v => v.ToDouble()).ToArray())
        { Escape = escape.Result(), Projection = projection?.Name };
    }


    private static Trajectory RunBalanced(SimulationRequest req, NumericTarget z, CriticalPoints cp, IntegratorOptions options, CancellationToken cancel)
    {
        var bal = req.Start.Balanced!;
        var red = BalancedReduction.Of(z, req.Architecture.Depth, bal);
        var clock = Stopwatch.StartNew();
        var (points, stats) = red.Run(req.TMax, 1e7, options with { MaxStep = 0.02, Method = options.Method == Method.Stiff ? Method.Dop853 : options.Method }, cancel);
        clock.Stop();
        var samples = points.Select(p => new Sample(p.T, p.Loss, p.Loss - cp.MinimumLoss, p.Sigma, 0.0, null)).ToList();
        double? slope = null;
        if (points.Count >= 2)
        {
            var (p1, p2) = (points[^2], points[^1]);
            if (p2.Tau > p1.Tau) slope = (p2.LogSigma - p1.LogSigma) / (p2.Tau - p1.Tau);
        }
        var lastTau = points.Count > 0 ? points[^1].Tau : 0;
        return new Trajectory("balanced reduction (tau, log sigma; T9, T10)", samples, stats, clock.Elapsed.TotalSeconds, 0, 0, "closed form", [])
        {
            TauReached = lastTau,
            FinalF = points.Count > 0 ? points[^1].F : null,
            LimitF = red.F(lastTau + 200),
            FinalLogSigmaSlope = slope,
        };
    }

    private static Trajectory RunTwoLayer(SimulationRequest req, NumericTarget z, CriticalPoints cp, WeightLayout layout, LimitPrediction? prediction)
    {
        var (a0, b0) = new NetworkState(layout, req.Start.Weights).Factors(1);
        var modes = new TwoLayerModes(z, a0, b0, prediction?.CertifiedZeroModes);
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        double[] final = [];
        const int grid = 4000;
        for (int k = 0; k <= grid; k++)
        {
            double t = req.TMax * k / grid;
            var (a, b) = modes.At(t);
            var p = NetworkState.Outer(a, b);
            double loss = z.LossAt(p);
            samples.Add(new Sample(t, loss, loss - cp.MinimumLoss, p.FrobeniusNorm(), 0.0, null));
            if (k == grid) final = [.. b, .. a];
        }
        clock.Stop();
        string kind = prediction?.CertifiedZeroModes.Count > 0
            ? $"exact two-layer modes (T13) on the certified set p_{string.Join(",", prediction.CertifiedZeroModes)} = 0"
            : "exact two-layer modes (T13)";
        return new Trajectory(kind, samples, null, clock.Elapsed.TotalSeconds, 0, 0, "closed form", final);
    }


    /// <summary>Compares the full integration with the reduced model (balanced or two-layer) at the final time.</summary>
    private static void CrossCheck(SimulationRequest req, NumericTarget z, CriticalPoints cp, WeightLayout layout, LimitPrediction? prediction, Trajectory full, List<string> notes, CancellationToken cancel)
    {
        var arch = req.Architecture;
        double tEnd = full.Samples[^1].T;
        if (req.Start.Balanced is { } bal && arch.OneNeuronLayer is not null && !bal.Sigma.IsZero)
        {
            var red = BalancedReduction.Of(z, arch.Depth, bal);
            var (points, _) = red.Run(tEnd, 1e7, new IntegratorOptions(Math.Max(req.RelTol, 1e-12), Math.Max(req.AbsTol, 1e-14), Method.Dop853), cancel);
            if (points.Count > 0)
                notes.Add($"check against the balanced reduction (T10) at t = {points[^1].T:g6}: loss {points[^1].Loss:g10} (reduced) vs {full.Samples[^1].Loss:g10} (full), |difference| {Math.Abs(points[^1].Loss - full.Samples[^1].Loss):e2}");
        }
        else if (arch.Depth == 2 && arch.Width(1) == 1)
        {
            var (a0, b0) = new NetworkState(layout, req.Start.Weights).Factors(1);
            var (a, b) = new TwoLayerModes(z, a0, b0, prediction?.CertifiedZeroModes).At(tEnd);
            var p = NetworkState.Outer(a, b);
            double exact = z.LossAt(p);
            double difference = Math.Abs(exact - full.Samples[^1].Loss);
            string why = difference > 1e-6 && full.Escape?.ObservedEscape is not null
                ? "; the difference is the integration's escape from the certified stable set (see the escape line), which the exact formula does not make"
                : "";
            notes.Add($"check against the exact two-layer modes (T13{(prediction?.CertifiedZeroModes.Count > 0 ? ", on the certified set" : "")}) at t = {tEnd:g6}: loss {exact:g10} (exact formula) vs {full.Samples[^1].Loss:g10} (integrated), |difference| {difference:e2}{why}");
        }
    }

    private static RatePrediction PredictRates(SimulationRequest req, NumericTarget z, CriticalPoints cp, LimitPrediction? prediction)
    {
        if (prediction is null) return new RatePrediction();
        int n = req.Architecture.Depth;
        double s1 = z.S(0);
        var escape = new Dictionary<int, double>();
        if (prediction.Theorem == "T11" && req.Start.Balanced is { } bal)
        {
            var red = BalancedReduction.Of(z, n, bal);
            for (int i = 2; i <= cp.Count; i++) if (!cp.IsGlobal(i)) escape[i] = (s1 - z.S(i - 1)) * Math.Pow(z.S(i - 1), 1 - 2.0 / n);
            // The minimiser rate is given even when the theorem predicts another limit: a run that leaves a
            // stable set numerically still ends in the linear stage, and its rate is then compared with T12.
            double? minimiser = null;
            {
                var candidates = new List<double> { n * s1 };
                for (int j = 2; j <= z.Rank; j++)
                {
                    if (cp.IsGlobal(j)) continue;
                    if (Math.Abs(red.P0(j - 1)) > 0 && !prediction.CertifiedZeroModes.Contains(j)) candidates.Add(s1 - z.S(j - 1));
                    if (Math.Abs(red.Q0(j - 1)) > 0) candidates.Add(s1 + z.S(j - 1));
                }
                if (red.HasKernelComponent) candidates.Add(s1);
                minimiser = Math.Pow(s1, 1 - 2.0 / n) * candidates.Min();
            }
            double? power = null, expo = null;
            if (prediction.Class == LimitClass.Origin && !bal.Sigma.IsZero)
            {
                var q = Enumerable.Range(0, z.Rank).Where(i => Math.Abs(red.Q0(i)) > 0).Select(i => z.S(i)).DefaultIfEmpty(0).Min();
                if (red.HasKernelComponent) power = -(double)n / (2 * n - 2);
                else if (n >= 3) power = -(double)n / (n - 2);
                else expo = 2 * q;
            }
            return new RatePrediction { Minimiser = minimiser, MinimiserSource = "T12", SaddleEscape = escape, OriginPowerExponent = power, OriginExponentialRate = expo };
        }
        if (prediction.Theorem == "T14")
        {
            var layout = new WeightLayout(req.Architecture);
            var (a0, b0) = new NetworkState(layout, req.Start.Weights).Factors(1);
            var modes = new TwoLayerModes(z, a0, b0);
            for (int i = 2; i <= cp.Count; i++) if (!cp.IsGlobal(i)) escape[i] = modes.Mu(0) - modes.Mu(i - 1);
            double? minimiser = null;
            {
                int? j = Enumerable.Range(2, Math.Max(0, z.Rank - 1)).Where(j => !cp.IsGlobal(j) && !prediction.CertifiedZeroModes.Contains(j) && modes.P(j - 1) != 0).Cast<int?>().FirstOrDefault();
                if (j is int jj) minimiser = modes.Mu(0) - modes.Mu(jj - 1);
            }
            return new RatePrediction { Minimiser = minimiser, MinimiserSource = "T15", SaddleEscape = escape };
        }
        return new RatePrediction();
    }

    private static Classification Classify(SimulationRequest req, NumericTarget z, CriticalPoints cp, WeightLayout layout, LimitPrediction? prediction, Trajectory traj)
    {
        var evidence = new List<string>();
        double s1 = z.S(0);
        var last = traj.Samples.Count > 0 ? traj.Samples[^1] : null;
        (LimitClass Class, int Index)? observed = null;
        if (traj.TauReached is double tau)
        {
            // Balanced reduction: classify in tau and log sigma, never from smallness at time T (THEORY section 7).
            double sigma = last?.NormP ?? 0;
            evidence.Add($"tau reached {tau:g6}, sigma = {sigma:g6}, f = x^T Z y = {traj.FinalF:g6} (limit of f along the closed-form direction: {traj.LimitF:g6}), d log sigma/d tau = {traj.FinalLogSigmaSlope:g4}");
            if (traj.LimitF is double fl && fl <= 1e-12 * s1 && traj.FinalLogSigmaSlope < 0)
                observed = (LimitClass.Origin, 0);
            else
            {
                for (int i = 1; i <= cp.Count; i++)
                    if (Math.Abs(sigma - z.S(i - 1)) < 1e-6 * s1 && traj.FinalF is double f && Math.Abs(f - z.S(i - 1)) < 1e-6 * s1)
                    { observed = (cp.IsGlobal(i) ? LimitClass.GlobalMinimiser : LimitClass.Saddle, i); break; }
            }
        }
        else if (traj.Final.Length > 0 && last is not null)
        {
            var p = traj.Kind.StartsWith("exact two-layer") ? TwoLayerP(layout, traj.Final) : new NetworkState(layout, traj.Final).P;
            double normP = p.FrobeniusNorm();
            var distances = Enumerable.Range(1, cp.Count).Select(i => (i, d: cp.Distance(p, i))).ToList();
            evidence.Add($"at t = {last.T:g6}: loss {last.Loss:g10}, gap to the minimum {last.Gap:e3}, |P| = {normP:g6}" + (last.GradientNorm is double g ? $", |grad L| = {g:e2}" : ""));
            evidence.Add("distance of P to each critical point: " + string.Join(", ", new[] { $"0: {normP:e2}" }.Concat(distances.Select(d => $"s_{d.i} u v^T: {d.d:e2}"))));
            evidence.Add("critical loss levels (T7): " + string.Join(", ", new[] { $"origin {cp.OriginLoss:g6}" }.Concat(Enumerable.Range(1, cp.Count).Select(i => $"s_{i}: {cp.Loss(i):g6}"))));
            double tol = 1e-3 * s1;
            if (traj.Final.Length <= HessianSpectrum.MaxDimension && !traj.Kind.StartsWith("exact two-layer"))
            {
                var eig = HessianSpectrum.At(GradientFlow<F64>.Create(req.Architecture, z), traj.Final);
                evidence.Add($"Hessian of L at the final state (central differences): eigenvalues in [{eig[0]:g5}, {eig[^1]:g5}]" +
                    (eig[0] < -1e-4 * s1 * s1 ? " - a negative direction: a strict saddle (T7) if the state is critical" : ""));
            }
            if (cp.MaxRank > 1)
            {
                var (modes, dist) = cp.NearestSubset(p);
                evidence.Add($"P has rank up to {cp.MaxRank} (no one-neuron layer); nearest critical point sum_{{i in S}} s_i u_i v_i^T has S = {{{string.Join(",", modes)}}}, distance {dist:e2}");
                if (dist < tol)
                {
                    bool global = modes.SequenceEqual(Enumerable.Range(1, Math.Min(cp.MaxRank, cp.Count)));
                    var cls = modes.Count == 0 ? LimitClass.Undetermined : global ? LimitClass.GlobalMinimiser : LimitClass.Saddle;
                    if (modes.Count == 0) evidence.Add("P is small, which does not prove convergence to the origin (THEORY section 7)");
                    return new Classification(cls, modes.Count == 0 ? 0 : modes[^1], "numeric", evidence) { Modes = modes };
                }
                evidence.Add($"the time limit t = {req.TMax:g4} is too short to classify: P is not within 1e-3 s_1 of a critical point; increase --t-max");
                return new Classification(LimitClass.Undetermined, 0, "numeric", evidence);
            }
            var best = distances.OrderBy(d => d.d).FirstOrDefault();
            if (distances.Count > 0 && best.d < tol) observed = (cp.IsGlobal(best.i) ? LimitClass.GlobalMinimiser : LimitClass.Saddle, best.i);
            else if (normP < tol) observed = (LimitClass.Origin, 0);
        }
        if (traj.Escape is { } esc)
            evidence.Add($"stable set of saddle {esc.Saddle}: reached at t ~ {esc.ArrivalTime:g4}, measured violation eps = {esc.Violation:e2}, |p_{esc.Saddle}| = {esc.OwnComponent:g4}, escape rate {esc.Rate:g5}; predicted escape t ~ {(esc.PredictedEscape is double pe ? pe.ToString("g4") : "never (eps = 0)")}" +
                (esc.ObservedEscape is double oe ? $", observed escape t ~ {oe:g4}" : ", no escape observed by t_max"));

        // Global minimisers are one class whatever the index (with s_1 = s_2 there are several, E5).
        static bool Same((LimitClass C, int I)? o, (LimitClass C, int I) p) =>
            o is { } v && v.C == p.C && (v.C == LimitClass.GlobalMinimiser || v.I == p.I);
        string Name((LimitClass C, int I) o) => o.C switch { LimitClass.Origin => "the origin", LimitClass.Saddle => $"saddle {o.I}", _ => $"the global minimiser (s_{o.I})" };
        if (prediction is not null)
        {
            evidence.Insert(0, $"{prediction.Theorem}: {prediction.Detail}");
            var predicted = (prediction.Class, prediction.Index);
            if (prediction.Exact)
            {
                string basis = $"{prediction.Theorem}, criterion decided exactly (rational start), with numeric evidence";
                if (Same(observed, predicted)) evidence.Add($"the numeric trajectory agrees: it ends at {Name(predicted)}");
                else if (observed is { } o) evidence.Add($"the numeric trajectory ends at {Name(o)} instead: it left the invariant set by truncation/rounding (THEORY section 7); use --reduction two-layer/balanced or --precision double-double for a faithful trajectory");
                else evidence.Add($"the numeric trajectory has not reached {Name(predicted)} by t = {req.TMax:g4}");
                return new Classification(prediction.Class, prediction.Index, basis, evidence);
            }
            if (Same(observed, predicted))
                return new Classification(prediction.Class, prediction.Index, $"numeric, agreeing with {prediction.Theorem} (criterion evaluated in double)", evidence);
            if (observed is { } other)
            {
                evidence.Add($"{prediction.Theorem} (in double) predicts {Name(predicted)} but the trajectory ends at {Name(other)}; a p_i(0) within rounding of 0 makes both plausible");
                return new Classification(LimitClass.Undetermined, 0, "numeric and theorem disagree", evidence);
            }
        }
        if (observed is { } ob)
        {
            if (ob.Class == LimitClass.Origin && traj.TauReached is null)
            {
                evidence.Add($"P is small at t = {req.TMax:g4}, which never proves convergence to the origin (THEORY section 7); no theorem's criterion applies to this start (it is neither balanced nor two-layer)");
                return new Classification(LimitClass.Undetermined, 0, "numeric", evidence);
            }
            return new Classification(ob.Class, ob.Index, traj.TauReached is null ? "numeric" : "numeric in tau / log sigma (T10)", evidence);
        }
        evidence.Add($"the time limit t = {req.TMax:g4} is too short to classify: the state is not within 1e-3 s_1 of any critical point; increase --t-max");
        return new Classification(LimitClass.Undetermined, 0, "numeric", evidence);
    }

    private static MathNet.Numerics.LinearAlgebra.Matrix<double> TwoLayerP(WeightLayout layout, double[] final)
    {
        var (a, b) = new NetworkState(layout, final).Factors(1);
        return NetworkState.Outer(a, b);
    }
}
