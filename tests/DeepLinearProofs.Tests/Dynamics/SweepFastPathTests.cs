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
        var factored = new AdaptiveIntegrator<F64>(field, options);
        var dense = new AdaptiveIntegrator<F64>(new Opaque(field), options);
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
        var integrator = new AdaptiveIntegrator<F64>(field, new IntegratorOptions(1e-9, 1e-11, Method.Dop853));
        var y = Initialisation.Gaussian(new WeightLayout(arch).Dimension, 5, 0.3).Select(v => new F64(v)).ToArray();
        integrator.Integrate(0, y, 1, events: [new EventSpec<F64>("never", _ => 1, false)]);
        Assert.False(integrator.FactoredStages);
        integrator.Integrate(0, y, 1);
        Assert.True(integrator.FactoredStages);
    }
}
