using System.Numerics;
using System.Runtime.InteropServices;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// Embedded explicit Runge-Kutta integration with error control: Dormand-Prince 5(4) (PI step-size
/// control, Shampine's 4th-order dense output) or DOP853 (8th order with Hairer's 5th/3rd-order error
/// estimate and 7th-order dense output, three extra evaluations per step, computed only when events are located). Events are located on the dense output by the Illinois method.
/// All work arrays are allocated once; a step allocates nothing.
/// </summary>
public sealed class AdaptiveIntegrator<T> where T : struct, IReal<T>
{
    private readonly IVectorField<T> _field;
    private readonly IntegratorOptions _options;
    private readonly int _n;
    private readonly int _stages;
    private readonly T[][] _k;
    private readonly (int J, T A)[][] _a;
    private readonly (int J, T B)[] _b;
    private readonly (int J, T E)[] _e;
    private readonly (int J, T E)[] _b3;   // b - bhh: DOP853's 3rd-order error estimator
    private readonly T[] _err, _err3;
    private readonly (int J, T A)[][] _denseA = [];   // DOP853: stages 14-16 over the 16-stage list
    private readonly (int J, T D)[][] _denseD = [];   // DOP853: d_4..d_7
    private readonly T[][] _all = [];                 // DOP853: k_1..k_12, F(y_new), k_14..k_16
    private readonly (int J, T D)[] _d;
    private readonly double _exponent;
    private readonly double _beta;
    private readonly T[] _y, _yNew, _yTmp, _fNew, _dense, _denseBuffer;
    private double _hLast;
    private long _evaluations;

    public AdaptiveIntegrator(IVectorField<T> field, IntegratorOptions options)
    {
        _field = field;
        _options = options;
        _n = field.Dimension;
        if (options.Method == Method.DormandPrince54)
        {
            _stages = 7;
            if (options.Method == Method.Stiff) throw new ArgumentException("Method.Stiff is driven by StiffIntegrator", nameof(options));
            _a = Sparse(Tableaus.Dp54A);
            _b = Nonzero(Tableaus.Dp54A[^1]);
            _e = Nonzero(Tableaus.Dp54E);
            _b3 = [];
            _d = Nonzero(Tableaus.Dp54D);
            _exponent = 0.2 - 0.04 * 0.75;
            _beta = 0.04;
        }
        else
        {
            _stages = 12;
            _a = Sparse(Tableaus.Dop853A);
            _b = Nonzero(Tableaus.Dop853B);
            _e = Nonzero(Tableaus.Dop853Er);
            var bhh = Tableaus.Dop853Bhh;
            _d = [];
            _b3 = Tableaus.Dop853B.Select((r, j) => j switch
                {
                    0 => r - bhh[0],
                    8 => r - bhh[1],
                    11 => r - bhh[2],
                    _ => r,
                }).Select((r, j) => (j, r)).Where(p => !p.r.IsZero).Select(p => (p.j, T.FromRational(p.r))).ToArray();
            _exponent = 1.0 / 8;
            _beta = 0;
        }
        _k = new T[_stages][];
        for (int i = 0; i < _stages; i++) _k[i] = new T[_n];
        _y = new T[_n]; _yNew = new T[_n]; _yTmp = new T[_n]; _fNew = new T[_n];
        _dense = new T[(options.Method == Method.Dop853 ? 8 : 5) * _n]; _denseBuffer = new T[_n];
        if (options.Method == Method.Dop853)
        {
            _denseA = Sparse(Tableaus.Dop853DenseA);
            _denseD = Sparse(Tableaus.Dop853DenseD);
            _all = [.. _k, _fNew, new T[_n], new T[_n], new T[_n]];
        }
        _err = new T[_n]; _err3 = new T[_n];
    }

    private static (int, T)[][] Sparse(Algebra.Rational[][] rows) => rows.Select(Nonzero).ToArray();

