using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Xunit;
using Xunit.Abstractions;

namespace DeepLinearProofs.Tests.RedTeam;

public class BatchStiffRedTeamTests(ITestOutputHelper output)
{
    private static double[] RandomWeights(int n, int seed, double scale = 0.4)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();
    }

    private static Dictionary<int, (IntegrationStats Stats, double[] Final)> RunBatch(Architecture arch, NumericTarget z, IntegratorOptions options, IReadOnlyList<BatchJob> jobs)
    {
        var single = GradientFlow<F64>.Create(arch, z);
        var batch = new BatchIntegrator(new BatchGradientFlow(arch, z), single, options);
        var results = new Dictionary<int, (IntegrationStats, double[])>();
        int taken = 0;
        batch.Run(() => taken < jobs.Count ? jobs[taken++] : null, (job, stats, final) => results.Add(job.Id, (stats, final)));
        return results;
    }

    /// <summary>LastStep is documented as the last accepted step; a run stopped by MaxSteps right after a rejected trial.</summary>
    [Fact]
    public void LastStep_after_rejected_trial_is_last_accepted_step()
    {
        var arch = Architecture.Parse("3,2,1,2,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var layout = new WeightLayout(arch);
        var single = GradientFlow<F64>.Create(arch, z);
        var start = RandomWeights(layout.Dimension, 5, 0.3);
        int found = 0;
        for (int maxSteps = 2; maxSteps < 60; maxSteps++)
        {
            // a large first step: rejected trials early on
            var options = StiffIntegrator<F64>.ExplicitPhase(new IntegratorOptions(1e-12, 1e-14) { MaxSteps = maxSteps, InitialStep = 2.0 });
            var y = start.Select(v => new F64(v)).ToArray();
            var alone = new AdaptiveIntegrator<F64>(single, options).Integrate(0, y, 50);
            var (bs, _) = RunBatch(arch, z, options, [new BatchJob(0, start, 0, 50)])[0];
            Assert.Equal(IntegrationExit.MaxSteps, alone.Exit);
            Assert.Equal(alone.Steps, bs.Steps);
            Assert.Equal(alone.Rejected, bs.Rejected);
            if (alone.Steps > 0 && Math.Abs(alone.LastStep - bs.LastStep) > 1e-6 * alone.LastStep)
            {
                output.WriteLine($"maxSteps {maxSteps}: steps {alone.Steps} rejected {alone.Rejected}: single LastStep {alone.LastStep:g17}, batch {bs.LastStep:g17}");
                found++;
            }
        }
        Assert.Equal(0, found);
    }

    [Theory]
    [InlineData("1,3,3")]
    [InlineData("3,3,1")]
    [InlineData("1,3,1")]
    [InlineData("2,1,2")]
    [InlineData("1,2,3,4")]
    [InlineData("4,3,2,1")]
    public void Factor_form_of_P_equals_the_product(string widths)
    {
        var arch = Architecture.Parse(widths);
        var layout = new WeightLayout(arch);
        var w = RandomWeights(layout.Dimension, 9, 0.7);
        var state = new NetworkState(layout, w);
        int k = arch.OneNeuronLayer!.Value;
        var (a, b) = state.Factors(k);
        var p = NetworkState.Outer(a, b);
        Assert.Equal(state.P.RowCount, p.RowCount);
        Assert.Equal(state.P.ColumnCount, p.ColumnCount);
        Assert.True((p - state.P).FrobeniusNorm() < 1e-12, $"{widths} k={k}");
    }

    /// <summary>The stiff switch's combined stats: steps were taken (RKC's among them) but LastStep says "none".</summary>
    [Fact]
    public void Stiff_switch_result_keeps_a_last_step()
    {
        var arch = Architecture.Parse("3,2,1,2,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var layout = new WeightLayout(arch);
        var y = RandomWeights(layout.Dimension, 41, 0.3).Select(v => new F64(v)).ToArray();
        var stiff = new StiffIntegrator<F64>(GradientFlow<F64>.Create(arch, z), new IntegratorOptions(1e-8, 1e-10) { Stiffness = Stiffness.Switch });
        var stats = stiff.Integrate(0, y, 50);
        Assert.NotNull(stiff.SwitchTime);
        Assert.True(stats.Steps > 0);
        Assert.True(stats.LastStep > 0, $"LastStep {stats.LastStep} after {stats.Steps} steps");
    }
}
