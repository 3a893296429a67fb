using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Dynamics.Reduced;
using DeepLinearProofs.Networks;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

public class IntegratorTests
{
    private static (Architecture Arch, NumericTarget Z, double[] Y0) TwoLayer(int seed, double scale = 0.3, string target = "diag(3,2,1)")
    {
        var arch = Architecture.Parse("3,1,3");
        var z = NumericTarget.Of(arch, Target.Parse(target));
        var rng = new Random(seed);
        var y0 = Enumerable.Range(0, 6).Select(_ => scale * Gaussian(rng)).ToArray();
        return (arch, z, y0);
    }

    internal static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>State (W_1 = b^T, W_2 = a) of the exact T13 solution at time t.</summary>
    private static double[] Exact(NumericTarget z, double[] y0, double t)
    {
        var modes = new TwoLayerModes(z, y0[3..6], y0[0..3]);
        var (a, b) = modes.At(t);
        return [.. b, .. a];
    }

    private static double[] Run(Method method, double[] y0, NumericTarget z, Architecture arch, double t, double rtol, double atol, double fixedStep = 0)
    {
        var field = GradientFlow<F64>.Create(arch, z);
        var options = new IntegratorOptions(rtol, atol, method) { InitialStep = fixedStep, MaxStep = fixedStep > 0 ? fixedStep : double.PositiveInfinity };
        var y = y0.Select(v => new F64(v)).ToArray();
        var stats = new AdaptiveIntegrator<F64>(field, options).Integrate(0, y, t);
        Assert.Equal(IntegrationExit.ReachedEnd, stats.Exit);
        return y.Select(v => v.Value).ToArray();
    }

