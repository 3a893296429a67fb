using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>A sweep: many seeded starts of one network, simulated in parallel and classified.</summary>
public sealed record SweepRequest(Architecture Architecture, Target Target, NumericTarget Z, string Sampler, int Count, int Seed)
{
    public double TMax { get; init; } = 50;
    public double RelTol { get; init; } = 1e-8;
    public double AbsTol { get; init; } = 1e-10;

    /// <summary>The integrator of every start (as <see cref="SimulationRequest.Integrator"/>).</summary>
    public IntegratorChoice Integrator { get; init; } = IntegratorChoice.Auto;

    /// <summary>Full weights (the default), or the balanced / two-layer reduction when every start qualifies.</summary>
    public Reduction Reduction { get; init; } = Reduction.Full;

    /// <summary>Integrate four starts at a time where that applies (<see cref="Sweep.Plan"/>); false: one start at a time.</summary>
    public bool Batched { get; init; } = true;

    /// <summary>A candidate characterisation: true means "predicted to reach the global minimiser".</summary>
    public Func<double[], bool>? Candidate { get; init; }
    public string? CandidateText { get; init; }
}

/// <summary>How many starts reached one limit, with a 95% Wilson interval for the fraction.</summary>
public sealed record LimitCount(string Limit, int Count, double Fraction, double Low, double High);

/// <summary>A start whose limit the candidate mispredicted.</summary>
public sealed record CandidateBreak(int Index, int Seed, bool Predicted, string Found, double[] Weights);

/// <summary>The result of a sweep.</summary>
public sealed record SweepReport(SweepRequest Request, IReadOnlyList<LimitCount> Limits, double WallSeconds,
    int[,]? Confusion, CandidateBreak? FirstBreak, int Breaks)
{
    public int Total => Request.Count;

    /// <summary>How the starts were integrated: batched four at a time, or one at a time and why.</summary>
    public string Integration { get; init; } = "";

    /// <summary>The limit of every start, by index (the text of <see cref="Classification.Describe"/>).</summary>
    public IReadOnlyList<string> StartLimits { get; init; } = [];
}

/// <summary>How a sweep integrates its starts: the options of the batched path, or null with the reason it does not apply.</summary>
public sealed record SweepPlan(Integration.IntegratorOptions? Batched, string Description);

/// <summary>Runs a sweep on all cores; every start is seeded by its index, so results do not depend on scheduling.</summary>
public static class Sweep
{
    public static SweepReport Run(SweepRequest req, Action<int>? progress = null, CancellationToken cancel = default)
    {
        Validate(req);
        var layout = new WeightLayout(req.Architecture);
        var found = new string[req.Count];
        var reachedGlobal = new bool[req.Count];
        var predicted = new bool[req.Count];
        var starts = new double[req.Count][];
        int done = 0;
        void Record(int i, Initialisation start, SimulationReport report)
        {
            found[i] = report.Classification.Describe();
            reachedGlobal[i] = report.Classification.Class == LimitClass.GlobalMinimiser;
            if (req.Candidate is not null)
            {
                predicted[i] = req.Candidate(start.Weights);
                starts[i] = start.Weights;
            }
            int d = Interlocked.Increment(ref done);
            if (progress is not null && (d % 64 == 0 || d == req.Count)) progress(d);
        }
        var plan = Plan(req);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (plan.Batched is { } options) RunBatched(req, layout, options, Record, cancel);
        else
            Parallel.For(0, req.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, i =>
            {
                var start = Sample(req.Sampler, layout, StartSeed(req, i));
                Record(i, start, Simulator.Run(StartRequest(req, start), cancel));
            });
        clock.Stop();
        var limits = found.GroupBy(f => f).OrderByDescending(g => g.Count())
            .Select(g => { var (lo, hi) = Wilson(g.Count(), req.Count); return new LimitCount(g.Key, g.Count(), (double)g.Count() / req.Count, lo, hi); }).ToList();
        int[,]? confusion = null;
        CandidateBreak? first = null;
        int breaks = 0;
        if (req.Candidate is not null)
        {
            confusion = new int[2, 2];
            for (int i = 0; i < req.Count; i++)
            {
                bool reached = reachedGlobal[i];
                confusion[predicted[i] ? 1 : 0, reached ? 1 : 0]++;
                if (predicted[i] != reached)
                {
                    breaks++;
                    first ??= new CandidateBreak(i, StartSeed(req, i), predicted[i], found[i], starts[i]);
                }
            }
        }
        return new SweepReport(req, limits, clock.Elapsed.TotalSeconds, confusion, first, breaks) { Integration = plan.Description, StartLimits = found };
    }

