using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Kernel;
using Xunit;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>
/// A referee's attack on the exact decisions of T11 / T14 (ExactModes, LimitPrediction.Decide, BalancedStart.Detect).
/// Every expected value was computed independently (mpmath SVD at 60 digits, p_i evaluated from the theorems'
/// formulas; script in the commit message of this file). The first region held wrong exact claims before the fix;
/// the second holds hard cases the tool got right, kept as guards.
/// Run with: dotnet test tests/DeepLinearProofs.Tests --filter "FullyQualifiedName~RedTeam.EvidenceReferee"
/// </summary>
public class EvidenceRefereeTests
{
    private static LimitPrediction Predict(string widths, string target, string init)
    {
        var arch = Architecture.Parse(widths);
        var t = Target.Parse(target);
        var layout = new WeightLayout(arch);
        return LimitPrediction.For(NumericTarget.Of(arch, t), layout, Initialisation.Parse(init, layout))
            ?? throw new InvalidOperationException("no prediction");
    }

    private static void AssertNotExactlyWrong(LimitPrediction p, LimitClass truth, int truthIndex)
    {
        if (!p.Exact) return;
        Assert.Equal(truth, p.Class);
        if (truth == LimitClass.Saddle) Assert.Equal(truthIndex, p.Index);
    }

    // ------------------------------------------------------------------ found bugs (fixed)

    // Z = [[0,1],[1+1e-11,0]]: s_1^2 = (1+1e-11)^2 is rational with a huge denominator, s_2^2 = 1. The continued fraction of
    // s_1^2 in double returns 1 (within 1e-10), and ker(Z^T Z - I) is one-dimensional, but it is mode 2's eigenvector:
    // mode 1 was given v_2. With x = (1,1), y = (1,-1): p_2 = 0 exactly, p_1 = -sqrt 2 (mpmath). The tool claimed the origin, exactly.
    private const string NearCollision = "[[0,1],[100000000001/100000000000,0]]";

    [Fact]
    public void Near_collision_of_s1_squared_with_a_rational_eigenvalue_does_not_give_mode_1_the_wrong_vector_T11()
    {
        var p = Predict("2,1,2", NearCollision, "weights:W1=[[1,-1]],W2=[[1],[1]]");
        Assert.IsType<BalancedPrediction>(p);
        Assert.NotEqual(ModeTest.ZeroExact, p.Tests[0]);
        Assert.Equal(ModeTest.ZeroExact, p.Tests[1]);
        AssertNotExactlyWrong(p, LimitClass.GlobalMinimiser, 1);
        Assert.Equal(LimitClass.GlobalMinimiser, p.Class);     // |p_1| = 1.41 is far above the rounding bound
        var modes = ExactModes.Of(new NumericTarget(MatrixLiteral.Parse(NearCollision)));
        Assert.False(modes.IsExact(0));
        Assert.True(modes.IsExact(1));
    }

    [Fact]
    public void Near_collision_deep_balanced_start_T11()
    {
        var p = Predict("2,1,1,2", NearCollision, "balanced:sigma=1,x=1;1,y=1;-1");
        Assert.NotEqual(ModeTest.ZeroExact, p.Tests[0]);
        AssertNotExactlyWrong(p, LimitClass.GlobalMinimiser, 1);
    }

    [Fact]
    public void Near_collision_two_layer_start_T14()
    {
        // a = (-1, 19/4), b = (17/4, 2): c = 3/2, mu_2 - c/2 = 1/2, p_2 = -1 + 2/2 = 0 exactly; p_1 = 6.875 (mpmath).
        var p = Predict("2,1,2", NearCollision, "weights:W1=[[17/4,2]],W2=[[-1],[19/4]]");
        Assert.IsType<TwoLayerPrediction>(p);
        Assert.NotEqual(ModeTest.ZeroExact, p.Tests[0]);
        Assert.Equal(ModeTest.ZeroExact, p.Tests[1]);
        AssertNotExactlyWrong(p, LimitClass.GlobalMinimiser, 1);
    }