    private static double Distance(double[] x, double[] y) => Math.Sqrt(x.Zip(y, (a, b) => (a - b) * (a - b)).Sum());
    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));

    [Theory]
    [InlineData(Method.DormandPrince54, 5, 0.05)]
    [InlineData(Method.Dop853, 8, 0.2)]
    public void Each_pair_shows_its_order_when_the_step_is_halved(Method method, int order, double h)
    {
        var (arch, z, y0) = TwoLayer(3, 0.8);
        var exact = Exact(z, y0, 2);
        // Fixed steps: tolerances so loose that every step is accepted.
        double e1 = Distance(Run(method, y0, z, arch, 2, 1e3, 1e3, h), exact);
        double e2 = Distance(Run(method, y0, z, arch, 2, 1e3, 1e3, h / 2), exact);
        double observed = Math.Log2(e1 / e2);
        Assert.InRange(observed, order - 0.6, order + 1.2);
    }

    [Theory]
    [InlineData(Method.DormandPrince54, 1e-8, 1e-10)]
    [InlineData(Method.Dop853, 1e-10, 1e-12)]
    [InlineData(Method.Dop853, 1e-12, 1e-14)]
    public void The_full_weight_integration_matches_the_exact_two_layer_solution_at_t_20_within_10x_the_tolerance(Method method, double rtol, double atol)
    {
        foreach (var (seed, target) in new[] { (7, "diag(3,2,1)"), (8, "[[2,1,0],[1,3,0],[0,0,1]]"), (9, "diag(3,2)") })
        {
            var (arch, z, y0) = TwoLayer(seed, 0.3, target);
            var exact = Exact(z, y0, 20);
            var y = Run(method, y0, z, arch, 20, rtol, atol);
            double rel = Distance(y, exact) / Norm(exact);
            Assert.True(rel <= 10 * rtol, $"{method} seed {seed} {target}: relative error {rel:e2} > 10 x {rtol:e0}");
        }
    }

    [Theory]
    [InlineData(Method.DormandPrince54)]
    [InlineData(Method.Dop853)]
    public void An_event_is_located_on_the_dense_output_to_high_accuracy(Method method)
    {
        // Scalar flow 1,1,1 with target 2 and balanced start: the loss crosses a level at a time we can also find by bisection.
        var arch = Architecture.Parse("1,1,1");
        var z = NumericTarget.Of(arch, Target.Parse("[[2]]"));
        var field = GradientFlow<F64>.Create(arch, z);
        var y = new[] { new F64(0.1), new F64(0.1) };
        var ev = new EventSpec<F64>("P = 1", s => s[0].Value * s[1].Value - 1, Terminal: true);
        var stats = new AdaptiveIntegrator<F64>(field, new IntegratorOptions(1e-12, 1e-14, method)).Integrate(0, y, 50, events: [ev]);
        Assert.Equal(IntegrationExit.TerminalEvent, stats.Exit);
        // Balanced scalar: w' = (2 - w^2) w, so u = w^2 obeys u' = 2 (2 - u) u: logistic, u(t) = 2 / (1 + (2/u0 - 1) e^{-4t}).
        double u0 = 0.01, tCross = Math.Log((2 / u0 - 1)) / 4;   // u = 1
        Assert.True(Math.Abs(stats.FinalTime - tCross) < 1e-9, $"{stats.FinalTime} vs {tCross}");
        Assert.True(Math.Abs(y[0].Value * y[1].Value - 1) < 1e-10, $"P at the event {y[0].Value * y[1].Value}");
    }

    [Fact]
    public void DOP853s_dense_output_is_accurate_inside_large_steps()
    {
        // Event on the exact T13 solution's loss: cross L = 3 somewhere in a long step; compare the located
        // time with the exact solution's crossing found by bisection.
        var (arch, z, y0) = TwoLayer(7, 0.5);
        double Loss(double[] w) => 0.5 * Enumerable.Range(0, 3).Sum(i => Enumerable.Range(0, 3).Sum(j => Math.Pow(z.Values[i, j] - w[3 + i] * w[j], 2)));
        double ExactLoss(double t) => Loss(Exact(z, y0, t));
        double lo = 0, hi = 20;
        for (int i = 0; i < 200; i++) { double mid = (lo + hi) / 2; if (ExactLoss(mid) > 3) lo = mid; else hi = mid; }
        var field = GradientFlow<F64>.Create(arch, z);
        var y = y0.Select(v => new F64(v)).ToArray();
        var ev = new EventSpec<F64>("L = 3", s => Loss(s.ToArray().Select(v => v.Value).ToArray()) - 3, Terminal: true);
        var stats = new AdaptiveIntegrator<F64>(field, new IntegratorOptions(1e-11, 1e-13, Method.Dop853)).Integrate(0, y, 20, events: [ev]);
        Assert.Equal(IntegrationExit.TerminalEvent, stats.Exit);
        Assert.True(Math.Abs(stats.FinalTime - lo) < 1e-9, $"located {stats.FinalTime}, exact {lo}");
    }

    [Fact]
    public void Double_double_DOP853_reaches_accuracy_that_double_cannot()
    {
        var (arch, z, y0) = TwoLayer(5, 0.5);
        var exact = Exact(z, y0, 3);
        var field = GradientFlow<DoubleDouble>.Create(arch, z);
        var y = y0.Select(DoubleDouble.FromDouble).ToArray();
        var stats = new AdaptiveIntegrator<DoubleDouble>(field, new IntegratorOptions(1e-20, 1e-22, Method.Dop853)).Integrate(0, y, 3);
        Assert.Equal(IntegrationExit.ReachedEnd, stats.Exit);
        // The exact solution is itself evaluated in double, so compare at the 1e-14 level against it and
        // check self-consistency at a much tighter level against a second, tighter run.
        double err = Distance(y.Select(v => v.ToDouble()).ToArray(), exact);
        Assert.True(err < 1e-13, $"error {err:e2}");
        var y2 = y0.Select(DoubleDouble.FromDouble).ToArray();
        new AdaptiveIntegrator<DoubleDouble>(field, new IntegratorOptions(1e-24, 1e-26, Method.Dop853)).Integrate(0, y2, 3);
        double diff = 0;
        for (int i = 0; i < y.Length; i++) diff = Math.Max(diff, Math.Abs((y[i] - y2[i]).ToDouble()));
        Assert.True(diff < 1e-18, $"double-double runs at 1e-20 and 1e-24 differ by {diff:e2}");
    }

    [Theory]
    [InlineData(1.0, 1e-12, "too loose", DeepLinearProofs.Dynamics.Simulation.RequestField.RelTol)]
    [InlineData(1e-17, 1e-20, "below what double precision", DeepLinearProofs.Dynamics.Simulation.RequestField.RelTol)]
    [InlineData(-1e-6, 1e-8, "must be a positive finite number", DeepLinearProofs.Dynamics.Simulation.RequestField.RelTol)]
    [InlineData(1e-6, -1e-8, "must be a finite number >= 0", DeepLinearProofs.Dynamics.Simulation.RequestField.AbsTol)]
    public void Tolerances_outside_the_sane_range_get_a_message(double rtol, double atol, string expected, DeepLinearProofs.Dynamics.Simulation.RequestField field)
    {
        var e = Assert.Throws<DeepLinearProofs.Dynamics.Simulation.RequestFieldException>(() =>
            DeepLinearProofs.Dynamics.Simulation.SimulationRequest.ValidateTolerances(rtol, atol, DeepLinearProofs.Dynamics.Simulation.Precision.Double));
        Assert.Contains(expected, e.Problem);
        Assert.Equal(field, e.Field);
    }
}

