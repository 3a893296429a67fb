using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// The second-order Runge-Kutta-Chebyshev method (RKC; van der Houwen and Sommeijer, with Verwer's damping
/// epsilon = 2/13) with error control. Its stability interval [-0.65 s^2, 0] grows with the square of the
/// number of stages s, so a problem whose Jacobian has a real negative spectrum is integrated at a cost that
/// grows like the square root of its stiffness. A gradient flow's Jacobian is minus the (symmetric) Hessian of
/// the loss, so its spectrum is real: this is the structure the method uses. The spectral radius is estimated
/// by a nonlinear power method on finite-difference Hessian-vector products.
/// </summary>
public sealed class ChebyshevIntegrator<T> where T : struct, IReal<T>
{
    private const double Damping = 2.0 / 13;
    public const int MaxStages = 400;
    private readonly IVectorField<T> _field;
    private readonly IntegratorOptions _options;
    private readonly int _n;
    private readonly T[] _yn, _fn, _f, _yNew, _fNew, _direction, _probe, _fProbe;
    private T[] _yPrev, _yPrev2, _yCur;   // rotated by reference between stages
    private readonly Dictionary<int, Coefficients> _coefficients = [];
    private long _evaluations;
    private bool _haveDirection;

    public ChebyshevIntegrator(IVectorField<T> field, IntegratorOptions options)
    {
        _field = field;
        _options = options;
        _n = field.Dimension;
        _yn = new T[_n]; _fn = new T[_n]; _yPrev = new T[_n]; _yPrev2 = new T[_n]; _yCur = new T[_n];
        _f = new T[_n]; _yNew = new T[_n]; _fNew = new T[_n]; _direction = new T[_n]; _probe = new T[_n]; _fProbe = new T[_n];
    }

    /// <summary>The largest number of stages used in a step.</summary>
    public int MaxStagesUsed { get; private set; }

    /// <summary>The last spectral-radius estimate (an upper bound on |lambda| of the Jacobian, with a 1.2 safety factor).</summary>
    public double SpectralRadius { get; private set; }

    public IntegrationStats Integrate(double t0, Span<T> y0, double tEnd, double h0, Action<double, ReadOnlySpan<T>>? onStep = null, CancellationToken cancel = default)
    {
        y0.CopyTo(_yn);
        _evaluations = 0;
        Eval(_yn, _fn);
        double t = t0, h = h0 > 0 ? h0 : 1e-4, errOld = 0, hOld = 0, remaining;
        // The clock is the elapsed time in T (see AdaptiveIntegrator); the step floor is 10 ulps of t.
        T spanT = T.FromDouble(tEnd) - T.FromDouble(t0), elapsed = T.Zero;
        double floor = 20 * T.Epsilon;
        long steps = 0, rejected = 0, sinceRadius = int.MaxValue;
        double rho = 0;
        while ((remaining = (spanT - elapsed).ToDouble()) > 0)
        {
            if (cancel.IsCancellationRequested) return Finish(IntegrationExit.Cancelled, t, y0, steps, rejected);
            if (steps + rejected >= _options.MaxSteps) return Finish(IntegrationExit.MaxSteps, t, y0, steps, rejected);
            if (sinceRadius >= 25) { rho = EstimateSpectralRadius(); sinceRadius = 0; }
            h = Math.Min(h, _options.MaxStep);
            bool final = h >= remaining || 1.01 * h >= remaining;
            if (final) h = remaining;
            int s = 1 + (int)Math.Sqrt(1 + 1.54 * h * rho);
            if (s > MaxStages)
            {
                s = MaxStages;
                h = ((double)(s - 1) * (s - 1) - 1) / (1.54 * rho);
                final = false;
            }
            s = Math.Max(s, 2);
            MaxStagesUsed = Math.Max(MaxStagesUsed, s);
            if (h < floor * Math.Max(Math.Abs(t), 1)) return Finish(IntegrationExit.StepSizeTooSmall, t, y0, steps, rejected);
            double err = Step(h, s);
            if (!double.IsFinite(err)) { h *= 0.1; rejected++; sinceRadius = 25; continue; }
            if (err <= 1)
            {
                steps++;
                sinceRadius++;
                elapsed = final ? spanT : elapsed + T.FromDouble(h);
                t = final ? tEnd : t0 + elapsed.ToDouble();
                _yNew.CopyTo(_yn, 0);
                _fNew.CopyTo(_fn, 0);
                onStep?.Invoke(t, _yn);
                // Step-size choice of the RKC code: a predictive (PI) factor once a previous step exists.
                double fac = errOld > 0 && hOld > 0 ? h / hOld * Math.Pow(errOld / Math.Max(err, 1e-10), 1.0 / 3) * Math.Pow(1 / Math.Max(err, 1e-10), 1.0 / 3) : Math.Pow(1 / Math.Max(err, 1e-10), 1.0 / 3);
                fac = Math.Clamp(0.8 * Math.Min(fac, Math.Pow(1 / Math.Max(err, 1e-10), 1.0 / 3)), 0.1, 10);
                errOld = err; hOld = h;
                h *= fac;
            }
            else
            {
                rejected++;
                sinceRadius = 25;   // re-estimate the radius after a rejection
                h *= Math.Clamp(0.8 * Math.Pow(1 / err, 1.0 / 3), 0.1, 0.9);
            }
        }
        return Finish(IntegrationExit.ReachedEnd, t, y0, steps, rejected);
    }