    [Fact]
    public void Near_collision_the_other_way_gives_mode_2_the_vector_of_mode_1()
    {
        // Z = [[0,1],[1-1e-13,0]]: s_1 = 1 (v_1 = e_2), s_2 = 1 - 1e-13 (v_2 = e_1); s_2^2 reconstructs to 1 as well.
        // x = (1,1), y = (1,-1): p_1 = 0, p_2 = -sqrt 2 (mpmath): saddle 2, not the origin.
        var p = Predict("2,1,2", "[[0,1],[9999999999999/10000000000000,0]]", "weights:W1=[[1,-1]],W2=[[1],[1]]");
        Assert.Equal(ModeTest.ZeroExact, p.Tests[0]);
        Assert.NotEqual(ModeTest.ZeroExact, p.Tests[1]);
        AssertNotExactlyWrong(p, LimitClass.Saddle, 2);
    }

    [Fact]
    public void A_saddle_value_within_1e_12_of_s1_is_still_a_saddle_when_decided_exactly()
    {
        // diag(1, 1 - 1e-13), x = y = e_2: p_1 = 0, p_2 = 2 exactly; s_2 < s_1, so T11 gives saddle 2, not a global minimiser.
        var p = Predict("2,1,2", "diag(1, 9999999999999/10000000000000)", "balanced:sigma=1,x=0;1,y=0;1");
        Assert.True(p.Exact);
        Assert.Equal(LimitClass.Saddle, p.Class);
        Assert.Equal(2, p.Index);
        var t14 = Predict("2,1,2", "diag(1, 9999999999999/10000000000000)", "weights:W1=[[0,1]],W2=[[0],[2]]");
        Assert.IsType<TwoLayerPrediction>(t14);
        Assert.True(t14.Exact);
        Assert.Equal(LimitClass.Saddle, t14.Class);
    }

    [Fact]
    public void A_tiny_positive_singular_value_below_the_numeric_rank_is_not_exactly_the_origin()
    {
        // diag(1, 1e-13): the numeric rank is 1, but s_2 = 1e-13 > 0 and p_2 = 2 (x = y = e_2, p_1 = 0): T11 gives saddle 2.
        var p = Predict("2,1,2", "diag(1, 1/10000000000000)", "balanced:sigma=1,x=0;1,y=0;1");
        AssertNotExactlyWrong(p, LimitClass.Saddle, 2);
        var off = Predict("2,1,2", "[[0,1],[1/10000000000000,0]]", "weights:W1=[[1,0]],W2=[[0],[1]]");  // x = e_2, y = e_1: p_1 = 0, p_2 = 2
        AssertNotExactlyWrong(off, LimitClass.Saddle, 2);
        var t14 = Predict("2,1,2", "diag(1, 1/10000000000000)", "weights:W1=[[0,1]],W2=[[0],[2]]");
        AssertNotExactlyWrong(t14, LimitClass.Saddle, 2);
    }

    [Fact]
    public void A_repeated_saddle_value_does_not_claim_the_single_mode_limit()
    {
        // diag(3,1,1), x = y = (0,1,1): p_1 = 0, p_2 = p_3 = sqrt 2. T11: P -> 1 * x_inf y_inf^T with x_inf ~ e_2 + e_3, not s_2 u_2 v_2^T.
        var p = Predict("3,1,3", "diag(3,1,1)", "balanced:sigma=1,x=0;1;1,y=0;1;1");
        Assert.True(p.Exact);
        Assert.Equal(LimitClass.Saddle, p.Class);
        Assert.Equal(2, p.Index);
        Assert.DoesNotContain("u_2 v_2^T", p.Detail);
    }

    // ------------------------------------------------------------------ guards (the tool was right)

