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

    /// <summary>How many shard runs the report was merged from (1 for a run on one machine); <see cref="WallSeconds"/> is then their sum.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>How the starts were integrated: batched four at a time, or one at a time and why.</summary>
    public string Integration { get; init; } = "";

    /// <summary>The limit of every start, by index, for a run on one machine (empty for merged shards, which keep tallies only).</summary>
    public IReadOnlyList<string> StartLimits { get; init; } = [];
}

/// <summary>How a sweep integrates its starts: the options of the batched path, or null with the reason it does not apply.</summary>
public sealed record SweepPlan(Integration.IntegratorOptions? Batched, string Description);

/// <summary>Which starts one shard runs: shard i of n takes the start ids [floor(i count / n), floor((i+1) count / n)).</summary>
public readonly record struct SweepShard(int Index, int Of)
{
    public static readonly SweepShard Whole = new(0, 1);

    public (int First, int End) Starts(int count) => ((int)((long)Index * count / Of), (int)((long)(Index + 1) * count / Of));

    public override string ToString() => $"{Index}/{Of}";
}

/// <summary>How many starts of a range reached one limit, and the first of them (ties in the report are ordered by it).</summary>
public sealed record LimitTally(string Limit, int Count, int FirstStart);

/// <summary>
/// The outcome of the starts [First, End) of a sweep: everything the report needs, and nothing that depends on how the
/// starts were split, so tallies of disjoint ranges combine into the tally of their union.
/// </summary>
public sealed record SweepTally(int First, int End, IReadOnlyList<LimitTally> Limits, int[,]? Confusion, int Breaks, CandidateBreak? FirstBreak, double WallSeconds)
{
    /// <summary>The limit of each start of the range (kept for a run on one machine; shard files and combined tallies leave it empty).</summary>
    public IReadOnlyList<string> StartLimits { get; init; } = [];

    /// <summary>The tally of the union of adjacent ranges; null when they do not tile one range (a gap or an overlap).</summary>
    public static SweepTally? Combine(IReadOnlyList<SweepTally> parts)
    {
        var ordered = parts.OrderBy(p => p.First).ToList();
        if (ordered.Count == 0) return null;
        for (int k = 1; k < ordered.Count; k++)
            if (ordered[k].First != ordered[k - 1].End) return null;
        if (ordered.Any(p => (p.Confusion is null) != (ordered[0].Confusion is null))) return null;
        var limits = ordered.SelectMany(p => p.Limits).GroupBy(l => l.Limit, StringComparer.Ordinal)
            .Select(g => new LimitTally(g.Key, g.Sum(l => l.Count), g.Min(l => l.FirstStart))).OrderBy(l => l.FirstStart).ToList();
        int[,]? confusion = null;
        if (ordered[0].Confusion is not null)
        {
            confusion = new int[2, 2];
            foreach (var p in ordered)
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++) confusion[a, b] += p.Confusion![a, b];
        }
        return new SweepTally(ordered[0].First, ordered[^1].End, limits, confusion, ordered.Sum(p => p.Breaks),
            ordered.Select(p => p.FirstBreak).FirstOrDefault(b => b is not null), ordered.Sum(p => p.WallSeconds));
    }
}

/// <summary>Runs a sweep on all cores; every start is seeded by its index, so results do not depend on scheduling or sharding.</summary>
public static class Sweep
{
    public static SweepReport Run(SweepRequest req, Action<int>? progress = null, CancellationToken cancel = default) =>
        Report(req, RunShard(req, SweepShard.Whole, progress, cancel));

    /// <summary>The seed of start <paramref name="index"/>: a function of the sweep's seed and the start id alone.</summary>
    public static int StartSeed(int sweepSeed, int index) => unchecked(sweepSeed * 1_000_003 + index);

