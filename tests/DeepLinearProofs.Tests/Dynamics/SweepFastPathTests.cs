using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

/// <summary>
/// The per-start fast paths of a sweep and of the single integrator: the compiled sampler draws bit for bit the
/// starts the text sampler parses; DOP853 with factored rank-one stages follows the dense-stage integration (same
/// steps, states equal to rounding) and is used only where nothing needs the dense stages.
/// </summary>
public class SweepFastPathTests
{
    [Theory]
    [InlineData("3,2,1,2,3", "random:scale=0.3")]
    [InlineData("3,2,1,2,3", "random")]
    [InlineData("5,1,4", "random:scale=1/7")]
    [InlineData("3,2,1,2,3", "balanced-random:sigma=1/2")]
    [InlineData("4,3,1,2", "balanced-random")]
    [InlineData("4,1,3", "balanced-random:sigma=0.25")]
    public void The_compiled_sampler_draws_exactly_the_starts_the_text_sampler_parses(string widths, string text)
    {
        var layout = new WeightLayout(Architecture.Parse(widths));
        var sampler = new SweepSampler(text, layout);
        for (int i = 0; i < 40; i++)
        {
            int seed = Sweep.StartSeed(3, i);
            var fast = sampler.Draw(seed);
            var parsed = Sweep.Sample(text, layout, seed);
            Assert.Equal(parsed.Weights, fast.Weights);          // bitwise: Assert.Equal on double[] compares exactly
            Assert.Equal(parsed.Description, fast.Description);
            Assert.Equal(parsed.Exact is null, fast.Exact is null);
            Assert.Equal(parsed.Balanced is null, fast.Balanced is null);
            if (parsed.Balanced is { } pb)
            {
                var fb = fast.Balanced!;
                Assert.Equal(pb.Sigma, fb.Sigma);
                Assert.Equal(pb.X, fb.X);
                Assert.Equal(pb.Y, fb.Y);
                Assert.Equal(pb.Hidden.Count, fb.Hidden.Count);
                for (int j = 0; j < pb.Hidden.Count; j++) Assert.Equal(pb.Hidden[j], fb.Hidden[j]);
            }
        }
    }

    [Theory]
    [InlineData("random:scale=0", "scale must be positive")]
    [InlineData("balanced-random:sigma=-1", "sigma must be >= 0")]
    [InlineData("gaussian:scale=1", "is not a sampler")]
    public void The_compiled_sampler_refuses_what_the_text_sampler_refuses(string text, string expected)
    {
        var layout = new WeightLayout(Architecture.Parse("3,2,1,2,3"));
        var fromText = Assert.ThrowsAny<Exception>(() => Sweep.Sample(text, layout, 1));
        var compiled = Assert.ThrowsAny<Exception>(() => new SweepSampler(text, layout).Draw(1));
        Assert.Contains(expected, fromText.Message);
        Assert.Contains(expected, compiled.Message);
    }

    /// <summary>The rank-one flow seen only through the interface: the integrator cannot factor it and runs dense stages.</summary>
    private sealed class Opaque(IVectorField<F64> inner) : IVectorField<F64>
    {
        public int Dimension => inner.Dimension;
        public void Evaluate(ReadOnlySpan<F64> y, Span<F64> dy) => inner.Evaluate(y, dy);
    }

    [Theory]
    [InlineData("5,3,1,4,6", 20.0)]
    [InlineData("13,7,1,9,5", 20.0)]     // odd widths: SIMD rows with scalar tails
    [InlineData("1,6,3,9", 20.0)]        // k = 0
    [InlineData("9,3,5,1", 20.0)]        // k = N
    [InlineData("40,17,1,20,33", 1.0)]
    public void Dop853_with_factored_stages_follows_the_dense_stage_integration(string widths, double tEnd)
    {
        var arch = Architecture.Parse(widths);
        var z = NumericTarget.Of(arch, Target.Parse($"diag({string.Join(",", Enumerable.Range(0, Math.Min(arch.Width(0), arch.Width(arch.Depth))).Select(i => 3 - 0.4 * i))})"));
        var layout = new WeightLayout(arch);
        var options = new IntegratorOptions(1e-10, 1e-12, Method.Dop853);
        var field = GradientFlow<F64>.Create(arch, z);
        Assert.IsType<RankOneGradientFlow<F64>>(field);
        var start = Initialisation.Gaussian(layout.Dimension, 11, 0.3);
        var yf = start.Select(v => new F64(v)).ToArray();
        var yd = start.Select(v => new F64(v)).ToArray();
        var factored = new AdaptiveIntegrator<F64>(field, options with { Stages = StageStorage.Factors });
        var dense = new AdaptiveIntegrator<F64>(new Opaque(field), options);
        // Auto keeps these small widths dense (their stages fit in cache).
        var auto = new AdaptiveIntegrator<F64>(field, options);
        auto.Integrate(0, start.Select(v => new F64(v)).ToArray(), 0.01);
        Assert.False(auto.FactoredStages);
        var sf = factored.Integrate(0, yf, tEnd);
        var sd = dense.Integrate(0, yd, tEnd);
        Assert.True(factored.FactoredStages);
        Assert.False(dense.FactoredStages);
        Assert.Equal(IntegrationExit.ReachedEnd, sf.Exit);
        // Evaluations are counted alike: 11 per trial step, one more per accepted step, the same at the start.
        Assert.Equal(sd.Evaluations - 12 * sd.Steps - 11 * sd.Rejected, sf.Evaluations - 12 * sf.Steps - 11 * sf.Rejected);
        Assert.InRange(sf.Steps, sd.Steps - 1, sd.Steps + 1);
        double diff = 0, norm = 0;
        for (int i = 0; i < yf.Length; i++) { diff = Math.Max(diff, Math.Abs(yf[i].Value - yd[i].Value)); norm = Math.Max(norm, Math.Abs(yd[i].Value)); }
        Assert.True(diff <= 1e-9 * norm, $"factored and dense stages differ by {diff:g3} (max entry {norm:g3})");
        // The end of a run that did move: the check above is not comparing two copies of the start.
        Assert.True(Enumerable.Range(0, start.Length).Max(i => Math.Abs(yd[i].Value - start[i])) > 1e-2);
    }

