using DeepLinearProofs.Dynamics.Flow;

namespace DeepLinearProofs.Dynamics.Reduced;

/// <summary>
/// The exact solution of the two-layer flow with a hidden neuron (docs/theory.md, T13, T14): a' = E b, b' = E^T a.
/// In the singular bases alpha_i = u_i^T a, beta_i = v_i^T b obey
/// (alpha_i, beta_i)' = (-(A+B)/2 I + K_i)(alpha_i, beta_i) with K_i = [[c/2, s_i], [s_i, -c/2]] (s_i = 0 past the rank),
/// so (alpha_i, beta_i)(t) = psi(t)^{-1/2} expm(K_i t)(alpha_i, beta_i)(0) with psi' = sum_i |expm(K_i t) m_i|^2, psi(0) = 1,
/// which integrates in closed form. Everything is evaluated with a common exponential scale so that t = 100 does not overflow.
/// </summary>
public sealed class TwoLayerModes
{
    private readonly NumericTarget _z;
    private readonly double[] _alpha0, _beta0, _s;
    private readonly int _modes;

    /// <summary>c = |a|^2 - |b|^2, conserved (T3).</summary>
    public double C { get; }

    public NumericTarget Target => _z;

    /// <summary>
    /// The modes, optionally restricted to a certified set: for each 1-based i in <paramref name="zeroModes"/>
    /// (p_i = 0 proved exactly) the pair (alpha_i, beta_i)(0) is put exactly on the decaying eigenvector
    /// e_- = (s_i, -(mu_i + c/2)) of K_i, which is where an exact start already lies (docs/theory.md, section 7, E4).
    /// </summary>
    public TwoLayerModes(NumericTarget z, double[] a0, double[] b0, IReadOnlyCollection<int>? zeroModes = null)
    {
        _z = z;
        _modes = Math.Max(z.Rows, z.Cols);
        _alpha0 = new double[_modes];
        _beta0 = new double[_modes];
        _s = new double[_modes];
        for (int i = 0; i < _modes; i++)
        {
            _s[i] = z.S(i);
            if (i < z.Rows) _alpha0[i] = z.UComponent(i, a0);
            if (i < z.Cols) _beta0[i] = z.VComponent(i, b0);
        }
        C = a0.Sum(v => v * v) - b0.Sum(v => v * v);
        foreach (var i1 in zeroModes ?? [])
        {
            int i = i1 - 1;
            double e1 = _s[i], e2 = -(Mu(i) + C / 2), n = Math.Sqrt(e1 * e1 + e2 * e2);
            if (n == 0) continue;
            e1 /= n; e2 /= n;
            double along = _alpha0[i] * e1 + _beta0[i] * e2;
            _alpha0[i] = along * e1;
            _beta0[i] = along * e2;
        }
    }

    /// <summary>mu_i = sqrt(c^2/4 + s_i^2) (T14).</summary>
    public double Mu(int i) => Math.Sqrt(C * C / 4 + _s[i] * _s[i]);

    /// <summary>p_i = s_i alpha_i(0) + (mu_i - c/2) beta_i(0) (T14).</summary>
    public double P(int i) => _s[i] * _alpha0[i] + (Mu(i) - C / 2) * _beta0[i];

    public double Alpha0(int i) => _alpha0[i];
    public double Beta0(int i) => _beta0[i];

    /// <summary>(a, b) at time t.</summary>
    public (double[] A, double[] B) At(double t)
    {
        // Common scale e^{-M t}, M = the largest mu, so every term is at most O(1).
        double m = Enumerable.Range(0, _modes).Max(Mu);
        double psiScaled = Math.Exp(-2 * m * t);   // psi(0) = 1, scaled
        var alpha = new double[_modes];
        var beta = new double[_modes];
        for (int i = 0; i < _modes; i++)
        {
            double mu = Mu(i), s = _s[i], c2 = C / 2;
            double a0 = _alpha0[i], b0 = _beta0[i];
            double norm2 = a0 * a0 + b0 * b0;
            double kq = c2 * a0 * a0 + 2 * s * a0 * b0 - c2 * b0 * b0;   // m^T K m
            // expm(K t) = cosh(mu t) I + sinh(mu t)/mu K, scaled by e^{-M t}.
            double ch = ScaledCosh(mu, t, m), sh = mu > 0 ? ScaledSinh(mu, t, m) / mu : t * Math.Exp(-m * t);
            alpha[i] = ch * a0 + sh * (c2 * a0 + s * b0);
            beta[i] = ch * b0 + sh * (s * a0 - c2 * b0);
            // int_0^t |expm(K r) m|^2 dr = |m|^2 sinh(2 mu t)/(2 mu) + m^T K m (cosh(2 mu t) - 1)/(2 mu^2), scaled by e^{-2 M t}.
            if (mu > 0)
                psiScaled += norm2 * ScaledSinh(2 * mu, t, 2 * m) / (2 * mu) + kq * (ScaledCosh(2 * mu, t, 2 * m) - Math.Exp(-2 * m * t)) / (2 * mu * mu);
            else
                psiScaled += norm2 * t * Math.Exp(-2 * m * t);
        }
        double scale = 1 / Math.Sqrt(psiScaled);
        var a = new double[_z.Rows];
        var b = new double[_z.Cols];
        for (int i = 0; i < _modes; i++)
        {
            if (i < _z.Rows) for (int r = 0; r < _z.Rows; r++) a[r] += scale * alpha[i] * _z.U[r, i];
            if (i < _z.Cols) for (int r = 0; r < _z.Cols; r++) b[r] += scale * beta[i] * _z.V[r, i];
        }
        return (a, b);
    }

    private static double ScaledCosh(double mu, double t, double m) => 0.5 * (Math.Exp((mu - m) * t) + Math.Exp((-mu - m) * t));
    private static double ScaledSinh(double mu, double t, double m) => 0.5 * (Math.Exp((mu - m) * t) - Math.Exp((-mu - m) * t));

}
