using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>What the step control made of a trial step's error norm.</summary>
public enum StepVerdict { Accepted, Rejected, Retry, Failed }

/// <summary>
/// The step-size control of one explicit embedded-pair integration, shared by <see cref="AdaptiveIntegrator{T}"/>
/// (one state) and <see cref="BatchIntegrator"/> (one control per lane of a batch): the clock (elapsed time in the run's
/// precision), the final-step rule, the step floor, the attempt cap and the PI controller with the pair's exponents.
/// </summary>
public struct StepControl<T> where T : struct, IReal<T>
{
    private readonly EmbeddedPair<T> _pair;
    private readonly IntegratorOptions _options;
    private readonly double _t0, _tEnd, _floor;
    private readonly T _span;
    private T _elapsed;
    private double _h, _hNext, _errOld;
    private bool _lastRejected;

    public StepControl(EmbeddedPair<T> pair, IntegratorOptions options, double t0, double tEnd, double h0)
    {
        _pair = pair; _options = options; _t0 = t0; _tEnd = tEnd;
        // Time is carried in the run's precision, as the elapsed time since t0: in double-double a double clock
        // would put the final state at sum(h_i) != tEnd (an error of ~1e-16 the tolerance does not see) and could
        // not advance by steps below its ulp, and an absolute clock late in time (t0 = 1e12) would round every
        // step at its own ulp. t = t0 + elapsed is the clock's nearest double, for reporting and step sizes.
        _span = T.FromDouble(tEnd) - T.FromDouble(t0);
        _elapsed = T.Zero;
        _floor = 20 * T.Epsilon;   // smallest relative step: 10 ulps of the clock
        _h = h0; _hNext = h0; _errOld = 1e-4;
        Time = t0;
    }

    /// <summary>The clock (nearest double of t0 + elapsed).</summary>
    public double Time { get; private set; }
    public long Steps { get; private set; }
    public long Rejected { get; private set; }

    /// <summary>Size of the current trial step.</summary>
    public readonly double Step => _h;

    /// <summary>Whether the current trial step ends the interval.</summary>
    public bool Final { get; private set; }

    /// <summary>
    /// The next trial step (h, and in the run's precision hT: exactly the rest of the interval on the final step),
    /// or the exit that ends the run before it.
    /// </summary>
    public IntegrationExit? Next(out T hT, CancellationToken cancel = default)
    {
        hT = T.Zero;
        double remaining = (_span - _elapsed).ToDouble();
        if (!(remaining > 0)) return IntegrationExit.ReachedEnd;
        if (cancel.IsCancellationRequested) return IntegrationExit.Cancelled;
        if (Steps + Rejected >= _options.MaxSteps) return IntegrationExit.MaxSteps;
        double h = Math.Min(_h, _options.MaxStep);
        Final = h > remaining || 1.01 * h >= remaining;
        if (Final) h = remaining;
        _h = h;
        if (h < _floor * Math.Max(Math.Abs(Time), 1)) return IntegrationExit.StepSizeTooSmall;
        hT = Final ? _span - _elapsed : T.FromDouble(h);
        return null;
    }

    /// <summary>
    /// Judges the error norm of the trial step: Accepted (then call <see cref="Advance"/> with the same hT once the
    /// step is taken), Rejected (smaller step), Retry (non-finite error: a tenth of the step) or Failed (non-finite at a
    /// step below 1e-300).
    /// </summary>
    public StepVerdict Judge(double err)
    {
        if (!double.IsFinite(err))
        {
            if (_h < 1e-300) return StepVerdict.Failed;
            _h *= 0.1; Rejected++; _lastRejected = true;
            return StepVerdict.Retry;
        }
        double fac = Math.Pow(Math.Max(err, 1e-300), _pair.Exponent) / Math.Pow(_errOld, _pair.Beta) / 0.9;
        fac = Math.Clamp(fac, 1.0 / 10, 1.0 / 0.2);
        if (err <= 1)
        {
            _errOld = Math.Max(err, 1e-4);
            Steps++;
            double hNew = _h / fac;
            if (_lastRejected) hNew = Math.Min(hNew, _h);
            _hNext = hNew;
            return StepVerdict.Accepted;
        }
        Rejected++;
        _lastRejected = true;
        _h /= Math.Min(1.0 / 0.2, Math.Pow(err, _pair.Exponent) / 0.9);
        return StepVerdict.Rejected;
    }

    /// <summary>Moves the clock over the accepted step and takes the controller's next step size.</summary>
    public void Advance(T hT)
    {
        _elapsed = Final ? _span : _elapsed + hT;
        Time = Final ? _tEnd : _t0 + _elapsed.ToDouble();
        _lastRejected = false;
        _h = _hNext;
    }

    /// <summary>Moves the clock to a point inside the accepted step (a terminal event at theta in [0, 1]).</summary>
    public void StopInside(double theta) => Time += theta * _h;

    /// <summary>
    /// Hairer's initial step guess from y0 and f0 = F(y0): one extra evaluation of F at y0 + h f0 (into f1, using tmp).
    /// </summary>
    public static double InitialStep(IVectorField<T> field, IntegratorOptions options, int order, ReadOnlySpan<T> y0, ReadOnlySpan<T> f0,
        Span<T> tmp, Span<T> f1, double t, double tEnd)
    {
        int n = y0.Length;
        double dnf = 0, dny = 0;
        for (int m = 0; m < n; m++)
        {
            double sk = options.AbsTol + options.RelTol * Math.Abs(y0[m].ToDouble());
            double f = f0[m].ToDouble() / sk, y = y0[m].ToDouble() / sk;
            dnf += f * f; dny += y * y;
        }
        double h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.Sqrt(dny / dnf) * 0.01;
        h = Math.Min(h, Math.Min(options.MaxStep, tEnd - t));
        T hT = T.FromDouble(h);
        for (int m = 0; m < n; m++) tmp[m] = y0[m] + hT * f0[m];
        field.Evaluate(tmp, f1);
        double der2 = 0;
        for (int m = 0; m < n; m++)
        {
            double sk = options.AbsTol + options.RelTol * Math.Abs(y0[m].ToDouble());
            double d = (f1[m] - f0[m]).ToDouble() / sk;
            der2 += d * d;
        }
        der2 = Math.Sqrt(der2) / h;
        double der12 = Math.Max(Math.Abs(der2), Math.Sqrt(dnf));
        double h1 = der12 <= 1e-15 ? Math.Max(1e-6, Math.Abs(h) * 1e-3) : Math.Pow(0.01 / der12, 1.0 / order);
        return Math.Min(Math.Min(100 * Math.Abs(h), h1), Math.Min(options.MaxStep, tEnd - t));
    }
}