    /// <summary>Runs the starts of one shard; <paramref name="progress"/> counts the shard's finished starts.</summary>
    public static SweepTally RunShard(SweepRequest req, SweepShard shard, Action<int>? progress = null, CancellationToken cancel = default)
    {
        Validate(req);
        var (first, end) = shard.Starts(req.Count);
        int n = end - first;
        var layout = new WeightLayout(req.Architecture);
        var found = new string[n];
        var reachedGlobal = new bool[n];
        var predicted = new bool[n];
        var starts = new double[n][];
        int done = 0;
        void Record(int i, Initialisation start, Classification classification)
        {
            found[i - first] = classification.Describe();
            reachedGlobal[i - first] = classification.Class == LimitClass.GlobalMinimiser;
            if (req.Candidate is not null)
            {
                predicted[i - first] = req.Candidate(start.Weights);
                starts[i - first] = start.Weights;
            }
            int d = Interlocked.Increment(ref done);
            if (progress is not null && (d % 64 == 0 || d == n)) progress(d);
        }
        var plan = Plan(req);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (plan.Batched is { } options) RunBatched(req, layout, options, first, end, Record, cancel);
        else
            Parallel.For(first, end, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, i =>
            {
                var start = Sample(req.Sampler, layout, StartSeed(req.Seed, i));
                Record(i, start, Simulator.Run(StartRequest(req, start), cancel).Classification);
            });
        clock.Stop();
        var limits = found.Select((f, k) => (f, k)).GroupBy(x => x.f, StringComparer.Ordinal)
            .Select(g => new LimitTally(g.Key, g.Count(), first + g.First().k)).ToList();
        int[,]? confusion = null;
        CandidateBreak? firstBreak = null;
        int breaks = 0;
        if (req.Candidate is not null)
        {
            confusion = new int[2, 2];
            for (int k = 0; k < n; k++)
            {
                bool reached = reachedGlobal[k];
                confusion[predicted[k] ? 1 : 0, reached ? 1 : 0]++;
                if (predicted[k] != reached)
                {
                    breaks++;
                    firstBreak ??= new CandidateBreak(first + k, StartSeed(req.Seed, first + k), predicted[k], found[k], starts[k]);
                }
            }
        }
        return new SweepTally(first, end, limits, confusion, breaks, firstBreak, clock.Elapsed.TotalSeconds) { StartLimits = found };
    }

    /// <summary>The report of a sweep from the tally of all its starts (one run, or shards combined by <see cref="SweepTally.Combine"/>).</summary>
    public static SweepReport Report(SweepRequest req, SweepTally all, int shards = 1)
    {
        if (all.First != 0 || all.End != req.Count) throw new ArgumentException($"the tally covers starts [{all.First}, {all.End}), not the sweep's [0, {req.Count})");
        var limits = all.Limits.OrderByDescending(l => l.Count).ThenBy(l => l.FirstStart)
            .Select(l => { var (lo, hi) = Wilson(l.Count, req.Count); return new LimitCount(l.Limit, l.Count, (double)l.Count / req.Count, lo, hi); }).ToList();
        return new SweepReport(req, limits, all.WallSeconds, all.Confusion, all.FirstBreak, all.Breaks)
            { Shards = shards, Integration = Plan(req).Description, StartLimits = all.StartLimits };
    }

    /// <summary>What a start's simulation is run with beyond the sweep's own fields (recorded in shard files so that merges can compare them).</summary>
    public static (string Method, string Reduction) StartSettings(SweepRequest req)
    {
        var r = StartRequest(req, Initialisation.Parse("zero", new WeightLayout(req.Architecture)));
        return (Vocabularies.Integrator.Name(r.Integrator), Vocabularies.Reduction.Name(r.Reduction));
    }

    /// <summary>
    /// Whether the starts can be integrated four at a time (<see cref="BatchIntegrator"/>): full weights in double and
    /// a one-neuron layer (the rank-one right-hand side), with any method. Under the stiff switch the batch runs the
    /// explicit phase (each lane with Hairer's test) and a start whose steps become stability-bound continues alone
    /// with RKC (<see cref="StiffIntegrator{T}.Continue"/>). Otherwise every start runs alone, as in <see cref="Simulator.Run"/>.
    /// </summary>
    public static SweepPlan Plan(SweepRequest req)
    {
        if (req.Reduction != Reduction.Full) return new(null, $"one start at a time ({Vocabularies.Reduction.Name(req.Reduction)} reduction)");
        if (req.Architecture.OneNeuronLayer is null) return new(null, "one start at a time (no one-neuron layer: dense right-hand side)");
        var layout = new WeightLayout(req.Architecture);
        var ctx = Simulator.Prepare(StartRequest(req, Sample(req.Sampler, layout, StartSeed(req.Seed, 0))));
        var options = FullWeightsSource.Options(ctx);
        bool stiff = options.Stiffness == Integration.Stiffness.Switch;
        string pair = options.Method == Integration.Method.DormandPrince54 ? "dp54" : "dop853";
        if (!req.Batched) return new(null, $"one start at a time ({pair}{(stiff ? ", then RKC when stiff" : "")}, batching off)");
        return new(options, $"batched: {BatchIntegrator.Lanes} starts per SIMD pass ({pair}, each start with its own step size" +
            (stiff ? "; a start whose steps become stability-bound continues alone with RKC)" : ")"));
    }

