using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Kernel;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

/// <summary>
/// Verdicts of the numerical tier that once misled: each case here was a wrong "supported"/"contradicted"
/// or a wrong class before the criteria were decided exactly and rate fits checked for the asymptotic regime.
/// </summary>
public class EvidenceTests
{
    // A rational unit vector y near (-3/5, 4/5, 0) (stereographic from u = -3/5 - 1e-9, v = 4/5): with x = (3/5, 4/5, 0)
    // the start is exactly balanced on 3,1,1,3 and p_1(0) = x_1 + y_1 = -6.4e-10, not 0.
    private const string NearlyOnStableSet =
        "weights:W1=[[-1200000002000000000/2000000001200000001,1600000000000000000/2000000001200000001,1200000001/2000000001200000001]],W2=[[1]],W3=[[3/5],[4/5],[0]]";

    /// <summary>The converges verdict of a lemma given as text (its first network).</summary>
    internal static Verdict Converges(string lemma)
    {
        var parsed = LemmaLoader.Parse(lemma, "lemma.toml");
        return ConvergesMethod.Check((ConvergesClaim)parsed.Claim, parsed.Networks[0], default);
    }

    private static SimulationReport Simulate(string widths, string target, string init, double tMax)
    {
        var arch = Architecture.Parse(widths);
        var t = Target.Parse(target);
        return Simulator.Run(new SimulationRequest(arch, t, NumericTarget.Of(arch, t), Initialisation.Parse(init, new WeightLayout(arch))) { TMax = tMax });
    }

    [Fact]
    public void Explicit_weights_that_are_exactly_balanced_are_recognised_and_T11_decides_exactly()
    {
        var layout = new WeightLayout(Architecture.Parse("3,1,1,3"));
        var start = Initialisation.Parse(NearlyOnStableSet, layout);
        Assert.NotNull(start.Balanced);
        var r = Simulate("3,1,1,3", "diag(3,2,1)", NearlyOnStableSet, 8);
        var prediction = Assert.IsType<BalancedPrediction>(r.Prediction);
        Assert.True(prediction.Exact);
        Assert.Equal(ModeTest.NonZeroExact, prediction.Tests[0]);
        // Still on the plateau at t = 8, but the limit is the global minimiser: the report says how far from the saddle and when it leaves.
        Assert.Equal(LimitClass.GlobalMinimiser, r.Classification.Class);
        var near = Assert.Single(r.Classification.Evidence.OfType<SaddleProximityEvidence>());
        Assert.Equal(2, near.Saddle);
        Assert.True(near.EscapeTime is > 8 and < 30, $"escape time {near.EscapeTime}");
        Assert.Contains(r.Classification.Evidence.OfType<ComparisonEvidence>(), c => c.Kind == Comparison.InTransit);
    }

    [Fact]
    public void Weights_that_are_not_balanced_are_not_called_balanced()
    {
        var layout = new WeightLayout(Architecture.Parse("3,1,1,3"));
        Assert.Null(Initialisation.Parse("weights:W1=[[3/5,4/5,0]],W2=[[1]],W3=[[1],[1],[0]]", layout).Balanced);   // |W3|^2 = 2 != W2^2
        Assert.Null(Initialisation.Parse("weights:W1=[[3/5,4/5,0]],W2=[[2]],W3=[[1],[0],[0]]", layout).Balanced);   // W2^2 = 4 != |W1|^2
        var balanced = Initialisation.Parse("weights:W1=[[3/5,4/5,0]],W2=[[-1]],W3=[[0],[0],[1]]", layout).Balanced!;
        // The signs chain through the layers: x = W3 W2 W1 y-direction, so P = sigma x y^T with sigma = 1 > 0.
        Assert.Equal(1.0, balanced.Sigma, 12);
        Assert.Equal(new[] { Rational.Zero, Rational.Zero, Rational.MinusOne }, balanced.X);
    }

    [Fact]
    public void A_rotated_rational_target_decides_p1_exactly_instead_of_calling_2e14_zero()
    {
        // Z = R diag(3,2,1) R^T with R the rational rotation (3/5, 4/5); y = R (2e-14, 1, 0), x = R e_2: p_1(0) = 2e-14 exactly.
        var r = Simulate("3,1,3", "[[59/25,12/25,0],[12/25,66/25,0],[0,0,1]]",
            "balanced:sigma=1,x=-4/5;3/5;0,y=-199999999999997/250000000000000;37500000000001/62500000000000;0", 45);
        var prediction = Assert.IsType<BalancedPrediction>(r.Prediction);
        Assert.Equal(ModeTest.NonZeroExact, prediction.Tests[0]);
        Assert.Equal(ModeTest.ZeroExact, prediction.Tests[2]);
        Assert.Equal(LimitClass.GlobalMinimiser, r.Classification.Class);
        Assert.True(r.FinalGap < 1e-6, $"the run escapes to the minimiser (gap {r.FinalGap})");
    }

