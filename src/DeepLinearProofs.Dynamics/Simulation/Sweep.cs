using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>A sweep: many seeded starts of one network, simulated in parallel and classified.</summary>
public sealed record SweepRequest(Architecture Architecture, Target Target, NumericTarget Z, string Sampler, int Count, int Seed)
{
    public double TMax { get; init; } = 50;
    public double RelTol { get; init; } = 1e-8;
    public double AbsTol { get; init; } = 1e-10;

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
}

/// <summary>Runs a sweep on all cores; every start is seeded by its index, so results do not depend on scheduling.</summary>
public static class Sweep
{
    public static SweepReport Run(SweepRequest req, Action<int>? progress = null, CancellationToken cancel = default)
    {
        Validate(req);
        var layout = new WeightLayout(req.Architecture);
        SimulationRequest Request(Initialisation start) => StartRequest(req, start);
        var found = new string[req.Count];
        var reachedGlobal = new bool[req.Count];
        var predicted = new bool[req.Count];
        var starts = new double[req.Count][];
        int done = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, req.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, i =>
        {
            int seed = unchecked(req.Seed * 1_000_003 + i);
            var start = Sample(req.Sampler, layout, seed);
            var report = Simulator.Run(Request(start), cancel);
            found[i] = report.Classification.Describe();
            reachedGlobal[i] = report.Classification.Class == LimitClass.GlobalMinimiser;
            if (req.Candidate is not null)
            {
                predicted[i] = req.Candidate(start.Weights);
                starts[i] = start.Weights;
            }
            int d = Interlocked.Increment(ref done);
            if (progress is not null && (d % 64 == 0 || d == req.Count)) progress(d);
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
                    first ??= new CandidateBreak(i, unchecked(req.Seed * 1_000_003 + i), predicted[i], found[i], starts[i]);
                }
            }
        }
        return new SweepReport(req, limits, clock.Elapsed.TotalSeconds, confusion, first, breaks);
    }

    /// <summary>Checks every field before the first start runs, so bad input is one message, not one per worker.</summary>
    public static void Validate(SweepRequest req)
    {
        if (req.Count < 1 || req.Count > 10_000_000) throw new RequestFieldException(RequestField.Count, $"must be between 1 and 10000000, got {req.Count}");
        StartRequest(req, Sample(req.Sampler, new WeightLayout(req.Architecture), req.Seed)).Validate();
    }

    private static SimulationRequest StartRequest(SweepRequest req, Initialisation start) => new(req.Architecture, req.Target, req.Z, start)
    {
        TMax = req.TMax, RelTol = req.RelTol, AbsTol = req.AbsTol, Record = false, Reduction = Reduction.Full,
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
