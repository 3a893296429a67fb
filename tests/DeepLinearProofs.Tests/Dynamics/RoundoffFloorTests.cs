using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;
using Xunit;

namespace DeepLinearProofs.Tests.Dynamics;

/// <summary>The step-size floor and the clock use the number type's unit roundoff, not double's.</summary>
public class RoundoffFloorTests
{
    /// <summary>y_i' = -i y_i: the exact solution is y_i(0) e^{-i t}.</summary>
    private sealed class Decay : IVectorField<DoubleDouble>
    {
        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<DoubleDouble> y, Span<DoubleDouble> dy)
        {
            for (int i = 0; i < 2; i++) dy[i] = -((i + 1.0) * y[i]);
        }
    }

    /// <summary>e^{-x} by its Taylor series in double-double (x = 1, 2: 60 terms are far past 1e-32).</summary>
    private static DoubleDouble ExpMinus(double x)
    {
        DoubleDouble term = DoubleDouble.One, sum = DoubleDouble.One;
        for (int k = 1; k < 60; k++)
        {
            term = -(x * term) / DoubleDouble.FromDouble(k);
            sum += term;
        }
        return sum;
    }

    [Theory]
    [InlineData(Method.DormandPrince54)]
    [InlineData(Method.Dop853)]
    public void A_double_double_run_late_in_time_reaches_rtol_1e_24(Method method)
    {
        // Over [1e12, 1e12 + 1] double's floor 10 |t| 2.2e-16 = 2.2e-3 is above the steps that rtol 1e-24 needs,
        // and a double clock could not even advance by them (its ulp at 1e12 is 1.2e-4).
        const double t0 = 1e12;
        var y = new[] { DoubleDouble.One, DoubleDouble.One };
        var stats = new AdaptiveIntegrator<DoubleDouble>(new Decay(), new IntegratorOptions(1e-24, 1e-30, method)).Integrate(t0, y, t0 + 1);
        Assert.Equal(IntegrationExit.ReachedEnd, stats.Exit);
        for (int i = 0; i < 2; i++)
        {
            var exact = ExpMinus(i + 1);
            double rel = Math.Abs((y[i] - exact).ToDouble()) / exact.ToDouble();
            Assert.True(rel < 1e-22, $"{method}: y_{i + 1}(t0 + 1) has relative error {rel:e2}, steps {stats.Steps}");
        }
    }
}
