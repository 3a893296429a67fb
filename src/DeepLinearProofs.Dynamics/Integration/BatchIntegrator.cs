using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>One state for <see cref="BatchIntegrator"/>: an id for the caller, the start, and the interval.</summary>
public sealed record BatchJob(int Id, double[] Start, double T0, double TEnd);

/// <summary>
/// An explicit embedded pair (DOP853 or Dormand-Prince 5(4)) run on four independent states at once, in double,
/// through a <see cref="IBatchVectorField"/>: the stages of the four states are formed and evaluated together
/// (structure of arrays, SIMD across states), while every state keeps its own clock, step size, PI controller and
/// exit (a <see cref="StepControl{T}"/> per lane, the same control <see cref="AdaptiveIntegrator{T}"/> runs). A state
/// that finishes hands its lane to the next job at once. With <see cref="IntegratorOptions.StopWhenStiff"/> each lane
/// runs Hairer's stiffness test as <see cref="AdaptiveIntegrator{T}"/> does and leaves with <see cref="IntegrationExit.Stiff"/>
/// (the explicit phase of the stiff switch; <see cref="StiffIntegrator{T}.Continue"/> runs the rest for that state alone).
/// No events, projections or dense output: those runs go through <see cref="AdaptiveIntegrator{T}"/> one at a time.
/// </summary>
public sealed class BatchIntegrator
{
    public const int Lanes = LaneKernels.Lanes;

    private readonly IBatchVectorField _field;
    private readonly IVectorField<F64> _single;
    private readonly IntegratorOptions _options;
    private readonly EmbeddedPair<F64> _pair;
    private readonly int _n;
    private readonly Vector256<double>[][] _k;
    private readonly Vector256<double>[] _y, _yNew, _yTmp, _err;
    private readonly F64[] _y0, _f0, _tmp, _f1;
    private readonly int[] _endIndex;
    private readonly double[] _endB, _endE5, _endE3;
    private readonly Vector256<double>[] _endBh, _endC5, _endC3, _coef;
    private readonly int[][] _stageIndex, _newIndex, _errorIndex;
    // DOP853 on the rank-one flow: the stages as layer factors (as AdaptiveIntegrator's factored stages), per lane.
    private readonly BatchGradientFlow? _factorField;
    private readonly RankOneGradientFlow<F64>? _singleFactors;
    private readonly Vector256<double>[][]? _kf;
    private readonly Vector256<double>[]? _factorScratch;
    private readonly F64[]? _f0Factors;

    public BatchIntegrator(IBatchVectorField field, IVectorField<F64> single, IntegratorOptions options)
    {
        if (options.Stiffness != Stiffness.Off)
            throw new ArgumentException("BatchIntegrator runs an explicit pair (with StopWhenStiff for the switch's explicit phase); RKC runs one state at a time", nameof(options));
        if (field.Dimension != single.Dimension) throw new ArgumentException("the batched and single fields have different dimensions", nameof(single));
        _field = field;
        _single = single;
        _options = options;
        _pair = EmbeddedPair<F64>.For(options.Method);
        _n = field.Dimension;
        _k = new Vector256<double>[_pair.NewIndex + 1][];
        for (int i = 0; i < _k.Length; i++) _k[i] = new Vector256<double>[_n];
        _y = new Vector256<double>[_n]; _yNew = new Vector256<double>[_n]; _yTmp = new Vector256<double>[_n]; _err = new Vector256<double>[_n];
        _y0 = new F64[_n]; _f0 = new F64[_n]; _tmp = new F64[_n]; _f1 = new F64[_n];
        // DOP853's end of step reads the stages of b, the 5th- and the 3rd-order estimators together.
        var ends = _pair.B.Concat(_pair.Error).Concat(_pair.Error3 ?? []).Select(t => t.J).Distinct().Order().ToArray();
        double Coef((int J, F64 C)[]? terms, int j) { foreach (var (jj, c) in terms ?? []) if (jj == j) return c.Value; return 0; }
        _endIndex = ends;
        _endB = ends.Select(j => Coef(_pair.B, j)).ToArray();
        _endE5 = ends.Select(j => Coef(_pair.Error, j)).ToArray();
        _endE3 = ends.Select(j => Coef(_pair.Error3, j)).ToArray();
        _endBh = new Vector256<double>[ends.Length];
        _endC5 = _endE5.Select(c => Vector256.Create(c)).ToArray();
        _endC3 = _endE3.Select(c => Vector256.Create(c)).ToArray();
        _stageIndex = _pair.A.Select(row => row.Select(t => t.J).ToArray()).ToArray();
        _newIndex = [_pair.B.Select(t => t.J).ToArray()];
        _errorIndex = [_pair.Error.Select(t => t.J).ToArray()];
        _coef = new Vector256<double>[Math.Max(_pair.StageCount, 16)];
        // The stiffness test compares dense stages, so it keeps them (as AdaptiveIntegrator does).
        if (field is BatchGradientFlow bf && single is RankOneGradientFlow<F64> sf && _pair.Error3 is not null && !_pair.Fsal
            && !options.StopWhenStiff && options.Stages != StageStorage.Dense && (options.Stages == StageStorage.Factors || FactorLayout.Pays(_n, _k.Length, Lanes * sizeof(double))))
        {
            _factorField = bf;
            _singleFactors = sf;
            int length = bf.Factors.Length;
            _kf = new Vector256<double>[_k.Length][];
            for (int i = 0; i < _kf.Length; i++) _kf[i] = new Vector256<double>[length];
            _factorScratch = new Vector256<double>[Kernels.FactorScratch(bf.Factors, Math.Max(_pair.A.Max(a => a.Length), ends.Length))];
            _f0Factors = new F64[length];
        }
    }

