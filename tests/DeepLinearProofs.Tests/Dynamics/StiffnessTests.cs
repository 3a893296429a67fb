using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

public class StiffnessTests
{
    private static readonly double[] Start = [0.21, -0.13, 0.35, 0.17, 0.29, -0.08];

    private static (GradientFlow<F64> Field, F64[] Y) Flow(string target)
    {
        var arch = Architecture.Parse("3,1,3");
        return (GradientFlow<F64>.Create(arch, NumericTarget.Of(arch, Target.Parse(target))), Start.Select(v => new F64(v)).ToArray());
    }

    [Fact]
    public void The_assessment_is_a_pure_function_of_the_spectrum_and_the_time()
    {
        var stiff = StiffnessAssessment.Assess(2e6, 1, 50);
        Assert.True(stiff.Stiff);
        Assert.Equal(2e6 * 50 / 6.1, stiff.ExplicitSteps, 6);
        Assert.Equal(2e6, stiff.Ratio);
        Assert.Equal(stiff, StiffnessAssessment.Assess(2e6, 1, 50));
        Assert.Contains("above", stiff.Reason);
        var mild = StiffnessAssessment.Assess(6, 2, 50);
        Assert.False(mild.Stiff);
        Assert.Equal(3, mild.Ratio);
        Assert.Throws<ArgumentException>(() => StiffnessAssessment.Assess(double.NaN, 1, 50));
        Assert.Throws<ArgumentException>(() => StiffnessAssessment.Assess(1, 1, -1));
    }

    [Fact]
    public void The_gradient_flow_estimate_is_N_s1_to_the_2_minus_2_over_N()
    {
        var arch = Architecture.Parse("3,1,3");
        var v = StiffnessAssessment.ForGradientFlow(NumericTarget.Of(arch, Target.Parse("diag(1e6,2,1)")), 2, 50);
        Assert.True(v.Stiff);
        Assert.Equal(2e6 * 50 / 6.1, v.ExplicitSteps, 6);
        Assert.Equal(1e6, v.Ratio, 6);   // 2 s_1 / (2 s_3)
        var deep = StiffnessAssessment.ForGradientFlow(NumericTarget.Of(arch, Target.Parse("diag(8,2,1)")), 3, 50);
        Assert.Equal(3 * 16.0 * 50 / 6.1, deep.ExplicitSteps, 6);   // 3 * 8^(4/3) = 48
        Assert.False(StiffnessAssessment.ForGradientFlow(NumericTarget.Of(arch, Target.Parse("diag(3,2,1)")), 2, 50).Stiff);
    }

    [Fact]
    public void DOP853_takes_about_the_predicted_number_of_stability_bound_steps()
    {
        // diag(1e4,2,1) to t = 5: lambda_max = 2e4, so lambda t / 6.1 = 16,393 steps once the flow has settled.
        var (field, y) = Flow("diag(1e4,2,1)");
        var arch = Architecture.Parse("3,1,3");
        var predicted = StiffnessAssessment.ForGradientFlow(NumericTarget.Of(arch, Target.Parse("diag(1e4,2,1)")), 2, 5).ExplicitSteps;
        var stats = new AdaptiveIntegrator<F64>(field, new IntegratorOptions()).Integrate(0, y, 5);
        Assert.Equal(IntegrationExit.ReachedEnd, stats.Exit);
        Assert.InRange(stats.Steps, 0.8 * predicted, 1.3 * predicted);
    }

    [Fact]
    public void A_stiff_DOP853_run_stops_at_the_step_cap_and_says_so()
    {
        var (field, y) = Flow("diag(1e6,2,1)");
        var stats = new AdaptiveIntegrator<F64>(field, new IntegratorOptions { MaxSteps = 20_000 }).Integrate(0, y, 50);
        Assert.Equal(IntegrationExit.MaxSteps, stats.Exit);
        Assert.Equal(20_000, stats.Steps + stats.Rejected);
        Assert.True(stats.FinalTime < 1, $"stopped at t = {stats.FinalTime}");
    }

    [Fact]
    public void The_switch_shares_one_step_cap_between_DOP853_and_RKC()
    {
        var (field, y) = Flow("diag(1e6,2,1)");
        var switcher = new StiffIntegrator<F64>(field, new IntegratorOptions { MaxSteps = 300 });
        var stats = switcher.Integrate(0, y, 50);
        Assert.NotNull(switcher.SwitchTime);
        Assert.Equal(IntegrationExit.MaxSteps, stats.Exit);
        Assert.Equal(300, stats.Steps + stats.Rejected);
    }

    [Fact]
    public void The_explicit_integrator_refuses_what_it_cannot_run()
    {
        var (field, _) = Flow("diag(3,2,1)");
        var e = Assert.Throws<ArgumentException>(() => new AdaptiveIntegrator<F64>(field, new IntegratorOptions { Stiffness = Stiffness.Switch }));
        Assert.Contains("StiffIntegrator", e.Message);
        Assert.Throws<ArgumentException>(() => new AdaptiveIntegrator<F64>(field, new IntegratorOptions(Method: (Method)7)));
        Assert.Equal("DOP853", new AdaptiveIntegrator<F64>(field, new IntegratorOptions()).Pair.Name);
        Assert.Equal(5, new AdaptiveIntegrator<F64>(field, new IntegratorOptions(Method: Method.DormandPrince54)).Pair.Order);
    }

    [Fact]
    public void The_simulator_switches_automatically_only_when_asked_to_decide()
    {
        var arch = Architecture.Parse("3,1,3");
        var t = Target.Parse("diag(1e6,2,1)");
        var req = new SimulationRequest(arch, t, NumericTarget.Of(arch, t), Initialisation.Parse("random:seed=7,scale=0.3", new WeightLayout(arch)))
        { TMax = 50, Integrator = IntegratorChoice.Auto, Record = false };
        var r = Simulator.Run(req);
        Assert.Equal(IntegrationExit.ReachedEnd, r.Stats!.Exit);
        Assert.Contains("then RKC", r.Provenance);
        Assert.Contains(r.Notes, n => n.StartsWith("stiff: lambda_max ~ 2e+06") && n.Contains("switched to RKC automatically"));
        Assert.Throws<RequestFieldException>(() => Simulator.Run(req with { Integrator = IntegratorChoice.Dop853 }));
        var mild = Simulator.Run(req with { Target = Target.Parse("diag(3,2,1)"), Z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)")) });
        Assert.DoesNotContain(mild.Notes, n => n.StartsWith("stiff:"));
        Assert.DoesNotContain("RKC", mild.Provenance);
    }

    [Fact]
    public void A_target_whose_square_overflows_double_is_refused_in_one_line()
    {
        var arch = Architecture.Parse("3,1,3");
        var e = Assert.Throws<NetworkInputException>(() => NumericTarget.Of(arch, Target.Parse("diag(1e300,2,1)")));
        Assert.StartsWith("target entries up to 1e+300: s_1^2 overflows double; rescale the target", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.Equal(1e150, NumericTarget.Of(arch, Target.Parse("diag(1e150,2,1)")).S(0));
    }
}