    private static (int, T)[] Nonzero(Algebra.Rational[] row) =>
        row.Select((r, j) => (j, r)).Where(p => !p.r.IsZero).Select(p => (p.j, T.FromRational(p.r))).ToArray();

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
        // Time is carried in the run's precision too: in double-double a double clock would put the
        // final state at sum(h_i) != tEnd, an error of ~1e-16 that the tolerance does not see.
        T tT = T.FromDouble(t0), tEndT = T.FromDouble(tEnd);
        long steps = 0, rejected = 0;
        _evaluations = 0;
        onStep?.Invoke(t, _y);
        Eval(_y, _k[0]);
        if (!AllFinite(_k[0])) return Finish(IntegrationExit.NonFinite, t, y0, steps, rejected, hits, maxProjection);
        double h = _options.InitialStep > 0 ? _options.InitialStep : InitialStep(t, tEnd);
        double errOld = 1e-4;
        bool lastRejected = false;
        int stiffSteps = 0;
        while (t < tEnd)
        {
            if (cancel.IsCancellationRequested) return Finish(IntegrationExit.Cancelled, t, y0, steps, rejected, hits, maxProjection);
            if (steps + rejected >= _options.MaxSteps) return Finish(IntegrationExit.MaxSteps, t, y0, steps, rejected, hits, maxProjection);
            h = Math.Min(h, _options.MaxStep);
            bool final = t + h > tEnd || t + 1.01 * h >= tEnd;
            if (final) h = tEnd - t;
            if (h < 10 * Math.Max(Math.Abs(t), 1) * 2.2e-16) return Finish(IntegrationExit.StepSizeTooSmall, t, y0, steps, rejected, hits, maxProjection);
            T hT = final ? tEndT - tT : T.FromDouble(h);
            double err = Step(h, hT);
            if (!double.IsFinite(err))
            {
                if (h < 1e-300) return Finish(IntegrationExit.NonFinite, t, y0, steps, rejected, hits, maxProjection);
                h *= 0.1; rejected++; lastRejected = true; continue;
            }
            double fac = Math.Pow(Math.Max(err, 1e-300), _exponent) / Math.Pow(errOld, _beta) / 0.9;
            fac = Math.Clamp(fac, 1.0 / 10, 1.0 / 0.2);
            if (err <= 1)
            {
                errOld = Math.Max(err, 1e-4);
                steps++;
                double tNew = final ? tEnd : t + h;
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
                bool stiff = _options.StopWhenStiff && _options.Method == Method.Dop853 && StiffnessIndicator(h) > 6.1;
                stiffSteps = stiff ? stiffSteps + 1 : 0;
                t = tNew;
                tT = final ? tEndT : tT + hT;
                _yNew.CopyTo(_y);
                _fNew.CopyTo(_k[0]);
                onStep?.Invoke(t, _y);
                if (stiffSteps >= 15 && t < tEnd)
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
                h /= Math.Min(1.0 / 0.2, Math.Pow(err, _exponent) / 0.9);
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
        int last = _options.Method == Method.DormandPrince54 ? _stages - 1 : _stages;
        for (int s = 1; s < last; s++)
        {
            Combine(_yTmp, _y, hT, _a[s - 1]);
            Eval(_yTmp, _k[s]);
        }
        Combine(_yNew, _y, hT, _b);
        if (_options.Method == Method.DormandPrince54)
        {
            Eval(_yNew, _k[6]);
            _k[6].CopyTo(_fNew, 0);
            Combine(_err, default, hT, _e);
            return Math.Sqrt(SumOfSquares(_err) / _n);
        }
        else
        {
            Combine(_err, default, T.One, _e);
            Combine(_err3, default, T.One, _b3);
            double err = SumOfSquares(_err), err2 = SumOfSquares(_err3);
            double deno = err + 0.01 * err2;
            if (deno <= 0) deno = 1;
            double result = Math.Abs(h) * err * Math.Sqrt(1.0 / (_n * deno));
            if (double.IsFinite(result) && result <= 1) Eval(_yNew, _fNew);
            return result;
        }
    }

    /// <summary>
    /// dst = y + h sum_j c_j k_j (or h sum_j c_j k_j when y is empty). In double this runs as SIMD axpys over
    /// cache-sized chunks; in other precisions element by element.
    /// </summary>
    private void Combine(Span<T> dst, ReadOnlySpan<T> y, T h, (int J, T C)[] terms) => Combine(dst, y, h, terms, _k);

    private void Combine(Span<T> dst, ReadOnlySpan<T> y, T h, (int J, T C)[] terms, T[][] source)
    {
        if (typeof(T) == typeof(F64))
        {
            var d = MemoryMarshal.Cast<T, double>(dst);
            var yd = MemoryMarshal.Cast<T, double>(y);
            double hd = h.ToDouble();
            Span<double> coef = stackalloc double[terms.Length];
            for (int i = 0; i < terms.Length; i++) coef[i] = hd * terms[i].C.ToDouble();
            const int chunk = 512;
            for (int start = 0; start < _n; start += chunk)
            {
                int len = Math.Min(chunk, _n - start);
                var dc = d.Slice(start, len);
                if (yd.IsEmpty) dc.Clear(); else yd.Slice(start, len).CopyTo(dc);
                for (int i = 0; i < terms.Length; i++)
                    Flow.Kernels.Axpy(coef[i], MemoryMarshal.Cast<T, double>(source[terms[i].J].AsSpan(start, len)), dc);
            }
            return;
        }
        for (int m = 0; m < _n; m++)
        {
            T acc = T.Zero;
            foreach (var (j, c) in terms) acc += c * source[j][m];
            dst[m] = y.IsEmpty ? h * acc : y[m] + h * acc;
        }
    }

    /// <summary>h |F(y_new) - F(y_12)| / |y_new - y_12|: h times a Lipschitz estimate along the last stage (Hairer's DOP853 test).</summary>
    private double StiffnessIndicator(double h)
    {
        double num = 0, den = 0;
        for (int m = 0; m < _n; m++)
        {
            double df = (_fNew[m] - _k[11][m]).ToDouble(), dy = (_yNew[m] - _yTmp[m]).ToDouble();
            num += df * df;
            den += dy * dy;
        }
        return den > 0 ? Math.Abs(h) * Math.Sqrt(num / den) : 0;
    }

    /// <summary>sum_m (v_m / sk_m)^2 with sk_m = atol + rtol max(|y_m|, |ynew_m|).</summary>
    private double SumOfSquares(T[] v)
    {
        double atol = _options.AbsTol, rtol = _options.RelTol, sum = 0;
        if (typeof(T) == typeof(F64))
        {
            var vd = MemoryMarshal.Cast<T, double>(v.AsSpan());
            var y0 = MemoryMarshal.Cast<T, double>(_y.AsSpan());
            var y1 = MemoryMarshal.Cast<T, double>(_yNew.AsSpan());
            for (int m = 0; m < vd.Length; m++)
            {
                double r = vd[m] / (atol + rtol * Math.Max(Math.Abs(y0[m]), Math.Abs(y1[m])));
                sum += r * r;
            }
            return sum;
        }
        for (int m = 0; m < _n; m++)
        {
            double r = v[m].ToDouble() / Scale(m);
            sum += r * r;
        }
        return sum;
    }

    private double Scale(int m) =>
        _options.AbsTol + _options.RelTol * Math.Max(Math.Abs(_y[m].ToDouble()), Math.Abs(_yNew[m].ToDouble()));

    /// <summary>Stores the dense-output polynomial of the accepted step from _y to _yNew.</summary>
    private void PrepareDense(T hT)
    {
        for (int m = 0; m < _n; m++)
        {
            T y0 = _y[m], diff = _yNew[m] - y0;
            T bspl = hT * _k[0][m] - diff;
            _dense[m] = y0;
            _dense[_n + m] = diff;
            _dense[2 * _n + m] = bspl;
            _dense[3 * _n + m] = diff - hT * _fNew[m] - bspl;
        }
        if (_d.Length > 0) Combine(_dense.AsSpan(4 * _n, _n), default, hT, _d);
        else if (_denseD.Length > 0)
        {
            // DOP853's 7th-order interpolant: three more stages, then d_4..d_7 (Hairer's contd8).
            for (int s = 0; s < 3; s++)
            {
                Combine(_yTmp, _y, hT, _denseA[s], _all);
                Eval(_yTmp, _all[13 + s]);
            }
            for (int r = 0; r < 4; r++) Combine(_dense.AsSpan((4 + r) * _n, _n), default, hT, _denseD[r], _all);
        }
        else _dense.AsSpan(4 * _n, _n).Clear();
    }

    /// <summary>The dense output at t + theta h of the last accepted step (theta in [0, 1]).</summary>
    public void Interpolate(double theta, Span<T> into)
    {
        T th = T.FromDouble(theta), th1 = T.FromDouble(1 - theta);
        if (_denseD.Length > 0)
        {
            for (int m = 0; m < _n; m++)
                into[m] = _dense[m] + th * (_dense[_n + m] + th1 * (_dense[2 * _n + m] + th * (_dense[3 * _n + m] + th1 * (_dense[4 * _n + m]
                    + th * (_dense[5 * _n + m] + th1 * (_dense[6 * _n + m] + th * _dense[7 * _n + m]))))));
            return;
        }
        for (int m = 0; m < _n; m++)
            into[m] = _dense[m] + th * (_dense[_n + m] + th1 * (_dense[2 * _n + m] + th * (_dense[3 * _n + m] + th1 * _dense[4 * _n + m])));
    }

    private double LocateRoot(EventSpec<T> ev, double gLeft, double gRight)
    {
        double a = 0, b = 1, fa = gLeft, fb = gRight;
        int side = 0;
        for (int it = 0; it < 60 && b - a > 1e-14; it++)
        {
            double c = (a * fb - b * fa) / (fb - fa);
            if (!(c > a && c < b)) c = 0.5 * (a + b);
            Interpolate(c, _denseBuffer);
            double fc = ev.Function(_denseBuffer);
            if (fc == 0) return c;
            if (Math.Sign(fc) == Math.Sign(fb)) { b = c; fb = fc; if (side == -1) fa /= 2; side = -1; }
            else { a = c; fa = fc; if (side == 1) fb /= 2; side = 1; }
        }
        return b;
    }

    private double InitialStep(double t, double tEnd)
    {
        int order = _options.Method == Method.DormandPrince54 ? 5 : 8;
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
        double h1 = der12 <= 1e-15 ? Math.Max(1e-6, Math.Abs(h) * 1e-3) : Math.Pow(0.01 / der12, 1.0 / order);
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