    [Fact]
    public void E4_start_is_exactly_on_the_stable_set_of_saddle_2()
    {
        // mpmath: p = (0, -9.8906, -9.4244); c = -9/2, mu_2 = sqrt(145)/4 irrational.
        var p = Predict("3,1,3", "diag(3,2,1)", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]");
        Assert.IsType<TwoLayerPrediction>(p);
        Assert.Equal(new[] { ModeTest.ZeroExact, ModeTest.NonZeroExact, ModeTest.NonZeroExact }, p.Tests);
        Assert.True(p.Exact);
        Assert.Equal((LimitClass.Saddle, 2), (p.Class, p.Index));
    }

    [Fact]
    public void Irrational_squares_near_small_rationals_are_rejected_by_exact_elimination()
    {
        // [[1,1e-6],[0,1]]: s^2 = 1 + 5e-13 +- sqrt(...) ~ 1 +- 1e-6, reconstructed to 1000001/1000000 and 999999/1000000 but not eigenvalues.
        var z = new NumericTarget(MatrixLiteral.Parse("[[1,1/1000000],[0,1]]"));
        var m = ExactModes.Of(z);
        Assert.False(m.IsExact(0));
        Assert.False(m.IsExact(1));
        // Near rank deficient: [[1,1],[1,1+1e-9]] (s_2 ~ 5e-10, irrational).
        var near = ExactModes.Of(new NumericTarget(MatrixLiteral.Parse("[[1,1],[1,1000000001/1000000000]]")));
        Assert.False(near.IsExact(0));
        Assert.False(near.IsExact(1));
        var p = Predict("2,1,2", "[[1,1/1000000],[0,1]]", "balanced:sigma=1,x=1;0,y=-1;0");
        Assert.False(p.Exact);
    }

    [Fact]
    public void Signed_permutation_targets_use_the_right_left_vectors()
    {
        // Z = [[0,-2,0],[0,0,3],[1,0,0]]: (s, u, v) = (3, e_2, e_3), (2, -e_1, e_2), (1, e_3, e_1).
        var origin = Predict("3,1,3", "[[0,-2,0],[0,0,3],[1,0,0]]", "balanced:sigma=1,x=1;0;0,y=0;1;0");   // p = (0,0,0)
        Assert.Equal((LimitClass.Origin, true), (origin.Class, origin.Exact));
        var saddle = Predict("3,1,3", "[[0,-2,0],[0,0,3],[1,0,0]]", "balanced:sigma=1,x=0;0;1,y=1;0;0"); // p = (0,0,2)
        Assert.Equal((LimitClass.Saddle, 3, true), (saddle.Class, saddle.Index, saddle.Exact));
    }

    [Fact]
    public void Negative_diagonal_and_non_square_diagonal_targets()
    {
        var neg = Predict("3,1,3", "diag(3,-2,1)", "balanced:sigma=1,x=0;1;0,y=0;1;0");   // u_2 = -e_2: p = (0,0,0)
        Assert.Equal((LimitClass.Origin, true), (neg.Class, neg.Exact));
        var wide = Predict("3,1,2", "[[3,0,0],[0,2,0]]", "balanced:sigma=1,x=0;1,y=0;0;1");   // p = (0, 1)
        Assert.Equal((LimitClass.Saddle, 2, true), (wide.Class, wide.Index, wide.Exact));
    }

    [Fact]
    public void Repeated_top_value_in_a_diagonal_target_is_the_global_minimiser()
    {
        // diag(2,2,1), x = (1,1,0), y = (-1,1,0): p_1 = 0, p_2 = sqrt 2: s* = 2 = s_1 (T11), a global minimiser.
        var p = Predict("3,1,3", "diag(2,2,1)", "balanced:sigma=1,x=1;1;0,y=-1;1;0");
        Assert.Equal((LimitClass.GlobalMinimiser, true), (p.Class, p.Exact));
    }

