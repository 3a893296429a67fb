using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// Embedded explicit Runge-Kutta integration with error control, driven by an <see cref="EmbeddedPair{T}"/>:
/// Dormand-Prince 5(4) (PI step-size control, Shampine's 4th-order dense output) or DOP853 (8th order with
/// Hairer's 5th/3rd-order error estimate and 7th-order dense output, whose three extra evaluations per step are
/// made only when events are located). Events are located on the dense output by the Illinois method
/// (AdaptiveIntegrator.Dense.cs). All work arrays are allocated once; a step allocates nothing.
/// The stiff switch is not run here: <see cref="Stiffness.Switch"/> is refused (use <see cref="StiffIntegrator{T}"/>).
/// </summary>
public sealed partial class AdaptiveIntegrator<T> where T : struct, IReal<T>
{
    private readonly IVectorField<T> _field;
    private readonly IntegratorOptions _options;
    private readonly EmbeddedPair<T> _pair;
    private readonly int _n;
    private readonly T[][] _k;          // the pair's stage list; _k[_pair.NewIndex] is F(y_new)
    private readonly T[] _err, _err3;
    private readonly T[] _y, _yNew, _yTmp, _fNew, _dense, _denseBuffer;
    private double _hLast;
    private long _evaluations;

    public AdaptiveIntegrator(IVectorField<T> field, IntegratorOptions options)
    {
        if (options.Stiffness != Stiffness.Off)
            throw new ArgumentException($"AdaptiveIntegrator runs an explicit pair only; Stiffness.{options.Stiffness} is run by StiffIntegrator", nameof(options));
        _pair = EmbeddedPair<T>.For(options.Method);
        _field = field;
        _options = options;
        _n = field.Dimension;
        _k = new T[_pair.StageCount][];
        for (int i = 0; i < _k.Length; i++) _k[i] = new T[_n];
        _fNew = _k[_pair.NewIndex];
        _y = new T[_n]; _yNew = new T[_n]; _yTmp = new T[_n];
        _dense = new T[_pair.DenseRows * _n]; _denseBuffer = new T[_n];
        _err = new T[_n]; _err3 = new T[_n];
    }

    /// <summary>The pair this integrator runs.</summary>
    public EmbeddedPair<T> Pair => _pair;