    [Fact]
    public void An_irrational_singular_basis_with_p_within_rounding_of_zero_is_undecided_not_zero()
    {
        // Z = [[2,1],[1,1]] has irrational singular values; x = -y exactly makes p_1 = 0 up to the rounding of the SVD.
        var r = Simulate("2,1,2", "[[2,1],[1,1]]", "balanced:sigma=1,x=1;0,y=-1;0", 5);
        var prediction = Assert.IsType<BalancedPrediction>(r.Prediction);
        Assert.False(prediction.Exact);
        Assert.Contains(ModeTest.Undecided, prediction.Tests);
        Assert.Equal(LimitClass.Undetermined, r.Classification.Class);
    }

    [Fact]
    public void Exact_modes_agree_with_the_old_diagonal_rule_and_refuse_repeated_values_off_the_diagonal()
    {
        var diag = ExactModes.Of(new NumericTarget(MatrixLiteral.Parse("[[3,0,0],[0,-2,0],[0,0,1]]")));
        Assert.True(diag.IsExact(1));
        Assert.True(diag.BalancedZero(1, [Rational.Zero, Rational.One, Rational.Zero], [Rational.Zero, Rational.One, Rational.Zero]));  // u_2 = -e_2
        Assert.False(diag.BalancedZero(1, [Rational.Zero, Rational.One, Rational.Zero], [Rational.Zero, Rational.MinusOne, Rational.Zero]));
        // R diag(2,2,1) R^T, R rotating coordinates 2 and 3: s_1 = s_2 = 2 off the diagonal, so the basis of that plane is
        // not determined and no mode there is exact; s_3 = 1 is simple.
        var repeated = ExactModes.Of(new NumericTarget(Rotate(MatrixLiteral.Parse("[[2,0,0],[0,2,0],[0,0,1]]"))));
        Assert.False(repeated.IsExact(0));
        Assert.True(repeated.IsExact(2));
    }

    [Fact]
    public void A_rate_fit_on_a_pre_asymptotic_window_is_undetermined_not_contradicted()
    {
        // N = 2, x0 = (1,1,0), y0 = (1,-1,0): the asymptotic rate is min(2 s_1, s_1 + s_2) = 5, but e^{-10t} and e^{-12t}
        // compete and the window fits 5.68. The halves of the window disagree, so the fit may not contradict T12.
        const string lemma = "id = \"rate.n2\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"converges\"\n" +
            "init = \"balanced:sigma=1/2,x=1;1;0,y=1;-1;0\"\nlimit = \"global minimiser\"\nt_max = 20\n[[claim.rate]]\nstage = \"linear\"\npredicted = true\ntolerance = 0.01\n";
        var verdict = Converges(lemma);
        Assert.Equal(Status.Unknown, verdict.Status);
        Assert.Contains("not yet asymptotic", verdict.Detail);
        var r = Simulate("3,1,3", "diag(3,2,1)", "balanced:sigma=1/2,x=1;1;0,y=1;-1;0", 20);
        var linear = Assert.Single(r.Stages, s => s.Type == StageKind.Linear);
        Assert.Equal(5.0, linear.Predicted!.Value, 9);
        Assert.False(linear.Asymptotic);
    }

    [Fact]
    public void A_settled_rate_fit_still_contradicts_a_wrong_expected_value()
    {
        // The library's T12 lemma for N = 3 (r = 1.0858, settled) with a wrong value: the asymptotic check must not hide it.
        const string lemma = "id = \"rate.wrong\"\n[[network]]\nwidths = [3, 2, 1, 3]\ntarget = \"diag(5/2, 17/10, 2/5)\"\n[claim]\nmethod = \"converges\"\n" +
            "init = \"balanced:sigma=1/2,x=1;1;1,y=1;1;1\"\nlimit = \"global minimiser\"\nt_max = 40\n[[claim.rate]]\nstage = \"linear\"\nvalue = 1.2\ntolerance = 0.002\n";
        var verdict = Converges(lemma);
        Assert.Equal(Status.Contradicted, verdict.Status);
    }

    [Fact]
    public void The_zero_start_without_a_one_neuron_layer_is_the_exact_equilibrium_of_E1()
    {
        var r = Simulate("3,2,3", "diag(3,2,1)", "zero", 5);
        Assert.IsType<EquilibriumPrediction>(r.Prediction);
        Assert.Equal(LimitClass.Origin, r.Classification.Class);
        Assert.Contains(r.Classification.Evidence.OfType<ComparisonEvidence>(), c => c.Kind == Comparison.Agrees);
    }

    private static Rational[,] Rotate(Rational[,] d)
    {
        Rational c = Rational.Create(3, 5), s = Rational.Create(4, 5);
        Rational[,] r = { { Rational.One, Rational.Zero, Rational.Zero }, { Rational.Zero, c, -s }, { Rational.Zero, s, c } };
        var result = new Rational[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                Rational sum = Rational.Zero;
                for (int k = 0; k < 3; k++) sum += r[i, k] * d[k, k] * r[j, k];
                result[i, j] = sum;
            }
        return result;
    }
}
