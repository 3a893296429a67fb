using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Reduced;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

public class SimulationTests
{
    private static SimulationReport Simulate(string widths, string target, string init, double tMax, Func<SimulationRequest, SimulationRequest>? tweak = null)
    {
        var arch = Architecture.Parse(widths);
        var t = Target.Parse(target);
        var z = NumericTarget.Of(arch, t);
        var req = new SimulationRequest(arch, t, z, Initialisation.Parse(init, new WeightLayout(arch))) { TMax = tMax };
        return Simulator.Run(tweak is null ? req : tweak(req));
    }

    [Fact]
    public void E2_stays_on_the_stable_set_of_saddle_2_exactly_because_zero_coordinates_stay_zero()
    {
        var r = Simulate("3,2,1,3", "diag(3,2,1)", "balanced:sigma=1/8,x=0;1;0,y=0;1;0,w1=3/5;4/5", 40);
        Assert.Equal(LimitClass.Saddle, r.Classification.Class);
        Assert.Equal(2, r.Classification.Index);
        Assert.True(r.Prediction!.Exact);
        Assert.Equal(0.0, r.Escape!.Violation);     // exact zeros: no violation at all
        Assert.True(Math.Abs(r.FinalLoss - 5) < 1e-9, $"loss {r.FinalLoss}");
        Assert.True(r.MaxDrift < 1e-10);
    }

    [Fact]
    public void E4_in_double_escapes_near_the_predicted_time_and_the_report_still_names_the_saddle_by_the_exact_criterion()
    {
        var r = Simulate("3,1,3", "diag(3,2,1)", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]", 60);
        Assert.Equal(LimitClass.Saddle, r.Classification.Class);
        var esc = r.Escape!;
        Assert.True(esc.Violation > 0);
        Assert.NotNull(esc.ObservedEscape);
        Assert.True(Math.Abs(esc.PredictedEscape!.Value - esc.ObservedEscape!.Value) < 2, $"predicted {esc.PredictedEscape}, observed {esc.ObservedEscape}");
        Assert.Contains(r.Classification.EvidenceLines, e => e.Contains("left the invariant set"));
        // The rate of the escape is T14's mu_1 - mu_2.
        var plateau = r.Stages.Single(s => s.Kind.StartsWith("plateau"));
        Assert.True(Math.Abs(plateau.Fitted!.Value - plateau.Predicted!.Value) < 0.01 * plateau.Predicted.Value);
    }