public class StiffIntegratorTests
{
    private static (Architecture Arch, NumericTarget Z, double[] Y0) Problem(string widths, int seed, double scale)
    {
        var arch = Architecture.Parse(widths);
        var (z, w) = DeepLinearProofs.Dynamics.Simulation.BenchmarkProblem.Make(arch, seed, scale);
        var exact = new DeepLinearProofs.Algebra.Rational[z.GetLength(0), z.GetLength(1)];
        for (int i = 0; i < z.GetLength(0); i++)
            for (int j = 0; j < z.GetLength(1); j++) exact[i, j] = DeepLinearProofs.Algebra.Rational.FromDouble(z[i, j]);
        return (arch, new NumericTarget(exact), w);
    }

    [Fact]
    public void RKC_is_second_order_when_the_step_is_halved()
    {
        var arch = Architecture.Parse("3,1,3");
        var z = NumericTarget.Of(arch, Target.Parse("diag(3,2,1)"));
        var y0 = new[] { 0.4, -0.3, 0.2, 0.5, 0.1, -0.6 };
        var modes = new TwoLayerModes(z, y0[3..6], y0[0..3]);
        var (a, b) = modes.At(1);
        double[] exact = [.. b, .. a];
        double Error(double h)
        {
            var field = GradientFlow<F64>.Create(arch, z);
            var y = y0.Select(v => new F64(v)).ToArray();
            var options = new IntegratorOptions(1e3, 1e3) { MaxStep = h };
            new ChebyshevIntegrator<F64>(field, options).Integrate(0, y, 1, h);
            return Math.Sqrt(y.Zip(exact, (u, v) => (u.Value - v) * (u.Value - v)).Sum());
        }
        double order = Math.Log2(Error(0.02) / Error(0.01));
        Assert.InRange(order, 1.7, 2.5);
    }

    [Fact]
    public void The_stiff_switch_hands_over_to_RKC_and_reaches_the_same_state_with_far_fewer_evaluations()
    {
        var (arch, z, y0) = Problem("16,8,1,8,16", 2, 0.6);
        var field = GradientFlow<F64>.Create(arch, z);
        var options = new IntegratorOptions(1e-10, 1e-12);
        var reference = y0.Select(v => new F64(v)).ToArray();
        var refStats = new AdaptiveIntegrator<F64>(field, options with { RelTol = 1e-12, AbsTol = 1e-14 }).Integrate(0, reference, 60);
        var explicitY = y0.Select(v => new F64(v)).ToArray();
        var explicitStats = new AdaptiveIntegrator<F64>(field, options).Integrate(0, explicitY, 60);
        var stiffY = y0.Select(v => new F64(v)).ToArray();
        var stiff = new StiffIntegrator<F64>(field, options);
        var stiffStats = stiff.Integrate(0, stiffY, 60);
        Assert.Equal(IntegrationExit.ReachedEnd, stiffStats.Exit);
        Assert.NotNull(stiff.SwitchTime);
        Assert.True(stiffStats.Evaluations * 3 < explicitStats.Evaluations, $"stiff {stiffStats.Evaluations} vs explicit {explicitStats.Evaluations}");
        double diff = stiffY.Zip(reference, (u, v) => Math.Abs(u.Value - v.Value)).Max();
        double explicitDiff = explicitY.Zip(reference, (u, v) => Math.Abs(u.Value - v.Value)).Max();
        Assert.True(diff < Math.Max(10 * explicitDiff, 1e-9), $"stiff result differs from the reference by {diff:e2} (explicit: {explicitDiff:e2}); reference nfev {refStats.Evaluations}");
    }
}