    [Fact]
    public void Events_or_a_projection_keep_the_dense_stages()
    {
        var arch = Architecture.Parse("3,2,1,2,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var field = GradientFlow<F64>.Create(arch, z);
        var integrator = new AdaptiveIntegrator<F64>(field, new IntegratorOptions(1e-9, 1e-11, Method.Dop853) { Stages = StageStorage.Factors });
        var y = Initialisation.Gaussian(new WeightLayout(arch).Dimension, 5, 0.3).Select(v => new F64(v)).ToArray();
        integrator.Integrate(0, y, 1, events: [new EventSpec<F64>("never", _ => 1, false)]);
        Assert.False(integrator.FactoredStages);
        integrator.Integrate(0, y, 1);
        Assert.True(integrator.FactoredStages);
        var auto = new AdaptiveIntegrator<F64>(field, new IntegratorOptions(1e-9, 1e-11, Method.Dop853));
        auto.Integrate(0, y, 1);
        Assert.False(auto.FactoredStages);      // 16 weights: the dense stages fit in cache
    }

    [Fact]
    public void Auto_factors_the_stages_once_the_dense_stages_outgrow_the_cache()
    {
        Assert.False(FactorLayout.Pays(1056, 13, 8));        // 32,16,1,16,32 alone: 110 KB of stages
        Assert.False(FactorLayout.Pays(1056, 13, 32));       // ... four lanes: 440 KB
        Assert.True(FactorLayout.Pays(16512, 13, 8));        // 128,64,1,64,128 alone: 1.7 MB
        Assert.True(FactorLayout.Pays(4160, 13, 32));        // 64,32,1,32,64, four lanes: 1.7 MB
    }

    [Theory]
    [InlineData("5,3,1,2,4")]
    [InlineData("9,3,5,2,1,4")]    // the neuron at the last hidden layer, odd widths
    [InlineData("1,6,3,9")]        // k = 0
    public void The_batch_integrator_with_factored_lanes_follows_the_single_integrator(string widths)
    {
        var arch = Architecture.Parse(widths);
        var z = NumericTarget.Of(arch, Target.Parse(arch.Width(0) == 1 ? "diag(3)" : "diag(3,2,1)"));
        var layout = new WeightLayout(arch);
        var options = new IntegratorOptions(1e-9, 1e-11, Method.Dop853);
        var single = GradientFlow<F64>.Create(arch, z);
        var batch = new BatchIntegrator(new BatchGradientFlow(arch, z), single, options with { Stages = StageStorage.Factors });
        Assert.True(batch.FactoredStages);
        Assert.False(new BatchIntegrator(new BatchGradientFlow(arch, z), single, options).FactoredStages);
        var jobs = Enumerable.Range(0, 7).Select(i => new BatchJob(i, Initialisation.Gaussian(layout.Dimension, 20 + i, 0.3), 0, 2 + i)).ToList();
        var results = new Dictionary<int, (IntegrationStats Stats, double[] Final)>();
        int taken = 0;
        batch.Run(() => taken < jobs.Count ? jobs[taken++] : null, (job, stats, final) => results.Add(job.Id, (stats, final)));
        foreach (var job in jobs)
        {
            var y = job.Start.Select(v => new F64(v)).ToArray();
            var stats = new AdaptiveIntegrator<F64>(single, options with { Stages = StageStorage.Dense }).Integrate(0, y, job.TEnd);
            var (bs, final) = results[job.Id];
            Assert.Equal(IntegrationExit.ReachedEnd, bs.Exit);
            Assert.InRange(bs.Steps, stats.Steps - 2, stats.Steps + 2);
            double diff = 0, norm = 0;
            for (int i = 0; i < final.Length; i++) { diff = Math.Max(diff, Math.Abs(final[i] - y[i].Value)); norm = Math.Max(norm, Math.Abs(y[i].Value)); }
            Assert.True(diff <= 1e-7 * norm, $"job {job.Id}: {diff:g3}");
        }
    }
}