    /// <summary>
    /// Integrates from (t0, y0) to tEnd, calling <paramref name="onStep"/> at t0 and after every
    /// accepted step (after any projection). y0 is overwritten with the final state.
    /// </summary>
    public IntegrationStats Integrate(double t0, Span<T> y0, double tEnd,
        Action<double, ReadOnlySpan<T>>? onStep = null,
        IReadOnlyList<EventSpec<T>>? events = null,
        IStateProjection<T>? projection = null,
        CancellationToken cancel = default)
    {
        y0.CopyTo(_y);
        events ??= [];
        var hits = new List<EventHit>();
        var g = new double[events.Count];
        for (int i = 0; i < events.Count; i++) g[i] = events[i].Function(_y);
        double t = t0, maxProjection = 0;
        // Time is carried in the run's precision, as the elapsed time since t0: in double-double a double clock
        // would put the final state at sum(h_i) != tEnd (an error of ~1e-16 the tolerance does not see) and could
        // not advance by steps below its ulp, and an absolute clock late in time (t0 = 1e12) would round every
        // step at its own ulp. t = t0 + elapsed is the clock's nearest double, for reporting and step sizes.
        T spanT = T.FromDouble(tEnd) - T.FromDouble(t0), elapsed = T.Zero;
        double floor = 20 * T.Epsilon;   // smallest relative step: 10 ulps of the clock
        long steps = 0, rejected = 0;
        _evaluations = 0;
        onStep?.Invoke(t, _y);
        Eval(_y, _k[0]);
        if (!AllFinite(_k[0])) return Finish(IntegrationExit.NonFinite, t, y0, steps, rejected, hits, maxProjection);
        double h = _options.InitialStep > 0 ? _options.InitialStep : InitialStep(t, tEnd);
        double errOld = 1e-4;
        bool lastRejected = false;
        int stiffSteps = 0;
        double remaining;
        while ((remaining = (spanT - elapsed).ToDouble()) > 0)
        {
            if (cancel.IsCancellationRequested) return Finish(IntegrationExit.Cancelled, t, y0, steps, rejected, hits, maxProjection);
            if (steps + rejected >= _options.MaxSteps) return Finish(IntegrationExit.MaxSteps, t, y0, steps, rejected, hits, maxProjection);
            h = Math.Min(h, _options.MaxStep);
            bool final = h > remaining || 1.01 * h >= remaining;
            if (final) h = remaining;
            if (h < floor * Math.Max(Math.Abs(t), 1)) return Finish(IntegrationExit.StepSizeTooSmall, t, y0, steps, rejected, hits, maxProjection);
            T hT = final ? spanT - elapsed : T.FromDouble(h);
            double err = Step(h, hT);
            if (!double.IsFinite(err))
            {
                if (h < 1e-300) return Finish(IntegrationExit.NonFinite, t, y0, steps, rejected, hits, maxProjection);
                h *= 0.1; rejected++; lastRejected = true; continue;
            }
            double fac = Math.Pow(Math.Max(err, 1e-300), _pair.Exponent) / Math.Pow(errOld, _pair.Beta) / 0.9;
            fac = Math.Clamp(fac, 1.0 / 10, 1.0 / 0.2);
            if (err <= 1)
            {
                errOld = Math.Max(err, 1e-4);
                steps++;
                _hLast = h;
                // The dense output is needed only to locate events (and by Interpolate after an event).
                if (events.Count > 0) PrepareDense(hT);
                if (projection is not null)
                {
                    maxProjection = Math.Max(maxProjection, projection.Project(_yNew));
                    Eval(_yNew, _fNew);
                }
                // Events: sign change of g between t and t + h, located on the dense output.
                double? stopAt = null;
                for (int i = 0; i < events.Count; i++)
                {
                    double gNew = events[i].Function(_yNew);
                    if (g[i] != 0 && Math.Sign(gNew) != Math.Sign(g[i]) && double.IsFinite(gNew))
                    {
                        double theta = LocateRoot(events[i], g[i], gNew);
                        hits.Add(new EventHit(events[i].Name, t + theta * h));
                        if (events[i].Terminal && (stopAt is null || theta < stopAt)) stopAt = theta;
                    }
                    g[i] = gNew;
                }
                if (stopAt is double th)
                {
                    Interpolate(th, _yNew);
                    t += th * h;
                    _yNew.CopyTo(_y);
                    onStep?.Invoke(t, _y);
                    return Finish(IntegrationExit.TerminalEvent, t, y0, steps, rejected, hits, maxProjection);
                }
                bool stiff = _options.StopWhenStiff && StiffnessIndicator(h) > _pair.StiffnessBound;
                stiffSteps = stiff ? stiffSteps + 1 : 0;
                elapsed = final ? spanT : elapsed + hT;
                t = final ? tEnd : t0 + elapsed.ToDouble();
                _yNew.CopyTo(_y);
                _fNew.CopyTo(_k[0]);
                onStep?.Invoke(t, _y);
                if (stiffSteps >= 15 && !final)
                {
                    _hLast = h;
                    return Finish(IntegrationExit.Stiff, t, y0, steps, rejected, hits, maxProjection);
                }
                if (!AllFinite(_y)) return Finish(IntegrationExit.NonFinite, t, y0, steps, rejected, hits, maxProjection);
                double hNew = h / fac;
                if (lastRejected) hNew = Math.Min(hNew, h);
                lastRejected = false;
                h = hNew;
            }
            else
            {
                rejected++;
                lastRejected = true;
                h /= Math.Min(1.0 / 0.2, Math.Pow(err, _pair.Exponent) / 0.9);
            }
        }
        return Finish(IntegrationExit.ReachedEnd, t, y0, steps, rejected, hits, maxProjection);
    }