    /// <summary>
    /// The batched path: what depends on the network and target only (the validated request, critical points and their
    /// points s_i u_i v_i^T, the layout, the flows) is built once; per start only its weights are drawn (no text), its
    /// context redone for what depends on the start (<see cref="Simulator.PrepareStart"/>), and its final state classified
    /// by <see cref="LimitClassifier.ClassifyFinal"/>: the class <see cref="Simulator.Run"/> reports, without the
    /// report's evidence (Hessian spectrum, monitors, escape), which a sweep does not keep.
    /// </summary>
    private static void RunBatched(SweepRequest req, WeightLayout layout, Integration.IntegratorOptions options, int first, int end,
        Action<int, Initialisation, Classification> record, CancellationToken cancel)
    {
        var sampler = new SweepSampler(req.Sampler, layout);
        var template = Simulator.Prepare(StartRequest(req, sampler.Draw(StartSeed(req.Seed, first))));
        var contexts = new SimulationContext?[end - first];
        int next = first - 1;
        bool stiff = options.Stiffness == Integration.Stiffness.Switch;
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, _ =>
        {
            var single = GradientFlow<Numerics.F64>.Create(req.Architecture, req.Z);
            var integrator = new BatchIntegrator(new BatchGradientFlow(req.Architecture, req.Z), single, stiff ? StiffIntegrator<Numerics.F64>.ExplicitPhase(options) : options);
            integrator.Run(() =>
            {
                int i = Interlocked.Increment(ref next);
                if (i >= end || cancel.IsCancellationRequested) return null;
                var start = sampler.Draw(StartSeed(req.Seed, i));
                contexts[i - first] = Simulator.PrepareStart(template, start);
                return new BatchJob(i, start.Exact is { } exact ? exact.Select(r => r.ToDouble()).ToArray() : start.Weights, 0, req.TMax);
            }, (job, stats, final) =>
            {
                // The switch's second phase for this start alone, on this thread, while the other lanes wait.
                if (stiff) new StiffIntegrator<Numerics.F64>(single, options).Continue(stats, System.Runtime.InteropServices.MemoryMarshal.Cast<double, Numerics.F64>(final.AsSpan()), req.TMax, cancel: cancel);
                var ctx = contexts[job.Id - first]!;
                contexts[job.Id - first] = null;
                record(job.Id, ctx.Request.Start, LimitClassifier.ClassifyFinal(ctx, final));
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
        TMax = req.TMax, RelTol = req.RelTol, AbsTol = req.AbsTol, Record = false, Reduction = req.Reduction, Integrator = StartIntegrator(req),
    };

    /// <summary>
    /// The integrator of every start. On the full weights, auto is the stiff switch: a sweep keeps only each start's
    /// final state, and late in a run from a random start the steps of an explicit pair are bounded by the start's
    /// conserved imbalance, which the spectrum of Z (the rule of auto in simulate) does not see; the switch stays with
    /// DOP853 until Hairer's test fires, so a start that never becomes stability-bound runs DOP853 throughout.
    /// </summary>
    public static IntegratorChoice StartIntegrator(SweepRequest req) =>
        req.Integrator == IntegratorChoice.Auto && req.Reduction == Reduction.Full ? IntegratorChoice.Stiff : req.Integrator;

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

    internal static string Params(string sampler, string key)
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

/// <summary>
/// The sampler text read once: each start is then drawn straight into its weights, with the values, seeds and checks
/// of <see cref="Sweep.Sample"/> (which parses the text per start and stays the reference of the one-at-a-time path).
/// </summary>
public sealed class SweepSampler
{
    private readonly WeightLayout _layout;
    private readonly double _scale;
    private readonly Algebra.Rational? _sigma;

    public SweepSampler(string sampler, WeightLayout layout)
    {
        _layout = layout;
        var t = sampler.Trim();
        if (t.StartsWith("random", StringComparison.Ordinal))
        {
            var scale = Sweep.Params(t, "scale");
            _scale = Initialisation.RandomScale(scale.Length > 0 ? scale[",scale=".Length..] : null);
        }
        else if (t.StartsWith("balanced-random", StringComparison.Ordinal))
            _sigma = Initialisation.Sigma(Sweep.Params(t, "sigma") is { Length: > 0 } s ? s[",sigma=".Length..] : "1/2");
        else throw new RequestFieldException(RequestField.Sampler, $"'{sampler}' is not a sampler: use random:scale=0.3 or balanced-random:sigma=1/2");
    }

    public Initialisation Draw(int seed)
    {
        Initialisation start;
        if (_sigma is not { } sigma) start = Initialisation.RandomStart(_layout, seed, _scale);
        else
        {
            var arch = _layout.Architecture;
            var rng = new MathNet.Numerics.Random.MersenneTwister(seed, threadSafe: false);
            Algebra.Rational[] Vec(int d)
            {
                var v = new Algebra.Rational[d];
                for (int i = 0; i < d; i++) v[i] = Algebra.Rational.FromDouble(Math.Round(MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1), 6));
                return v;
            }
            // The order Sample draws them in: w_1..w_{N-1}, then x, then y.
            var hidden = new List<Algebra.Rational[]>();
            for (int j = 1; j < arch.Depth; j++) hidden.Add(Vec(arch.Width(j)));
            var x = Vec(arch.Width(arch.Depth));
            var y = Vec(arch.Width(0));
            start = Initialisation.BalancedStartOf(sigma, x, y, hidden, _layout);
        }
        Initialisation.Validate(start.Weights, _layout);
        return start;
    }
}