    [Fact]
    public void Balance_detection_with_wide_hidden_layers_and_irrational_sigma()
    {
        // 2,2,1,2: W1 = [[3/5,4/5],[3/5,4/5]], W2 = [[1,1]], W3 = [[1],[1]]: balanced, rho^2 = 2, sigma = 2^{3/2}.
        var layout = new WeightLayout(Architecture.Parse("2,2,1,2"));
        var bal = Initialisation.Parse("weights:W1=[[3/5,4/5],[3/5,4/5]],W2=[[1,1]],W3=[[1],[1]]", layout).Balanced!;
        Assert.Equal(Math.Pow(2, 1.5), bal.Sigma, 12);
        var p = Predict("2,2,1,2", "diag(2,1)", "weights:W1=[[3/5,4/5],[3/5,4/5]],W2=[[1,1]],W3=[[1],[1]]");
        Assert.Equal((LimitClass.GlobalMinimiser, true), (p.Class, p.Exact));   // p_1 = 1/sqrt2 + 3/5
        // 3,2,1,3 with x ~ (0,1,1), y = (0,3/5,4/5): p_1 = 0, p_2 = 1/sqrt2 + 3/5 (mpmath): saddle 2, decided through sqrt 2.
        var s = Predict("3,2,1,3", "diag(3,2,1)", "weights:W1=[[0,3/5,4/5],[0,3/5,4/5]],W2=[[1,1]],W3=[[0],[1],[1]]");
        Assert.IsType<BalancedPrediction>(s);
        Assert.Equal((LimitClass.Saddle, 2, true), (s.Class, s.Index, s.Exact));
        // One entry off by 1e-30: not balanced, and no exact T11 claim.
        var l3 = new WeightLayout(Architecture.Parse("3,2,1,3"));
        Assert.Null(Initialisation.Parse("weights:W1=[[0,3/5,4/5],[0,3/5,800000000000000000000000000001/1000000000000000000000000000000]],W2=[[1,1]],W3=[[0],[1],[1]]", l3).Balanced);
        // A negative scalar hidden layer: the sign chains into x.
        var neg = Predict("3,1,1,3", "diag(3,2,1)", "weights:W1=[[1,0,0]],W2=[[-1]],W3=[[1],[0],[0]]");  // x = -e_1, y = e_1: p_1 = 0
        Assert.Equal(ModeTest.ZeroExact, neg.Tests[0]);
        // Zero layers: all zero is E1; one zero layer is not balanced.
        Assert.IsType<EquilibriumPrediction>(Predict("3,1,1,3", "diag(3,2,1)", "weights:W1=[[0,0,0]],W2=[[0]],W3=[[0],[0],[0]]"));
        Assert.Null(Initialisation.Parse("weights:W1=[[0,0,0]],W2=[[1]],W3=[[1],[0],[0]]", new WeightLayout(Architecture.Parse("3,1,1,3"))).Balanced);
    }

