using System.Runtime.Intrinsics;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

/// <summary>
/// The SIMD/FMA right-hand side and the batched sweep: the kernels agree with the reference evaluation (the dense
/// prefix/suffix flow in double-double, which runs none of the double kernels) to ~1e-13 relative, on widths that are
/// and are not multiples of the vector width; the batched integrator follows each start as AdaptiveIntegrator does;
/// a batched sweep finds the same limit for every start and the same first break as the sweep run one start at a time.
/// </summary>
public class BatchedFlowTests
{
    private static NumericTarget RandomTarget(Architecture arch, int seed, bool diagonal)
    {
        int rows = arch.Width(arch.Depth), cols = arch.Width(0);
        if (diagonal) return NumericTarget.Of(arch, Target.Parse($"diag({string.Join(",", Enumerable.Range(0, Math.Min(rows, cols)).Select(i => 3 - 0.5 * (i % 5)))})"));
        var rng = new Random(seed);
        var text = "[" + string.Join(",", Enumerable.Range(0, rows).Select(_ => "[" + string.Join(",", Enumerable.Range(0, cols).Select(_ => rng.Next(-9, 10) / 4.0)) + "]")) + "]";
        return NumericTarget.Of(arch, Target.Parse(text));
    }

    private static double[] RandomWeights(int n, int seed, double scale = 0.4)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();
    }

    private static double RelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> reference)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++) { diff = Math.Max(diff, Math.Abs(a[i] - reference[i])); norm = Math.Max(norm, Math.Abs(reference[i])); }
        return diff / norm;
    }

    private static double[] Reference(Architecture arch, NumericTarget z, double[] w)
    {
        var dense = GradientFlow<DoubleDouble>.Create(arch, z, FlowStructure.Dense);
        var dy = new DoubleDouble[w.Length];
        dense.Evaluate(w.Select(DoubleDouble.FromDouble).ToArray(), dy);
        return dy.Select(v => v.ToDouble()).ToArray();
    }

    [Theory]
    [InlineData("3,2,1,2,3", false)]
    [InlineData("5,1,3", true)]
    [InlineData("13,7,1,9,5", false)]          // odd widths: SIMD bodies with scalar tails
    [InlineData("37,19,1,11,29", false)]
    [InlineData("1,6,3,9", false)]             // k = 0
    [InlineData("9,3,5,1", false)]             // k = N
    [InlineData("64,32,1,32,64", true)]
    [InlineData("67,33,1,30,61", false)]       // large, odd, low-rank Z through its SVD factors
    public void The_simd_rank_one_flow_and_the_batched_flow_agree_with_the_reference_evaluation(string widths, bool diagonal)
    {
        var arch = Architecture.Parse(widths);
        var z = RandomTarget(arch, 5, diagonal);
        var layout = new WeightLayout(arch);
        var flow = GradientFlow<F64>.Create(arch, z, FlowStructure.RankOne);
        var batch = new BatchGradientFlow(arch, z);
        var lanes = new Vector256<double>[layout.Dimension];
        var starts = new double[BatchIntegrator.Lanes][];
        for (int l = 0; l < BatchIntegrator.Lanes; l++)
        {
            starts[l] = RandomWeights(layout.Dimension, 100 + l);
            for (int i = 0; i < layout.Dimension; i++) lanes[i] = lanes[i].WithElement(l, starts[l][i]);
        }
        var dLanes = new Vector256<double>[layout.Dimension];
        batch.Evaluate(lanes, dLanes);
        for (int l = 0; l < BatchIntegrator.Lanes; l++)
        {
            var reference = Reference(arch, z, starts[l]);
            var dy = new F64[layout.Dimension];
            flow.Evaluate(starts[l].Select(v => new F64(v)).ToArray(), dy);
            Assert.True(RelativeError(dy.Select(v => v.Value).ToArray(), reference) < 1e-13, $"rank-one lane {l}: {RelativeError(dy.Select(v => v.Value).ToArray(), reference):g3}");
            var lane = dLanes.Select(v => v[l]).ToArray();
            Assert.True(RelativeError(lane, reference) < 1e-13, $"batched lane {l}: {RelativeError(lane, reference):g3}");
        }
    }

    [Theory]
    [InlineData(Method.Dop853)]
    [InlineData(Method.DormandPrince54)]
    public void The_batch_integrator_follows_every_start_like_the_single_integrator_with_lanes_refilled(Method method)
    {
        var arch = Architecture.Parse("5,3,1,2,4");
        var z = RandomTarget(arch, 3, false);
        var layout = new WeightLayout(arch);
        var options = new IntegratorOptions(1e-9, 1e-11, method);
        var single = GradientFlow<F64>.Create(arch, z);
        var batch = new BatchIntegrator(new BatchGradientFlow(arch, z), single, options);
        // Nine jobs on four lanes, different final times: lanes finish at different steps and take the next job.
        var jobs = Enumerable.Range(0, 9).Select(i => new BatchJob(i, RandomWeights(layout.Dimension, 7 + i), 0, 3 + i)).ToList();
        var results = new Dictionary<int, (IntegrationStats Stats, double[] Final)>();
        int taken = 0;
        batch.Run(() => taken < jobs.Count ? jobs[taken++] : null, (job, stats, final) => results.Add(job.Id, (stats, final)));
        Assert.Equal(jobs.Count, results.Count);
        foreach (var job in jobs)
        {
            var y = job.Start.Select(v => new F64(v)).ToArray();
            var stats = new AdaptiveIntegrator<F64>(single, options).Integrate(0, y, job.TEnd);
            var (bs, final) = results[job.Id];
            Assert.Equal(IntegrationExit.ReachedEnd, bs.Exit);
            Assert.Equal(job.TEnd, bs.FinalTime);
            // The same algorithm per lane; only the last bits of the arithmetic differ, so the step counts agree closely.
            Assert.InRange(bs.Steps, stats.Steps - 2, stats.Steps + 2);
            Assert.True(RelativeError(final, y.Select(v => v.Value).ToArray()) < 1e-7, $"job {job.Id}");
        }
    }

    [Fact]
    public void Batch_lanes_run_the_stiffness_test_and_rkc_continues_each_stiff_start_as_the_single_stiff_switch_does()
    {
        // 3,2,1,2,3 under diag(3,2,1) to t = 50: the starts converge by t ~ 10, after which DOP853's steps are stability-bound.
        var arch = Architecture.Parse("3,2,1,2,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var layout = new WeightLayout(arch);
        var options = new IntegratorOptions(1e-8, 1e-10) { Stiffness = Stiffness.Switch };
        var single = GradientFlow<F64>.Create(arch, z);
        var batch = new BatchIntegrator(new BatchGradientFlow(arch, z), single, StiffIntegrator<F64>.ExplicitPhase(options));
        var jobs = Enumerable.Range(0, 7).Select(i => new BatchJob(i, RandomWeights(layout.Dimension, 40 + i, 0.3), 0, i == 6 ? 1.0 : 50)).ToList();
        var results = new Dictionary<int, (IntegrationStats Stats, double[] Final)>();
        int taken = 0;
        batch.Run(() => taken < jobs.Count ? jobs[taken++] : null, (job, stats, final) => results.Add(job.Id, (stats, final)));
        foreach (var job in jobs)
        {
            var (bs, final) = results[job.Id];
            // The explicit phase alone, one state at a time: the same exit at about the same time.
            var y = job.Start.Select(v => new F64(v)).ToArray();
            var alone = new AdaptiveIntegrator<F64>(single, StiffIntegrator<F64>.ExplicitPhase(options)).Integrate(0, y, job.TEnd);
            Assert.Equal(alone.Exit, bs.Exit);
            if (job.TEnd == 1.0) Assert.Equal(IntegrationExit.ReachedEnd, bs.Exit);   // not stiff on [0, 1]: the test must not fire
            else
            {
                // The indicator sits near the bound once stability-bound, so rounding can move the switch by some steps:
                // the switch time is compared loosely, the step (then about 6.1 / lambda_max in both runs) closely.
                Assert.Equal(IntegrationExit.Stiff, bs.Exit);
                Assert.InRange(bs.FinalTime, 0.5 * alone.FinalTime, Math.Min(2 * alone.FinalTime, job.TEnd));
                Assert.InRange(bs.LastStep, alone.LastStep * 0.75, alone.LastStep * 1.25);   // the last accepted step, where RKC starts
            }
            // The rest of the switch from the lane's state, against the whole switch run alone.
            var rest = final.Select(v => new F64(v)).ToArray();
            var stats = new StiffIntegrator<F64>(single, options).Continue(bs, rest, job.TEnd);
            var whole = job.Start.Select(v => new F64(v)).ToArray();
            new StiffIntegrator<F64>(single, options).Integrate(0, whole, job.TEnd);
            Assert.Equal(IntegrationExit.ReachedEnd, stats.Exit);
            Assert.Equal(job.TEnd, stats.FinalTime);
            Assert.Equal(bs.LastStep, stats.LastStep);
            Assert.True(RelativeError(rest.Select(v => v.Value).ToArray(), whole.Select(v => v.Value).ToArray()) < 1e-6, $"job {job.Id}");
            if (bs.Exit != IntegrationExit.Stiff) Assert.Same(bs, stats);   // nothing to continue
        }
    }

    private static SweepRequest Request(string widths, string target, int count, double tMax, IntegratorChoice method = IntegratorChoice.Auto, string sampler = "random:scale=0.3")
    {
        var arch = Architecture.Parse(widths);
        var t = Target.Parse(target);
        return new SweepRequest(arch, t, NumericTarget.Of(arch, t), sampler, count, 4)
        {
            TMax = tMax, Integrator = method,
            // An arbitrary candidate that breaks often, so that the first break is a real comparison.
            Candidate = w => w[0] + w[^1] > 0, CandidateText = "w[0] + w[last] > 0",
        };
    }

    [Theory]
    [InlineData("3,2,1,2,3", "diag(3,2,1)", 48, 50.0, IntegratorChoice.Auto)]
    [InlineData("3,2,1,2,3", "diag(3,2,1)", 48, 1.5, IntegratorChoice.Dp54)]    // short: starts still in transit, mixed limits
    [InlineData("3,1,3", "diag(2,2,1)", 30, 20.0, IntegratorChoice.Dop853)]     // no gap: the E5 case
    [InlineData("8,4,1,4,8", "diag(3,2,1)", 10, 30.0, IntegratorChoice.Auto)]
    [InlineData("8,4,1,4,8", "diag(3,2,1)", 10, 30.0, IntegratorChoice.Dop853)]
    [InlineData("3,2,1,2,3", "diag(3,2,1)", 48, 50.0, IntegratorChoice.Stiff, "random:scale=0.05")]   // saddles and the origin, then RKC
    [InlineData("4,1,3", "diag(3,2,1)", 24, 8.0, IntegratorChoice.Auto)]         // T14's prediction per start (two layers)
    [InlineData("3,2,1,2,3", "diag(3,2,1)", 24, 6.0, IntegratorChoice.Auto, "balanced-random:sigma=1/2")]  // T11's prediction per start
    [InlineData("3,2,1,2,3", "diag(3,2,1)", 24, 0.3, IntegratorChoice.Auto, "random:scale=0.05")]          // near the origin: undetermined
    public void A_batched_sweep_has_the_same_limit_per_start_and_the_same_first_break_as_one_at_a_time(string widths, string target, int count, double tMax, IntegratorChoice method,
        string sampler = "random:scale=0.3")
    {
        var req = Request(widths, target, count, tMax, method, sampler);
        Assert.StartsWith("batched", Sweep.Plan(req).Description);
        var batched = Sweep.Run(req);
        var single = Sweep.Run(req with { Batched = false });
        Assert.StartsWith("one start at a time", single.Integration);
        Assert.Equal(single.StartLimits, batched.StartLimits);
        Assert.Equal(single.Breaks, batched.Breaks);
        Assert.True(batched.Breaks > 0);
        Assert.Equal(single.FirstBreak!.Index, batched.FirstBreak!.Index);
        Assert.Equal(single.FirstBreak.Found, batched.FirstBreak.Found);
        Assert.Equal(single.FirstBreak.Weights, batched.FirstBreak.Weights);   // the compiled sampler drew the same start
        Assert.Equal(single.Limits.Select(l => (l.Limit, l.Count)), batched.Limits.Select(l => (l.Limit, l.Count)));
    }

    [Theory]
    [InlineData(IntegratorChoice.Stiff)]
    [InlineData(IntegratorChoice.Auto)]   // on the full weights a sweep's auto is the switch
    public void Sweeps_under_the_stiff_switch_are_batched_and_record_the_switch_as_their_method(IntegratorChoice method)
    {
        var req = Request("3,2,1,2,3", "diag(3,2,1)", 4, 10, method);
        Assert.Contains("continues alone with RKC", Sweep.Plan(req).Description);
        Assert.Equal("stiff", Sweep.StartSettings(req).Method);
        Assert.Equal("dop853", Sweep.StartSettings(req with { Integrator = IntegratorChoice.Dop853 }).Method);
        Assert.DoesNotContain("RKC", Sweep.Plan(req with { Integrator = IntegratorChoice.Dop853 }).Description);
    }

    [Fact]
    public void Sweeps_that_need_a_reduction_or_the_dense_flow_run_one_start_at_a_time()
    {
        Assert.StartsWith("one start at a time (no one-neuron layer", Sweep.Plan(Request("3,2,3", "diag(3,2,1)", 4, 10)).Description);
        var arch = Architecture.Parse("3,1,3");
        var t = Target.Parse("diag(3,2,1)");
        var balanced = new SweepRequest(arch, t, NumericTarget.Of(arch, t), "balanced-random:sigma=1/2", 12, 2) { TMax = 30, Reduction = Reduction.Balanced };
        var report = Sweep.Run(balanced);
        Assert.StartsWith("one start at a time (balanced", report.Integration);
        Assert.Equal(12, report.Limits.Sum(l => l.Count));
        var twoLayer = Sweep.Run(new SweepRequest(arch, t, NumericTarget.Of(arch, t), "random:scale=0.3", 12, 2) { TMax = 30, Reduction = Reduction.TwoLayer });
        var full = Sweep.Run(new SweepRequest(arch, t, NumericTarget.Of(arch, t), "random:scale=0.3", 12, 2) { TMax = 30 });
        Assert.Equal(full.StartLimits, twoLayer.StartLimits);   // the exact modes reach the limits the full weights reach
    }

    [Theory]
    [InlineData("3,2,1,2,3", "random:scale=0.3", Reduction.Balanced, "balanced needs every start balanced")]
    [InlineData("3,2,3", "balanced-random:sigma=1/2", Reduction.Balanced, "balanced needs a one-neuron layer")]
    [InlineData("3,2,1,2,3", "random:scale=0.3", Reduction.TwoLayer, "two-layer needs widths d_0,1,d_2")]
    [InlineData("3,1,3", "random:scale=0.3", Reduction.Auto, "auto is not a sweep reduction")]
    public void A_reduction_the_starts_do_not_qualify_for_is_refused_before_any_start_runs(string widths, string sampler, Reduction reduction, string expected)
    {
        var arch = Architecture.Parse(widths);
        var t = Target.Parse("diag(3,2,1)");
        var e = Assert.Throws<RequestFieldException>(() => Sweep.Validate(new SweepRequest(arch, t, NumericTarget.Of(arch, t), sampler, 4, 1) { Reduction = reduction }));
        Assert.Equal(RequestField.Reduction, e.Field);
        Assert.Contains(expected, e.Problem);
    }
}