    /// <summary>Whether the stages are kept as rank-one layer factors (DOP853 on <see cref="BatchGradientFlow"/>); otherwise dense per lane.</summary>
    public bool FactoredStages => _kf is not null;

    private struct Lane
    {
        public BatchJob? Job;
        public StepControl<F64> Control;
        public long Evaluations;
        public double Step;
        public F64 StepT;
        public bool Trial;
        public int StiffSteps;
        public double LastAccepted;
    }

    /// <summary>
    /// Integrates jobs taken from <paramref name="next"/> (null: no more) until none is left, calling
    /// <paramref name="done"/> with each job's statistics and final state as soon as it finishes (on this thread).
    /// </summary>
    public void Run(Func<BatchJob?> next, Action<BatchJob, IntegrationStats, double[]> done, CancellationToken cancel = default)
    {
        var lanes = new Lane[Lanes];
        Array.Clear(_y); Array.Clear(_k[0]);
        if (_kf is not null) Array.Clear(_kf[0]);
        bool more = true;
        for (int l = 0; l < Lanes; l++) more = Fill(ref lanes[l], l, next, done, more);
        Span<double> err = stackalloc double[Lanes];
        Span<double> h = stackalloc double[Lanes];
        while (true)
        {
            // Each running lane proposes its next trial step (or finishes, and its lane takes the next job).
            bool any = false;
            for (int l = 0; l < Lanes; l++)
            {
                ref var lane = ref lanes[l];
                lane.Trial = false;
                while (lane.Job is not null)
                {
                    if (lane.Control.Next(out var hT, cancel) is IntegrationExit exit)
                    {
                        Retire(ref lane, l, exit, done);
                        more = Fill(ref lane, l, next, done, more);
                        continue;
                    }
                    lane.Step = lane.Control.Step;
                    lane.StepT = hT;
                    lane.Trial = true;
                    break;
                }
                h[l] = lane.Trial ? lane.StepT.Value : 0;
                any |= lane.Trial;
            }
            if (!any) return;
            var hv = Vector256.Create(h[0], h[1], h[2], h[3]);
            TrialStep(hv, err);
            // Judge each lane; F(y_new) is needed for the accepted lanes (DOP853 evaluates it after acceptance).
            int accepted = 0;
            for (int l = 0; l < Lanes; l++)
            {
                ref var lane = ref lanes[l];
                if (!lane.Trial) continue;
                lane.Evaluations += _pair.NewIndex - 1 + (_pair.Fsal ? 1 : 0);
                switch (lane.Control.Judge(err[l]))
                {
                    case StepVerdict.Accepted: accepted |= 1 << l; break;
                    case StepVerdict.Failed:
                        Retire(ref lane, l, IntegrationExit.NonFinite, done);
                        more = Fill(ref lane, l, next, done, more);
                        break;
                }
            }
            if (accepted == 0) continue;
            if (!_pair.Fsal)
            {
                if (_kf is not null) _factorField!.EvaluateFactors(_yNew, _kf[_pair.NewIndex]);
                else _field.Evaluate(_yNew, _k[_pair.NewIndex]);
                for (int l = 0; l < Lanes; l++) if ((accepted & (1 << l)) != 0) lanes[l].Evaluations++;
            }
            var stiffness = _options.StopWhenStiff ? StiffnessIndicator(hv) : default;
            int finite = Accept(accepted);
            for (int l = 0; l < Lanes; l++)
            {
                if ((accepted & (1 << l)) == 0) continue;
                ref var lane = ref lanes[l];
                bool final = lane.Control.Final;
                lane.LastAccepted = lane.Step;
                lane.Control.Advance(lane.StepT);
                if ((finite & (1 << l)) == 0)
                {
                    Retire(ref lane, l, IntegrationExit.NonFinite, done);
                    more = Fill(ref lane, l, next, done, more);
                    continue;
                }
                if (!_options.StopWhenStiff) continue;
                lane.StiffSteps = stiffness[l] > _pair.StiffnessBound ? lane.StiffSteps + 1 : 0;
                if (lane.StiffSteps >= 15 && !final)
                {
                    Retire(ref lane, l, IntegrationExit.Stiff, done);
                    more = Fill(ref lane, l, next, done, more);
                }
            }
        }
    }

