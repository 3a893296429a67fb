using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Reduced;

/// <summary>One sample of the balanced reduced flow.</summary>
public sealed record BalancedSample(double T, double Tau, double LogSigma, double F, double Loss)
{
    public double Sigma => Math.Exp(LogSigma);
}

/// <summary>
/// The balanced reduction (docs/theory.md, T9, T10): P = sigma x y^T, the direction (x, y) in closed form
/// normalise(expm(J tau)(x_0, y_0)), and d log sigma / d tau = N (f - sigma), dt/d tau = sigma^{-(1-2/N)}.
/// The state (tau, log sigma, t) never underflows near the origin and the clock tau never stalls.
/// </summary>
public sealed class BalancedReduction
{
    private readonly NumericTarget _z;
    private readonly int _depth;
    private readonly double[] _xi, _eta;    // u_i^T x_0, v_i^T y_0 over a full basis
    private readonly int _modes;

    public double Sigma0 { get; }

    public NumericTarget Target => _z;

    public BalancedReduction(NumericTarget z, int depth, double sigma0, double[] x0, double[] y0)
    {
        if (!(sigma0 > 0) || !double.IsFinite(sigma0)) throw new ArgumentOutOfRangeException(nameof(sigma0), "the balanced reduction needs sigma_0 > 0 (sigma_0 = 0 is the equilibrium W = 0, E1)");
        _z = z;
        _depth = depth;
        Sigma0 = sigma0;
        _modes = Math.Max(z.Rows, z.Cols);
        _xi = new double[_modes];
        _eta = new double[_modes];
        double nx = Math.Sqrt(x0.Sum(v => v * v)), ny = Math.Sqrt(y0.Sum(v => v * v));
        for (int i = 0; i < _modes; i++)
        {
            if (i < z.Rows) _xi[i] = z.UComponent(i, x0) / nx;
            if (i < z.Cols) _eta[i] = z.VComponent(i, y0) / ny;
        }
    }

    /// <summary>The reduction of a balanced start (docs/theory.md, section 3).</summary>
    public static BalancedReduction Of(NumericTarget z, int depth, Simulation.BalancedStart start) =>
        new(z, depth, start.Sigma, start.X.Select(r => r.ToDouble()).ToArray(), start.Y.Select(r => r.ToDouble()).ToArray());

    /// <summary>p_i(0) = u_i^T x_0 + v_i^T y_0 (docs/theory.md notation), 0-based i.</summary>
    public double P0(int i) => _xi[i] + _eta[i];

    /// <summary>q_i(0) = u_i^T x_0 - v_i^T y_0, 0-based i.</summary>
    public double Q0(int i) => _xi[i] - _eta[i];

    /// <summary>True when (x_0, y_0) has a component in ker J (a singular direction with s = 0, or past the rank).</summary>
    public bool HasKernelComponent => Enumerable.Range(0, _modes).Any(i => _z.S(i) <= 1e-12 * _z.S(0) && (_xi[i] != 0 || _eta[i] != 0));

    /// <summary>Unit directions (in the singular bases) at time tau, with a common exponential scale removed.</summary>
    public (double[] X, double[] Y) DirectionAt(double tau)
    {
        // Component i of X is (p e^{s tau} + q e^{-s tau})/2 when s_i > 0 and constant otherwise.
        double maxExp = double.NegativeInfinity;
        for (int i = 0; i < _modes; i++)
        {
            double s = _z.S(i), p = _xi[i] + _eta[i], q = _xi[i] - _eta[i];
            if (s > 0)
            {
                if (p != 0) maxExp = Math.Max(maxExp, s * tau);
                if (q != 0) maxExp = Math.Max(maxExp, -s * tau);
            }
            else if (_xi[i] != 0 || _eta[i] != 0) maxExp = Math.Max(maxExp, 0);
        }
        var x = new double[_modes];
        var y = new double[_modes];
        for (int i = 0; i < _modes; i++)
        {
            double s = _z.S(i);
            if (s > 0)
            {
                double p = _xi[i] + _eta[i], q = _xi[i] - _eta[i];
                double ep = p == 0 ? 0 : p * Math.Exp(s * tau - maxExp), eq = q == 0 ? 0 : q * Math.Exp(-s * tau - maxExp);
                x[i] = (ep + eq) / 2;
                y[i] = (ep - eq) / 2;
            }
            else
            {
                x[i] = _xi[i] * Math.Exp(-maxExp);
                y[i] = _eta[i] * Math.Exp(-maxExp);
            }
        }
        Normalise(x);
        Normalise(y);
        return (x, y);
    }

    /// <summary>f = x^T Z y along the closed-form direction.</summary>
    public double F(double tau)
    {
        var (x, y) = DirectionAt(tau);
        double f = 0;
        for (int i = 0; i < _modes; i++) f += _z.S(i) * x[i] * y[i];
        return f;
    }

    /// <summary>Integrates (tau, log sigma, t) until t reaches tMax (or tau reaches tauMax), sampling every accepted step.</summary>
    public (List<BalancedSample> Samples, IntegrationStats Stats) Run(double tMax, double tauMax, IntegratorOptions options, CancellationToken cancel = default, double? stopWhenSigmaReaches = null)
    {
        var field = new ReducedField(this);
        var integrator = new AdaptiveIntegrator<F64>(field, options);
        var y = new[] { new F64(0), new F64(Math.Log(Sigma0)), new F64(0) };
        var samples = new List<BalancedSample>();
        double zz = _z.FrobeniusSquared;
        var stop = new EventSpec<F64>("t = t_max", s => s[2].Value - tMax, Terminal: true);
        var events = new List<EventSpec<F64>> { stop };
        if (stopWhenSigmaReaches is double level)
            events.Add(new EventSpec<F64>("sigma = level", s => s[1].Value - Math.Log(level), Terminal: true));
        var stats = integrator.Integrate(0, y, tauMax, (_, s) =>
        {
            double tau = s[0].Value, ls = s[1].Value, sigma = Math.Exp(ls), f = F(tau);
            samples.Add(new BalancedSample(s[2].Value, tau, ls, f, 0.5 * (zz - 2 * sigma * f + sigma * sigma)));
        }, events, cancel: cancel);
        return (samples, stats);
    }

    private sealed class ReducedField(BalancedReduction r) : IVectorField<F64>
    {
        public int Dimension => 3;

        public void Evaluate(ReadOnlySpan<F64> y, Span<F64> dy)
        {
            double tau = y[0].Value, ls = y[1].Value;
            double sigma = Math.Exp(ls);
            dy[0] = new F64(1);
            dy[1] = new F64(r._depth * (r.F(tau) - sigma));
            dy[2] = new F64(Math.Exp(-(1 - 2.0 / r._depth) * ls));
        }
    }

    private static void Normalise(double[] v)
    {
        double n = Math.Sqrt(v.Sum(x => x * x));
        if (n > 0) for (int i = 0; i < v.Length; i++) v[i] /= n;
    }

}