    /// <summary>The seed of start i.</summary>
    private static int StartSeed(SweepRequest req, int i) => unchecked(req.Seed * 1_000_003 + i);

    /// <summary>
    /// Whether the starts can be integrated four at a time (<see cref="BatchIntegrator"/>): full weights in double,
    /// a one-neuron layer (the rank-one right-hand side), and an explicit pair (dop853 or dp54, or auto when the
    /// spectrum does not call for the stiff switch). Otherwise every start runs alone, as in <see cref="Simulator.Run"/>.
    /// </summary>
    public static SweepPlan Plan(SweepRequest req)
    {
        string method = Vocabularies.Integrator.Name(req.Integrator);
        if (req.Reduction != Reduction.Full) return new(null, $"one start at a time ({Vocabularies.Reduction.Name(req.Reduction)} reduction)");
        if (req.Architecture.OneNeuronLayer is null) return new(null, "one start at a time (no one-neuron layer: dense right-hand side)");
        var layout = new WeightLayout(req.Architecture);
        var ctx = Simulator.Prepare(StartRequest(req, Sample(req.Sampler, layout, StartSeed(req, 0))));
        var options = FullWeightsSource.Options(ctx);
        if (options.Stiffness == Integration.Stiffness.Switch) return new(null, $"one start at a time ({method}: the stiff switch)");
        string pair = options.Method == Integration.Method.DormandPrince54 ? "dp54" : "dop853";
        if (!req.Batched) return new(null, $"one start at a time ({pair}, batching off)");
        return new(options, $"batched: {BatchIntegrator.Lanes} starts per SIMD pass ({pair}, each start with its own step size)");
    }