    /// <summary>Stages of the trial step of every lane (idle lanes have h = 0 and state 0, an equilibrium); err gets each lane's error norm.</summary>
    private void TrialStep(Vector256<double> h, Span<double> err)
    {
        for (int s = 1; s < _pair.NewIndex; s++)
        {
            if (_kf is not null)
            {
                var terms = _pair.A[s - 1];
                for (int t = 0; t < terms.Length; t++) _coef[t] = h * Vector256.Create(terms[t].C.Value);
                LaneKernels.FactorCombination(_yTmp, _y, _kf, _stageIndex[s - 1], _coef.AsSpan(0, terms.Length), _factorField!.Factors, _factorScratch);
                _factorField.EvaluateFactors(_yTmp, _kf[s]);
                continue;
            }
            Combine(_yTmp, _y, h, _pair.A[s - 1], _stageIndex[s - 1]);
            _field.Evaluate(_yTmp, _k[s]);
        }
        var atol = Vector256.Create(_options.AbsTol);
        var rtol = Vector256.Create(_options.RelTol);
        Vector256<double> s5 = default, s3 = default;
        if (_pair.Error3 is not null)
        {
            // y_new, the 5th- and the 3rd-order estimates in one pass (as in the single-state DOP853 step).
            int terms = _endIndex.Length;
            var b = _endBh;
            var c5 = _endC5;
            var c3 = _endC3;
            var index = _endIndex;
            for (int t = 0; t < terms; t++) b[t] = h * Vector256.Create(_endB[t]);
            (s5, s3) = _kf is not null
                ? LaneKernels.FactorEndOfStep(_yNew, _y, _kf, index, b, c5, c3, _options.AbsTol, _options.RelTol, _factorField!.Factors, _factorScratch)
                : LaneKernels.EndOfStep(_yNew, _y, _k, index, b, c5, c3, _options.AbsTol, _options.RelTol);
            for (int l = 0; l < Lanes; l++)
            {
                double e5 = s5[l], e3 = s3[l], deno = e5 + 0.01 * e3;
                if (deno <= 0) deno = 1;
                err[l] = Math.Abs(h[l]) * e5 * Math.Sqrt(1.0 / (_n * deno));
            }
            return;
        }
        Combine(_yNew, _y, h, _pair.B, _newIndex[0]);
        _field.Evaluate(_yNew, _k[_pair.NewIndex]);
        Combine(_err, default, h, _pair.Error, _errorIndex[0]);
        for (int i = 0; i < _n; i++)
        {
            var sk = LaneKernels.Fmadd(rtol, Vector256.Max(Vector256.Abs(_y[i]), Vector256.Abs(_yNew[i])), atol);
            var r = _err[i] / sk;
            s5 = LaneKernels.Fmadd(r, r, s5);
        }
        for (int l = 0; l < Lanes; l++) err[l] = Math.Sqrt(s5[l] / _n);
    }

    /// <summary>
    /// Hairer's test per lane, as <see cref="AdaptiveIntegrator{T}"/> runs it: h |F(y_new) - F(Y_last)| / |y_new - Y_last|
    /// along the last explicit stage (0 where the denominator is 0, as in idle lanes).
    /// </summary>
    private Vector256<double> StiffnessIndicator(Vector256<double> h)
    {
        var fNew = _k[_pair.NewIndex];
        var last = _k[_pair.NewIndex - 1];
        Vector256<double> num = default, den = default;
        for (int i = 0; i < _n; i++)
        {
            var df = fNew[i] - last[i];
            var dy = _yNew[i] - _yTmp[i];
            num = LaneKernels.Fmadd(df, df, num);
            den = LaneKernels.Fmadd(dy, dy, den);
        }
        Span<double> ratio = stackalloc double[Lanes];
        for (int l = 0; l < Lanes; l++) ratio[l] = den[l] > 0 ? Math.Abs(h[l]) * Math.Sqrt(num[l] / den[l]) : 0;
        return Vector256.Create(ratio[0], ratio[1], ratio[2], ratio[3]);
    }

    /// <summary>dst = y + h sum_j c_j k_j per lane (y empty: without the y term); index lists the stages of terms.</summary>
    private void Combine(Vector256<double>[] dst, Vector256<double>[]? y, Vector256<double> h, (int J, F64 C)[] terms, int[] index)
    {
        for (int t = 0; t < terms.Length; t++) _coef[t] = h * Vector256.Create(terms[t].C.Value);
        LaneKernels.Combination(dst, y, _k, index, _coef.AsSpan(0, terms.Length));
    }