    private IntegrationStats Finish(IntegrationExit exit, double t, Span<T> y0, long steps, long rejected)
    {
        _yn.CopyTo(y0);
        return new IntegrationStats(exit, t, steps, rejected, _evaluations, [], 0);
    }

    private static Span<double> D(T[] v) => System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(v.AsSpan());

    private void Eval(ReadOnlySpan<T> y, Span<T> dy)
    {
        _evaluations++;
        _field.Evaluate(y, dy);
    }

    private sealed record Coefficients(double[] Mu, double[] Nu, double[] MuTilde, double[] GammaTilde, double MuTilde1);

    /// <summary>The RKC recursion coefficients for s stages (Chebyshev polynomials at w0 = 1 + epsilon/s^2).</summary>
    private Coefficients For(int s)
    {
        if (_coefficients.TryGetValue(s, out var c)) return c;
        double w0 = 1 + Damping / (s * s);
        var tj = new double[s + 1];
        var d1 = new double[s + 1];
        var d2 = new double[s + 1];
        tj[0] = 1; tj[1] = w0; d1[0] = 0; d1[1] = 1; d2[0] = 0; d2[1] = 0;
        for (int j = 2; j <= s; j++)
        {
            tj[j] = 2 * w0 * tj[j - 1] - tj[j - 2];
            d1[j] = 2 * tj[j - 1] + 2 * w0 * d1[j - 1] - d1[j - 2];
            d2[j] = 4 * d1[j - 1] + 2 * w0 * d2[j - 1] - d2[j - 2];
        }
        double w1 = d1[s] / d2[s];
        var b = new double[s + 1];
        for (int j = 2; j <= s; j++) b[j] = d2[j] / (d1[j] * d1[j]);
        b[0] = b[1] = b[2];
        var a = new double[s + 1];
        for (int j = 0; j <= s; j++) a[j] = 1 - b[j] * tj[j];
        var mu = new double[s + 1];
        var nu = new double[s + 1];
        var muT = new double[s + 1];
        var gT = new double[s + 1];
        for (int j = 2; j <= s; j++)
        {
            mu[j] = 2 * b[j] * w0 / b[j - 1];
            nu[j] = -b[j] / b[j - 2];
            muT[j] = 2 * b[j] * w1 / b[j - 1];
            gT[j] = -a[j - 1] * muT[j];
        }
        c = new Coefficients(mu, nu, muT, gT, b[1] * w1);
        _coefficients[s] = c;
        return c;
    }