    [Fact]
    public void E4_on_the_certified_set_and_in_double_double_stays_at_the_saddle()
    {
        var certified = Simulate("3,1,3", "diag(3,2,1)", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]", 60, r => r with { Reduction = Reduction.TwoLayer });
        Assert.True(Math.Abs(certified.FinalLoss - 5) < 1e-9);
        var dd = Simulate("3,1,3", "diag(3,2,1)", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]", 60,
            r => r with { Precision = Precision.DoubleDouble, RelTol = 1e-24, AbsTol = 1e-26 });
        Assert.True(Math.Abs(dd.FinalLoss - 5) < 1e-6, $"double-double loss {dd.FinalLoss}");
        Assert.True(dd.Escape!.Violation < 1e-18);
        Assert.True(dd.Escape.PredictedEscape > 60);
    }

    [Fact]
    public void Origin_is_never_concluded_from_smallness_at_time_T_without_a_criterion()
    {
        // A small unbalanced deep start: P is tiny at T = 1 but no theorem applies, so the class is undetermined.
        var r = Simulate("3,2,1,2,3", "diag(3,2,1)", "random:seed=4,scale=0.01", 1);
        Assert.Equal(LimitClass.Undetermined, r.Classification.Class);
        Assert.Contains(r.Classification.EvidenceLines, e => e.Contains("too short") || e.Contains("never proves"));
    }

    [Fact]
    public void E3_goes_to_the_origin_and_the_balanced_reduction_resolves_the_sublinear_rate()
    {
        var r = Simulate("3,2,1,3", "diag(3,2,1)", "balanced:sigma=1/2,x=-1;0;0,y=1;0;0", 1000, q => q with { Reduction = Reduction.Balanced });
        Assert.Equal(LimitClass.Origin, r.Classification.Class);
        var origin = r.Stages.Single(s => s.Kind.StartsWith("origin"));
        Assert.InRange(origin.Fitted!.Value, -3.03, -2.97);
        // sigma ~ t^{-3}/27 (docs/theory.md, E3, C = ((N-2) s)^{-N/(N-2)} = 1/27).
        var last = r.Samples[^1];
        Assert.InRange(last.NormP * Math.Pow(last.T, 3), 1 / 27.0 * 0.97, 1 / 27.0 * 1.03);
    }

    [Fact]
    public void The_balanced_reduction_agrees_with_the_full_weight_integration()
    {
        var full = Simulate("3,2,1,2,3", "[[2,1,0],[1,2,0],[0,0,1]]", "balanced:sigma=1/2,x=1;0;0,y=1;2;2", 8, q => q with { Reduction = Reduction.Full });
        var reduced = Simulate("3,2,1,2,3", "[[2,1,0],[1,2,0],[0,0,1]]", "balanced:sigma=1/2,x=1;0;0,y=1;2;2", 8, q => q with { Reduction = Reduction.Balanced, RelTol = 1e-12, AbsTol = 1e-14 });
        Assert.Equal(full.Samples[^1].T, reduced.Samples[^1].T, 9);
        Assert.True(Math.Abs(full.FinalLoss - reduced.FinalLoss) < 1e-8, $"{full.FinalLoss} vs {reduced.FinalLoss}");
    }

    [Theory]
    [InlineData("3,1,3", 0.8000)]
    [InlineData("3,2,1,3", 1.0858)]
    [InlineData("3,2,1,2,3", 1.2649)]
    public void T12_linear_rates_match_the_measured_values_of_the_theory(string widths, double expected)
    {
        var r = Simulate(widths, "diag(5/2,17/10,2/5)", "balanced:sigma=1/2,x=1;1;1,y=1;1;1", 40);
        var linear = r.Stages.Single(s => s.Kind.StartsWith("linear"));
        Assert.Equal(expected, linear.Predicted!.Value, 4);
        Assert.True(Math.Abs(linear.Fitted!.Value - expected) < 2e-3 * expected, $"fitted {linear.Fitted}");
    }

    [Fact]
    public void A_repeated_top_singular_value_is_warned_about_and_E5_reaches_a_global_minimiser()
    {
        var r = Simulate("3,2,1,3", "diag(3,3,1)", "balanced:sigma=1/8,x=0;1;0,y=0;1;0,w1=3/5;4/5", 40);
        Assert.Contains(r.Notes, n => n.Contains("s_1 = s_2"));
        Assert.Equal(LimitClass.GlobalMinimiser, r.Classification.Class);
    }

    [Fact]
    public void Without_a_one_neuron_layer_the_rank_two_minimiser_is_recognised_E6()
    {
        var r = Simulate("3,2,3", "diag(3,2,1)", "random:seed=3,scale=0.5", 60);
        Assert.Equal(LimitClass.GlobalMinimiser, r.Classification.Class);
        Assert.Equal([1, 2], r.Classification.Modes!);
        Assert.True(Math.Abs(r.FinalLoss - 0.5) < 1e-9);
    }

    [Theory]
    [InlineData("random:seed=1,scale=0.3", 1e-10, 1e-12, 0.0, "must be a positive finite time")]
    [InlineData("random:seed=1,scale=0.3", 1.0, 1e-12, 10.0, "too loose")]
    [InlineData("weights:W1=[[1e7,0,0]],W2=[[1],[0],[0]]", 1e-10, 1e-12, 10.0, "beyond")]
    [InlineData("balanced:sigma=-1,x=1;0;0,y=1;0;0", 1e-10, 1e-12, 10.0, "sigma must be >= 0")]
    [InlineData("balanced:sigma=1,x=1;0,y=1;0;0", 1e-10, 1e-12, 10.0, "needs 3")]
    [InlineData("weights:W1=[[1,0]],W2=[[1],[0],[0]]", 1e-10, 1e-12, 10.0, "need 1x3")]
    public void Bad_input_gets_a_message_naming_the_fix(string init, double rtol, double atol, double tMax, string expected)
    {
        var e = Assert.ThrowsAny<NetworkInputException>(() => Simulate("3,1,3", "diag(3,2,1)", init, tMax, r => r with { RelTol = rtol, AbsTol = atol }));
        Assert.Contains(expected, e.Message);
        // The domain names the field, never a flag: the CLI and the lemma loader each add their own word for it.
        Assert.DoesNotContain("--", e.Message);
    }

    [Fact]
    public void A_non_finite_weight_in_a_problem_file_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dlp-nan-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"widths\":[2,1,2],\"target\":[[1,0],[0,2]],\"weights\":[[[1,\"NaN\"]],[[1],[2]]]}");
        try
        {
            var e = Assert.ThrowsAny<Exception>(() => Problem.Load(path));
            Assert.IsType<NetworkInputException>(e);
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_balanced_projection_keeps_a_balanced_run_balanced()
    {
        var r = Simulate("3,2,1,2,3", "[[2,1,0],[1,2,0],[0,0,1]]", "balanced:sigma=1/2,x=1;0;0,y=1;2;2", 10,
            q => q with { Projection = ProjectionChoice.Balanced, Reduction = Reduction.Full });
        Assert.Contains(r.Notes, n => n.Contains("balanced manifold"));
        Assert.True(r.MaxDrift < 1e-9, $"drift {r.MaxDrift}");
        Assert.Equal(LimitClass.GlobalMinimiser, r.Classification.Class);
    }

    [Fact]
    public void A_coordinate_subspace_is_projected_only_when_certified_invariant()
    {
        var arch = Architecture.Parse("3,1,3");
        var layout = new WeightLayout(arch);
        var e2 = Initialisation.Parse("weights:W1=[[0,1,0]],W2=[[0],[1],[0]]", layout);
        var (ok, _) = CoordinateSubspaceProjection<DeepLinearProofs.Dynamics.Numerics.F64>.Certify(arch, Target.Parse("diag(3,2,1)"), layout, e2.Weights);
        Assert.NotNull(ok);
        // With a target mixing e_1 and e_2 the same zeros are not invariant.
        var (bad, why) = CoordinateSubspaceProjection<DeepLinearProofs.Dynamics.Numerics.F64>.Certify(arch, Target.Parse("[[3,1,0],[0,2,0],[0,0,1]]"), layout, e2.Weights);
        Assert.Null(bad);
        Assert.Contains("not invariant", why);
    }

    [Fact]
    public void A_sweep_is_deterministic_and_its_intervals_contain_the_fraction()
    {
        var arch = Architecture.Parse("2,1,2");
        var t = Target.Parse("diag(2,1)");
        var req = new SweepRequest(arch, t, NumericTarget.Of(arch, t), "random:scale=0.5", 64, 5) { TMax = 30 };
        var a = Sweep.Run(req);
        var b = Sweep.Run(req);
        Assert.Equal(a.Limits.Select(l => (l.Limit, l.Count)), b.Limits.Select(l => (l.Limit, l.Count)));
        foreach (var l in a.Limits) Assert.InRange(l.Fraction, l.Low, l.High);
        var (lo, hi) = Sweep.Wilson(50, 100);
        Assert.Equal(0.4038, lo, 3);
        Assert.Equal(0.5962, hi, 3);
    }

    [Fact]
    public void The_two_layer_predictor_decides_E4s_p1_zero_exactly_and_T14s_origin_example()
    {
        var arch = Architecture.Parse("3,1,4");
        var layout = new WeightLayout(arch);
        var z = NumericTarget.Of(arch, Target.Parse("[[3,0,0],[0,2,0],[0,0,1],[0,0,0]]"));
        var start = Initialisation.Parse("weights:W1=[[-3,0,0]],W2=[[1],[0],[0],[4]]", layout);
        var p = LimitPrediction.For(z, layout, start)!;
        Assert.Equal(LimitClass.Origin, p.Class);
        Assert.True(p.Exact);
        // Perturb one entry by 1/1000: p_1 != 0 and the prediction becomes the global minimiser.
        var moved = Initialisation.Parse("weights:W1=[[-3,0,0]],W2=[[1001/1000],[0],[0],[4]]", layout);
        Assert.Equal(LimitClass.GlobalMinimiser, LimitPrediction.For(z, layout, moved)!.Class);
    }

    [Fact]
    public void The_exact_two_layer_modes_keep_c_and_satisfy_the_flow()
    {
        var arch = Architecture.Parse("3,1,3");
        var z = NumericTarget.Of(arch, Target.Parse("[[2,1,0],[1,3,0],[0,0,1]]"));
        var a0 = new[] { 0.3, -0.2, 0.5 };
        var b0 = new[] { 0.1, 0.4, -0.3 };
        var modes = new TwoLayerModes(z, a0, b0);
        var (a, b) = modes.At(3);
        Assert.Equal(modes.C, a.Sum(v => v * v) - b.Sum(v => v * v), 10);
        // Central difference of the closed form against a' = E b.
        const double h = 1e-5;
        var (ap, _) = modes.At(3 + h);
        var (am, _) = modes.At(3 - h);
        for (int i = 0; i < 3; i++)
        {
            double eb = 0;
            for (int j = 0; j < 3; j++) eb += (z.Values[i, j] - a[i] * b[j]) * b[j];
            Assert.Equal(eb, (ap[i] - am[i]) / (2 * h), 6);
        }
    }
}