    /// <summary>The accepted lanes take y_new and F(y_new); returns the lanes whose new state is finite (bit l).</summary>
    private int Accept(int accepted)
    {
        var mask = Vector256.Create(
            (accepted & 1) != 0 ? -1L : 0, (accepted & 2) != 0 ? -1L : 0, (accepted & 4) != 0 ? -1L : 0, (accepted & 8) != 0 ? -1L : 0).AsDouble();
        var fNew = _k[_pair.NewIndex];
        var k0 = _k[0];
        var check = Vector256<double>.Zero;
        bool dense = _kf is null;
        for (int i = 0; i < _n; i++)
        {
            var yn = _yNew[i];
            _y[i] = Vector256.ConditionalSelect(mask, yn, _y[i]);
            if (dense) k0[i] = Vector256.ConditionalSelect(mask, fNew[i], k0[i]);
            check += yn - yn;   // NaN in a lane as soon as one entry of it is not finite
        }
        if (_kf is not null)
        {
            var fk = _kf[_pair.NewIndex];
            var f0 = _kf[0];
            for (int i = 0; i < f0.Length; i++) f0[i] = Vector256.ConditionalSelect(mask, fk[i], f0[i]);
        }
        int finite = 0;
        for (int l = 0; l < Lanes; l++) if (check[l] == 0) finite |= 1 << l;
        return finite;
    }

    /// <summary>Puts the next job into an idle lane: its start, F(start) and the initial step (one state at a time).</summary>
    private bool Fill(ref Lane lane, int l, Func<BatchJob?> next, Action<BatchJob, IntegrationStats, double[]> done, bool more)
    {
        while (more)
        {
            var job = next();
            if (job is null) break;
            if (job.Start.Length != _n) throw new ArgumentException($"job {job.Id} has {job.Start.Length} entries, the field {_n}");
            for (int i = 0; i < _n; i++) _y0[i] = new F64(job.Start[i]);
            if (_singleFactors is not null)
            {
                // F(start) once, as factors for the lane and expanded for the initial step.
                _singleFactors.EvaluateFactors(_y0, _f0Factors);
                Kernels.ExpandFactors(System.Runtime.InteropServices.MemoryMarshal.Cast<F64, double>(_f0Factors.AsSpan()),
                    System.Runtime.InteropServices.MemoryMarshal.Cast<F64, double>(_f0.AsSpan()), _singleFactors.Factors);
            }
            else _single.Evaluate(_y0, _f0);
            bool finite = true;
            foreach (var v in _f0) finite &= double.IsFinite(v.Value);
            if (!finite)
            {
                done(job, new IntegrationStats(IntegrationExit.NonFinite, job.T0, 0, 0, 1, [], 0), (double[])job.Start.Clone());
                continue;
            }
            double h0 = _options.InitialStep > 0 ? _options.InitialStep
                : StepControl<F64>.InitialStep(_single, _options, _pair.Order, _y0, _f0, _tmp, _f1, job.T0, job.TEnd);
            lane = new Lane { Job = job, Control = new StepControl<F64>(_pair, _options, job.T0, job.TEnd, h0), Evaluations = _options.InitialStep > 0 ? 1 : 2 };
            for (int i = 0; i < _n; i++)
            {
                _y[i] = _y[i].WithElement(l, _y0[i].Value);
                _k[0][i] = _k[0][i].WithElement(l, _f0[i].Value);
            }
            if (_kf is not null)
                for (int i = 0; i < _kf[0].Length; i++) _kf[0][i] = _kf[0][i].WithElement(l, _f0Factors![i].Value);
            return true;
        }
        lane = default;
        return false;
    }

    /// <summary>Reports a lane's job and leaves the lane idle at state 0 (an equilibrium of every gradient flow here).</summary>
    private void Retire(ref Lane lane, int l, IntegrationExit exit, Action<BatchJob, IntegrationStats, double[]> done)
    {
        var job = lane.Job!;
        var final = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            final[i] = _y[i][l];
            _y[i] = _y[i].WithElement(l, 0.0);
            _k[0][i] = _k[0][i].WithElement(l, 0.0);
        }
        if (_kf is not null)
            for (int i = 0; i < _kf[0].Length; i++) _kf[0][i] = _kf[0][i].WithElement(l, 0.0);
        var (c, evaluations, last) = (lane.Control, lane.Evaluations, lane.LastAccepted);
        lane = default;
        done(job, new IntegrationStats(exit, c.Time, c.Steps, c.Rejected, evaluations, [], 0) { LastStep = last }, final);
    }
}