    /// <summary>One RKC step of size h with s stages from (_yn, _fn); returns the scaled error estimate.</summary>
    private double Step(double h, int s)
    {
        var c = For(s);
        T hT = T.FromDouble(h);
        // Y_1 = y_n + mu~_1 h F(y_n); _yPrev2 = Y_{j-2}, _yPrev = Y_{j-1}.
        _yn.CopyTo(_yPrev2, 0);
        T m1 = T.FromDouble(c.MuTilde1 * h);
        for (int i = 0; i < _n; i++) _yPrev[i] = _yn[i] + m1 * _fn[i];
        for (int j = 2; j <= s; j++)
        {
            Eval(_yPrev, _f);
            T mu = T.FromDouble(c.Mu[j]), nu = T.FromDouble(c.Nu[j]), one = T.FromDouble(1 - c.Mu[j] - c.Nu[j]);
            T mt = T.FromDouble(c.MuTilde[j] * h), gt = T.FromDouble(c.GammaTilde[j] * h);
            if (typeof(T) == typeof(F64))
                Flow.Kernels.ChebyshevStage(D(_yCur), D(_yn), D(_yPrev), D(_yPrev2), D(_f), D(_fn),
                    one.ToDouble(), mu.ToDouble(), nu.ToDouble(), mt.ToDouble(), gt.ToDouble());
            else
                for (int i = 0; i < _n; i++)
                    _yCur[i] = one * _yn[i] + mu * _yPrev[i] + nu * _yPrev2[i] + mt * _f[i] + gt * _fn[i];
            // Rotate Y_{j-2} <- Y_{j-1} <- Y_j by reference, without copying or allocating.
            (_yPrev2, _yPrev, _yCur) = (_yPrev, _yCur, _yPrev2);
        }
        _yPrev.CopyTo(_yNew, 0);
        Eval(_yNew, _fNew);
        // Local error estimate of the RKC code: 0.8 (y_n - y_{n+1}) + 0.4 h (F_n + F_{n+1}).
        double atol = _options.AbsTol, rtol = _options.RelTol, sum = 0;
        for (int i = 0; i < _n; i++)
        {
            double est = 0.8 * (_yn[i] - _yNew[i]).ToDouble() + 0.4 * h * (_fn[i] + _fNew[i]).ToDouble();
            double sk = atol + rtol * Math.Max(Math.Abs(_yn[i].ToDouble()), Math.Abs(_yNew[i].ToDouble()));
            double r = est / sk;
            sum += r * r;
        }
        return Math.Sqrt(sum / _n);
    }

    /// <summary>
    /// Nonlinear power method: d := (F(y + e d) - F(y)) / e, normalised, converging to the dominant eigenvector of the
    /// Jacobian; returns 1.2 |lambda_max| (warm-started from the previous direction).
    /// </summary>
    private double EstimateSpectralRadius()
    {
        double ynorm = 0;
        foreach (var v in _yn) ynorm += v.ToDouble() * v.ToDouble();
        ynorm = Math.Sqrt(ynorm);
        if (!_haveDirection)
        {
            var rng = new Random(12345);
            for (int i = 0; i < _n; i++) _direction[i] = T.FromDouble(rng.NextDouble() - 0.5);
            _haveDirection = true;
        }
        Normalise(_direction);
        // Forward-difference step sqrt(machine epsilon of T) relative to |y|: the products are formed in T.
        double eps = Math.Sqrt(2 * T.Epsilon) * (1 + ynorm), rho = 0;
        for (int it = 0; it < 30; it++)
        {
            T e = T.FromDouble(eps);
            for (int i = 0; i < _n; i++) _probe[i] = _yn[i] + e * _direction[i];
            Eval(_probe, _fProbe);
            for (int i = 0; i < _n; i++) _direction[i] = T.FromDouble((_fProbe[i] - _fn[i]).ToDouble() / eps);
            double norm = Normalise(_direction);
            if (norm == 0) { rho = 0; break; }
            bool converged = it > 2 && Math.Abs(norm - rho) <= 0.01 * norm;
            rho = norm;
            if (converged) break;
        }
        SpectralRadius = 1.2 * rho;
        return SpectralRadius;
    }

    private double Normalise(T[] v)
    {
        double s = 0;
        foreach (var x in v) s += x.ToDouble() * x.ToDouble();
        s = Math.Sqrt(s);
        if (s > 0)
        {
            T inv = T.FromDouble(1 / s);
            for (int i = 0; i < v.Length; i++) v[i] = inv * v[i];
        }
        return s;
    }
}