public class OriginEscapeTests
{
    /// <summary>Time at which sigma climbs back above 1 after E3's start is perturbed by p_2(0) ~ delta (balanced reduction).</summary>
    private static double EscapeTime(int depth, double delta)
    {
        var arch = Architecture.Parse(depth == 3 ? "3,2,1,3" : "3,2,1,2,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var red = new BalancedReduction(z, depth, 0.5, [-1, delta, 0], [1, delta, 0]);
        // sigma first falls from 1/2 towards the origin, then climbs back: stop when it reaches 1.
        var (points, stats) = red.Run(1e7, 1e7, new IntegratorOptions(1e-10, 1e-12) { MaxStep = 0.05 }, stopWhenSigmaReaches: 1);
        Assert.Equal(IntegrationExit.TerminalEvent, stats.Exit);
        return points[^1].T;
    }

    [Theory]
    [InlineData(3, -0.6)]
    [InlineData(4, -1.2)]
    public void Escape_from_near_the_origin_scales_like_T12(int depth, double exponent)
    {
        // t_esc ~ delta^{-(N-2) s_j0 / (s_j0 + s_j)} with s_j0 = 3, s_j = 2.
        double[] deltas = depth == 3 ? [1e-4, 1e-5, 1e-6] : [1e-3, 1e-4, 1e-5];
        var logs = deltas.Select(d => (Math.Log(d), Math.Log(EscapeTime(depth, d)))).ToList();
        double slope = StageRates.Slope(logs.Select(p => p.Item1).ToList(), logs.Select(p => p.Item2).ToList())!.Value;
        Assert.True(Math.Abs(slope - exponent) < 0.03, $"fitted exponent {slope}, theory {exponent}");
    }
}

public class HessianTests
{
    private static double[] Spectrum(string widths, string target, string init)
    {
        var arch = Architecture.Parse(widths);
        var z = NumericTarget.Of(arch, Target.Parse(target));
        var w = Initialisation.Parse(init, new WeightLayout(arch)).Weights;
        return HessianSpectrum.At(GradientFlow<DeepLinearProofs.Dynamics.Numerics.F64>.Create(arch, z), w);
    }