    private static void RunBatched(SweepRequest req, WeightLayout layout, Integration.IntegratorOptions options,
        Action<int, Initialisation, SimulationReport> record, CancellationToken cancel)
    {
        // The critical points depend on Z alone: computed once, shared by every start's context.
        var shared = Simulator.Prepare(StartRequest(req, Sample(req.Sampler, layout, StartSeed(req, 0)))).CriticalPoints;
        int next = -1;
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, _ =>
        {
            var single = GradientFlow<Numerics.F64>.Create(req.Architecture, req.Z);
            var integrator = new BatchIntegrator(new BatchGradientFlow(req.Architecture, req.Z), single, options);
            var running = new Dictionary<int, (SimulationContext Ctx, Initialisation Start)>();
            integrator.Run(() =>
            {
                int i = Interlocked.Increment(ref next);
                if (i >= req.Count || cancel.IsCancellationRequested) return null;
                var start = Sample(req.Sampler, layout, StartSeed(req, i));
                var ctx = Simulator.Prepare(StartRequest(req, start), shared);
                running[i] = (ctx, start);
                return new BatchJob(i, start.Exact is { } exact ? exact.Select(r => r.ToDouble()).ToArray() : start.Weights, 0, req.TMax);
            }, (job, stats, final) =>
            {
                var (ctx, start) = running[job.Id];
                running.Remove(job.Id);
                var traj = FullWeightsSource.FromFinalState(ctx, single, stats, final, 0, options);
                record(job.Id, start, Simulator.Complete(ctx, traj, cancel));
            }, cancel);
        });
        cancel.ThrowIfCancellationRequested();
    }

    /// <summary>Checks every field before the first start runs, so bad input is one message, not one per worker.</summary>
    public static void Validate(SweepRequest req)
    {
        if (req.Count < 1 || req.Count > 10_000_000) throw new RequestFieldException(RequestField.Count, $"must be between 1 and 10000000, got {req.Count}");
        var arch = req.Architecture;
        switch (req.Reduction)
        {
            case Reduction.Auto:
                throw new RequestFieldException(RequestField.Reduction, "auto is not a sweep reduction (it would choose per start): use full, balanced or two-layer");
            case Reduction.Balanced when arch.OneNeuronLayer is null:
                throw new RequestFieldException(RequestField.Reduction, $"balanced needs a one-neuron layer, and widths {arch} have none; use full");
            case Reduction.Balanced when !req.Sampler.Trim().StartsWith("balanced-random", StringComparison.Ordinal):
                throw new RequestFieldException(RequestField.Reduction, $"balanced needs every start balanced, but '{req.Sampler}' draws general weights; use --init balanced-random:sigma=1/2 or --reduction full");
            case Reduction.TwoLayer when !(arch.Depth == 2 && arch.Width(1) == 1):
                throw new RequestFieldException(RequestField.Reduction, $"two-layer needs widths d_0,1,d_2 (two layers with a hidden neuron); got {arch}; use full");
        }
        var first = StartRequest(req, Sample(req.Sampler, new WeightLayout(arch), req.Seed));
        first.Validate();
        if (req.Reduction == Reduction.Balanced && LimitPrediction.For(req.Z, new WeightLayout(arch), first.Start) is not BalancedPrediction)
            throw new RequestFieldException(RequestField.Reduction, $"balanced needs balanced starts with sigma > 0, and '{req.Sampler}' does not give them; use --reduction full");
    }

    private static SimulationRequest StartRequest(SweepRequest req, Initialisation start) => new(req.Architecture, req.Target, req.Z, start)
    {
        TMax = req.TMax, RelTol = req.RelTol, AbsTol = req.AbsTol, Record = false, Reduction = req.Reduction, Integrator = req.Integrator,
    };

    /// <summary>"random:scale=0.3" (i.i.d. Gaussian entries) or "balanced-random:sigma=0.5" (random unit x, y, hidden vectors).</summary>
    public static Initialisation Sample(string sampler, WeightLayout layout, int seed)
    {
        var t = sampler.Trim();
        if (t.StartsWith("random", StringComparison.Ordinal))
            return Initialisation.Parse($"random:seed={seed}{Params(t, "scale")}", layout);
        if (t.StartsWith("balanced-random", StringComparison.Ordinal))
        {
            var arch = layout.Architecture;
            var sigma = Params(t, "sigma") is { Length: > 0 } s ? s[",sigma=".Length..] : "1/2";
            var rng = new MathNet.Numerics.Random.MersenneTwister(seed);
            string Vec(int d) => string.Join(";", Enumerable.Range(0, d).Select(_ => Algebra.Rational.FromDouble(Math.Round(MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1), 6)).ToString()));
            var hidden = string.Concat(Enumerable.Range(1, arch.Depth - 1).Select(j => $",w{j}={Vec(arch.Width(j))}"));
            return Initialisation.Parse($"balanced:sigma={sigma},x={Vec(arch.Width(arch.Depth))},y={Vec(arch.Width(0))}{hidden}", layout);
        }
        throw new RequestFieldException(RequestField.Sampler, $"'{sampler}' is not a sampler: use random:scale=0.3 or balanced-random:sigma=1/2");
    }

    private static string Params(string sampler, string key)
    {
        int colon = sampler.IndexOf(':');
        if (colon < 0) return "";
        foreach (var part in sampler[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith(key + "=", StringComparison.Ordinal)) return "," + part;
            if (!part.StartsWith("scale=", StringComparison.Ordinal) && !part.StartsWith("sigma=", StringComparison.Ordinal))
                throw new RequestFieldException(RequestField.Sampler, $"has an unknown field '{part}' in '{sampler}' (seeds come from the sweep's seed)");
        }
        return "";
    }

    /// <summary>95% Wilson score interval for k successes out of n.</summary>
    public static (double Low, double High) Wilson(int k, int n)
    {
        const double z = 1.959963984540054;
        double p = (double)k / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