    private IntegrationStats Finish(IntegrationExit exit, double t, Span<T> y0, long steps, long rejected, List<EventHit> hits, double maxProjection)
    {
        _y.CopyTo(y0);
        return new IntegrationStats(exit, t, steps, rejected, _evaluations, hits, maxProjection);
    }

    private void Eval(ReadOnlySpan<T> y, Span<T> dy)
    {
        _evaluations++;
        _field.Evaluate(y, dy);
    }

    /// <summary>One trial step of size h from _y with _k[0] = F(_y); returns the scaled error norm (accept if &lt;= 1).</summary>
    private double Step(double h, T hT)
    {
        for (int s = 1; s < _pair.NewIndex; s++)
        {
            Combine(_yTmp, _y, hT, _pair.A[s - 1]);
            Eval(_yTmp, _k[s]);
        }
        double result;
        if (typeof(T) == typeof(F64) && _pair.Error3 is not null && !_pair.Fsal)
        {
            // DOP853 in double: y_new and both error sums in one pass over the stages (EndOfStep).
            var (err, err2) = EndOfStep(h);
            double deno = err + 0.01 * err2;
            if (deno <= 0) deno = 1;
            result = Math.Abs(h) * err * Math.Sqrt(1.0 / (_n * deno));
            if (double.IsFinite(result) && result <= 1) Eval(_yNew, _fNew);
            return result;
        }
        Combine(_yNew, _y, hT, _pair.B);
        if (_pair.Fsal) Eval(_yNew, _fNew);
        if (_pair.Error3 is { } error3)
        {
            // Hairer's DOP853 norm: |h| err5^2 / sqrt(n (err5^2 + 0.01 err3^2)).
            Combine(_err, default, T.One, _pair.Error);
            Combine(_err3, default, T.One, error3);
            double err = SumOfSquares(_err), err2 = SumOfSquares(_err3);
            double deno = err + 0.01 * err2;
            if (deno <= 0) deno = 1;
            result = Math.Abs(h) * err * Math.Sqrt(1.0 / (_n * deno));
        }
        else
        {
            Combine(_err, default, hT, _pair.Error);
            result = Math.Sqrt(SumOfSquares(_err) / _n);
        }
        if (!_pair.Fsal && double.IsFinite(result) && result <= 1) Eval(_yNew, _fNew);
        return result;
    }

    private double InitialStep(double t, double tEnd)
    {
        double dnf = 0, dny = 0;
        for (int m = 0; m < _n; m++)
        {
            double sk = _options.AbsTol + _options.RelTol * Math.Abs(_y[m].ToDouble());
            double f = _k[0][m].ToDouble() / sk, y = _y[m].ToDouble() / sk;
            dnf += f * f; dny += y * y;
        }
        double h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.Sqrt(dny / dnf) * 0.01;
        h = Math.Min(h, Math.Min(_options.MaxStep, tEnd - t));
        T hT = T.FromDouble(h);
        for (int m = 0; m < _n; m++) _yTmp[m] = _y[m] + hT * _k[0][m];
        Eval(_yTmp, _fNew);
        double der2 = 0;
        for (int m = 0; m < _n; m++)
        {
            double sk = _options.AbsTol + _options.RelTol * Math.Abs(_y[m].ToDouble());
            double d = (_fNew[m] - _k[0][m]).ToDouble() / sk;
            der2 += d * d;
        }
        der2 = Math.Sqrt(der2) / h;
        double der12 = Math.Max(Math.Abs(der2), Math.Sqrt(dnf));
        double h1 = der12 <= 1e-15 ? Math.Max(1e-6, Math.Abs(h) * 1e-3) : Math.Pow(0.01 / der12, 1.0 / _pair.Order);
        return Math.Min(Math.Min(100 * Math.Abs(h), h1), Math.Min(_options.MaxStep, tEnd - t));
    }

    private static bool AllFinite(ReadOnlySpan<T> y)
    {
        foreach (var v in y) if (!double.IsFinite(v.ToDouble())) return false;
        return true;
    }

    /// <summary>Size of the last accepted step.</summary>
    public double LastStep => _hLast;
}
