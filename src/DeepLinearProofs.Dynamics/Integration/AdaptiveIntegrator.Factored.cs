using System.Runtime.InteropServices;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// DOP853 in double on the rank-one flow (T1 with a one-neuron layer) with every stage kept as its layer factors
/// dW_j = u_j v_j^T (<see cref="RankOneGradientFlow{T}.EvaluateFactors"/>): a stage state and the end of step are formed
/// row by row from y and the factors (which stay in L1), so a step reads and writes the weight vector a few times
/// instead of reading twelve dense stage vectors; no evaluation writes a dense derivative. The same pair, coefficients,
/// error norm and step control as the dense path; the states agree with it to rounding. Used when nothing needs the
/// dense stages (no events, projection or stiffness test) and the dense stages would not fit in cache (<see cref="FactorLayout.Pays"/>).
/// </summary>
public sealed partial class AdaptiveIntegrator<T>
{
    private readonly RankOneGradientFlow<F64>? _rankOne;
    private readonly double[][]? _kf;              // the stages as factors; _kf[_pair.NewIndex] is F(y_new)
    private readonly double[]? _factorScratch;
    private readonly int[][]? _stageIndex;
    private readonly double[][]? _stageCoef, _stageCoefScaled;
    private bool _factored;

    /// <summary>Whether the last <see cref="Integrate"/> ran the factored stages (the rank-one flow in double, DOP853, nothing needing dense stages).</summary>
    public bool FactoredStages => _factored;

    private static RankOneGradientFlow<F64>? FactorField(IVectorField<T> field, EmbeddedPair<T> pair, IntegratorOptions options) =>
        typeof(T) == typeof(F64) && field is RankOneGradientFlow<F64> r && pair.Error3 is not null && !pair.Fsal && options.Stages != StageStorage.Dense
        && (options.Stages == StageStorage.Factors || FactorLayout.Pays(field.Dimension, pair.StageCount, sizeof(double))) ? r : null;

    private (double[][] Kf, double[] Scratch, int[][] Index, double[][] Coef, double[][] Scaled) FactorBuffers(RankOneGradientFlow<F64> r)
    {
        var layout = r.Factors;
        var kf = new double[_pair.StageCount][];
        for (int i = 0; i < kf.Length; i++) kf[i] = new double[layout.Length];
        int terms = Math.Max(_pair.A.Max(a => a.Length), _pair.B.Select(t => t.J).Concat(_pair.Error.Select(t => t.J)).Concat(_pair.Error3!.Select(t => t.J)).Distinct().Count());
        var index = _pair.A.Select(row => row.Select(t => t.J).ToArray()).ToArray();
        var coef = _pair.A.Select(row => row.Select(t => t.C.ToDouble()).ToArray()).ToArray();
        return (kf, new double[Kernels.FactorScratch(layout, terms)], index, coef, coef.Select(c => new double[c.Length]).ToArray());
    }

    private void FactorEval(ReadOnlySpan<T> y, double[] into)
    {
        _evaluations++;
        _rankOne!.EvaluateFactors(MemoryMarshal.Cast<T, F64>(y), MemoryMarshal.Cast<double, F64>(into.AsSpan()));
    }

    /// <summary>F(y_0) as factors, expanded into the dense k_0 as well (the initial step and the finiteness check read it).</summary>
    private void FactorStart()
    {
        FactorEval(_y, _kf![0]);
        Kernels.ExpandFactors(_kf[0], MemoryMarshal.Cast<T, double>(_k[0].AsSpan()), _rankOne!.Factors);
    }

    /// <summary>One trial step from _y with _kf[0] = F(_y), as <see cref="Step"/> does it for DOP853 in double.</summary>
    private double FactorStep(double h)
    {
        var layout = _rankOne!.Factors;
        var y = MemoryMarshal.Cast<T, double>(_y.AsSpan());
        var tmp = MemoryMarshal.Cast<T, double>(_yTmp.AsSpan());
        for (int s = 1; s < _pair.NewIndex; s++)
        {
            var c = _stageCoef![s - 1];
            var scaled = _stageCoefScaled![s - 1];
            for (int i = 0; i < c.Length; i++) scaled[i] = h * c[i];
            Kernels.FactorCombination(tmp, y, _kf!, _stageIndex![s - 1], scaled, layout, _factorScratch!);
            FactorEval(_yTmp, _kf![s]);
        }
        EnsureEndOfStep();
        for (int i = 0; i < _endB!.Length; i++) _endBScaled![i] = h * _endB[i];
        var (err, err2) = Kernels.FactorEndOfStep(MemoryMarshal.Cast<T, double>(_yNew.AsSpan()), y, _kf!, _endIndex!, _endBScaled, _endE5!, _endE3!,
            _options.AbsTol, _options.RelTol, layout, _factorScratch!);
        double deno = err + 0.01 * err2;
        if (deno <= 0) deno = 1;
        double result = Math.Abs(h) * err * Math.Sqrt(1.0 / (_n * deno));
        if (double.IsFinite(result) && result <= 1) FactorEval(_yNew, _kf![_pair.NewIndex]);
        return result;
    }

    private void FactorAccept()
    {
        var kf = _kf!;
        (kf[0], kf[_pair.NewIndex]) = (kf[_pair.NewIndex], kf[0]);
    }
}
