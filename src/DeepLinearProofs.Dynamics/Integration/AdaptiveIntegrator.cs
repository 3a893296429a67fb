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
    private T[] _y, _yNew, _fNew;     // swapped, not copied, when a step is accepted
    private readonly T[] _yTmp, _dense, _denseBuffer;
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
        _rankOne = FactorField(field, _pair, options);
        if (_rankOne is not null) (_kf, _factorScratch, _stageIndex, _stageCoef, _stageCoefScaled) = FactorBuffers(_rankOne);
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
        double maxProjection = 0;
        _evaluations = 0;
        _hLast = 0;
        onStep?.Invoke(t0, _y);
        _factored = _rankOne is not null && events.Count == 0 && projection is null && !_options.StopWhenStiff;
        if (_factored) FactorStart();
        else Eval(_y, _k[0]);
        if (!AllFinite(_k[0])) return Finish(IntegrationExit.NonFinite, t0, y0, 0, 0, hits, maxProjection);
        double h0 = _options.InitialStep > 0 ? _options.InitialStep : InitialStep(t0, tEnd);
        var control = new StepControl<T>(_pair, _options, t0, tEnd, h0);
        int stiffSteps = 0;
        while (true)
        {
            if (control.Next(out T hT, cancel) is IntegrationExit exit)
                return Finish(exit, control.Time, y0, control.Steps, control.Rejected, hits, maxProjection);
            double h = control.Step;
            bool final = control.Final;
            double t = control.Time;
            double err = _factored ? FactorStep(h) : Step(h, hT);
            var verdict = control.Judge(err);
            if (verdict == StepVerdict.Failed) return Finish(IntegrationExit.NonFinite, t, y0, control.Steps, control.Rejected, hits, maxProjection);
            if (verdict != StepVerdict.Accepted) continue;
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
                control.StopInside(th);
                _yNew.CopyTo(_y);
                onStep?.Invoke(control.Time, _y);
                return Finish(IntegrationExit.TerminalEvent, control.Time, y0, control.Steps, control.Rejected, hits, maxProjection);
            }
            bool stiff = _options.StopWhenStiff && StiffnessIndicator(h) > _pair.StiffnessBound;
            stiffSteps = stiff ? stiffSteps + 1 : 0;
            control.Advance(hT);
            AcceptSwap();
            if (_factored) FactorAccept();
            onStep?.Invoke(control.Time, _y);
            if (stiffSteps >= 15 && !final)
                return Finish(IntegrationExit.Stiff, control.Time, y0, control.Steps, control.Rejected, hits, maxProjection);
            if (!AllFinite(_y)) return Finish(IntegrationExit.NonFinite, control.Time, y0, control.Steps, control.Rejected, hits, maxProjection);
        }
    }

    private IntegrationStats Finish(IntegrationExit exit, double t, Span<T> y0, long steps, long rejected, List<EventHit> hits, double maxProjection)
    {
        _y.CopyTo(y0);
        return new IntegrationStats(exit, t, steps, rejected, _evaluations, hits, maxProjection) { LastStep = _hLast };
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
        _evaluations++;
        return StepControl<T>.InitialStep(_field, _options, _pair.Order, _y, _k[0], _yTmp, _fNew, t, tEnd);
    }

    /// <summary>y takes y_new and k_0 takes F(y_new) by swapping the arrays (two full copies per step otherwise).</summary>
    private void AcceptSwap()
    {
        (_y, _yNew) = (_yNew, _y);
        var f0 = _k[0];
        _k[0] = _fNew;
        _k[_pair.NewIndex] = f0;
        _fNew = f0;
    }

    private static bool AllFinite(ReadOnlySpan<T> y)
    {
        if (typeof(T) == typeof(F64)) return Flow.Kernels.AllFinite(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(y));
        foreach (var v in y) if (!double.IsFinite(v.ToDouble())) return false;
        return true;
    }

    /// <summary>Size of the last accepted step.</summary>
    public double LastStep => _hLast;
}