    [Fact]
    public void Two_layer_criterion_roots_signs_and_zero_components()
    {
        // c = 3: a = (0,1,7/2), b = (0,-2,5/2): mu_2 - c/2 = 1, p_2 = 2 - 2 = 0; p_3 = -4.2569 (mpmath) -> saddle 3.
        var dec = Predict("3,1,3", "diag(3,2,1)", "weights:W1=[[0,-2,5/2]],W2=[[0],[1],[7/2]]");
        Assert.Equal(new[] { ModeTest.ZeroExact, ModeTest.ZeroExact, ModeTest.NonZeroExact }, dec.Tests);
        Assert.Equal((LimitClass.Saddle, 3, true), (dec.Class, dec.Index, dec.Exact));
        // The other root of the quadratic: alpha_2 = 4 beta_2 = (c/2 + mu_2) beta_2 satisfies alpha^2 - q beta^2 = c alpha beta, p_2 = 9 (mpmath).
        var wrongRoot = Predict("3,1,3", "diag(3,2,1)", "weights:W1=[[0,1,4]],W2=[[0],[4],[2]]");
        Assert.Equal(ModeTest.NonZeroExact, wrongRoot.Tests[1]);
        Assert.Equal((LimitClass.Saddle, 2), (wrongRoot.Class, wrongRoot.Index));
        // alpha = 0: a = (0,2,0), b = (0,1,0): p = (0, 5, 0).
        var alpha0 = Predict("3,1,3", "diag(3,2,1)", "weights:W1=[[0,1,0]],W2=[[0],[2],[0]]");
        Assert.Equal((LimitClass.Saddle, 2, true), (alpha0.Class, alpha0.Index, alpha0.Exact));
        // beta = 0 (c > 0): a = e_1, b = e_3: p_1 = 3.
        var beta0 = Predict("3,1,3", "diag(3,2,1)", "weights:W1=[[0,0,1]],W2=[[1],[0],[0]]");
        Assert.Equal((LimitClass.GlobalMinimiser, true), (beta0.Class, beta0.Exact));
        // docs/theory.md, T14's padded example: Z = diag(3,2,1) in 4x3, a = (1,0,0,4), b = (-3,0,0): every p_i = 0, P -> 0.
        var pad = Predict("3,1,4", "[[3,0,0],[0,2,0],[0,0,1],[0,0,0]]", "weights:W1=[[-3,0,0]],W2=[[1],[0],[0],[4]]");
        Assert.Equal((LimitClass.Origin, true), (pad.Class, pad.Exact));
    }

    [Fact]
    public void Irrational_singular_values_with_rational_squares_and_a_zero_diagonal_shift()
    {
        // Z (8x3) with Z^T Z = [[6,3,4],[3,6,0],[4,0,6]]: q = 11, 6, 1, s = sqrt 11, sqrt 6, 1. G - 6 I has a zero diagonal
        // (the inertia check's congruence step). v_2 = (0,4,-3); x = +-Z v_2, y = v_2: p = (0, +-2, 0) (mpmath).
        const string z = "[[2,1,4/3],[1,1/2,2/3],[1,1/2,2/3],[0,3/2,-2/3],[0,3/2,-2/3],[0,0,1],[0,0,1],[0,0,2/3]]";
        var modes = ExactModes.Of(new NumericTarget(MatrixLiteral.Parse(z)));
        Assert.Equal(new Rational[] { 11, 6, 1 }, Enumerable.Range(0, 3).Select(i => modes.Mode(i).Q));
        var saddle = Predict("3,1,8", z, "balanced:sigma=1,x=0;0;0;8;8;-3;-3;-2,y=0;4;-3");
        Assert.Equal((LimitClass.Saddle, 2, true), (saddle.Class, saddle.Index, saddle.Exact));
        var origin = Predict("3,1,8", z, "balanced:sigma=1,x=0;0;0;-8;-8;3;3;2,y=0;4;-3");
        Assert.Equal((LimitClass.Origin, true), (origin.Class, origin.Exact));
    }

    // ------------------------------------------------------------------ rate fits

    [Fact]
    public void A_wrong_origin_exponent_is_still_contradicted()
    {
        // balanced.T12.origin (N = 3, exponent -3, a settled power law) with a wrong value -5: the asymptotic rule may not hide it.
        const string lemma = "id = \"rate.origin.wrong\"\n[[network]]\nwidths = [3, 2, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"converges\"\n" +
            "init = \"balanced:sigma=1/2,x=-1;0;0,y=1;0;0\"\nlimit = \"origin\"\nreduction = \"balanced\"\nt_max = 1000\n[[claim.rate]]\nstage = \"origin\"\nvalue = -5\ntolerance = 0.02\n";
        var verdict = DeepLinearProofs.Tests.Dynamics.EvidenceTests.Converges(lemma);
        Assert.Equal(Status.Contradicted, verdict.Status);
    }
}