    [Theory]
    [InlineData("3,1,3", -1.0)]
    [InlineData("3,2,1,3", -1.2599)]
    [InlineData("3,2,1,2,3", -1.4142)]
    public void The_most_negative_Hessian_eigenvalue_at_saddle_2_is_T7s(string widths, double expected)
    {
        // The balanced point P = 2 e_2 e_2^T (sigma = s_2 = 2) is saddle 2 of diag(3,2,1): -(s_1 - s_2) s_2^{1-2/N}.
        var eig = Spectrum(widths, "diag(3,2,1)", "balanced:sigma=2,x=0;1;0,y=0;1;0");
        Assert.Equal(expected, eig[0], 3);
    }

    [Fact]
    public void The_origin_is_non_strict_for_N_3_strict_for_N_2_and_other_P_0_points_can_be_strict()
    {
        Assert.All(Spectrum("3,2,1,3", "diag(3,2,1)", "zero"), e => Assert.True(Math.Abs(e) < 1e-6));
        Assert.Equal(-3, Spectrum("3,1,3", "diag(3,2,1)", "zero")[0], 5);
        var eig = Spectrum("3,1,2,3", "diag(3,2,1)", "weights:W1=[[0,0,0]],W2=[[0],[0]],W3=[[1,0],[0,1],[0,0]]");
        Assert.Equal(-3, eig[0], 4);
        Assert.Equal(3, eig[^1], 4);
    }
}
