using System.Runtime.InteropServices;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>The step loop's arithmetic: stage combinations, error norms, the stiffness test, dense output and event location.</summary>
public sealed partial class AdaptiveIntegrator<T>
{
    /// <summary>
    /// dst = y + h sum_j c_j k_j (or h sum_j c_j k_j when y is empty) over the stage list. In double this is one
    /// fused SIMD pass (<see cref="Flow.Kernels.LinearCombination"/>); in other precisions element by element.
    /// </summary>
    private void Combine(Span<T> dst, ReadOnlySpan<T> y, T h, (int J, T C)[] terms)
    {
        if (typeof(T) == typeof(F64))
        {
            var d = MemoryMarshal.Cast<T, double>(dst);
            var yd = MemoryMarshal.Cast<T, double>(y);
            double hd = h.ToDouble();
            Span<double> coef = stackalloc double[terms.Length];
            Span<int> index = stackalloc int[terms.Length];
            for (int i = 0; i < terms.Length; i++) { coef[i] = hd * terms[i].C.ToDouble(); index[i] = terms[i].J; }
            Flow.Kernels.LinearCombination(d[.._n], yd, _k, index, coef);
            return;
        }
        for (int m = 0; m < _n; m++)
        {
            T acc = T.Zero;
            foreach (var (j, c) in terms) acc += c * _k[j][m];
            dst[m] = y.IsEmpty ? h * acc : y[m] + h * acc;
        }
    }

    private int[]? _endIndex;
    private double[]? _endB, _endE5, _endE3, _endBScaled;

    /// <summary>Double DOP853: y_new = y + h sum b_j k_j and the sums of squares of the 5th- and 3rd-order estimates, fused.</summary>
    private (double Err5, double Err3) EndOfStep(double h)
    {
        EnsureEndOfStep();
        for (int i = 0; i < _endB!.Length; i++) _endBScaled![i] = h * _endB[i];
        return Flow.Kernels.EndOfStep(MemoryMarshal.Cast<T, double>(_yNew.AsSpan()), MemoryMarshal.Cast<T, double>(_y.AsSpan()), _k, _endIndex!,
            _endBScaled, _endE5!, _endE3!, _options.AbsTol, _options.RelTol);
    }

    /// <summary>DOP853's end-of-step stage list and its b, 5th- and 3rd-order coefficients, built on first use.</summary>
    private void EnsureEndOfStep()
    {
        if (_endIndex is null)
        {
            var stages = _pair.B.Select(t => t.J).Concat(_pair.Error.Select(t => t.J)).Concat(_pair.Error3!.Select(t => t.J)).Distinct().Order().ToArray();
            double Coef((int J, T C)[] terms, int j) { foreach (var (jj, c) in terms) if (jj == j) return c.ToDouble(); return 0; }
            _endIndex = stages;
            _endB = stages.Select(j => Coef(_pair.B, j)).ToArray();
            _endE5 = stages.Select(j => Coef(_pair.Error, j)).ToArray();
            _endE3 = stages.Select(j => Coef(_pair.Error3!, j)).ToArray();
            _endBScaled = new double[stages.Length];
        }
    }

    /// <summary>h |F(y_new) - F(Y_last)| / |y_new - Y_last|: h times a Lipschitz estimate along the last explicit stage (Hairer's test).</summary>
    private double StiffnessIndicator(double h)
    {
        var last = _k[_pair.NewIndex - 1];
        double num = 0, den = 0;
        for (int m = 0; m < _n; m++)
        {
            double df = (_fNew[m] - last[m]).ToDouble(), dy = (_yNew[m] - _yTmp[m]).ToDouble();
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
            return Flow.Kernels.ScaledSumOfSquares(vd, y0, y1, atol, rtol);
        }
        for (int m = 0; m < _n; m++)
        {
            double r = v[m].ToDouble() / (atol + rtol * Math.Max(Math.Abs(_y[m].ToDouble()), Math.Abs(_yNew[m].ToDouble())));
            sum += r * r;
        }
        return sum;
    }

    /// <summary>Stores the dense-output polynomial of the accepted step from _y to _yNew (the pair's extra stages are evaluated here).</summary>
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
        for (int s = 0; s < _pair.DenseStages.Length; s++)
        {
            Combine(_yTmp, _y, hT, _pair.DenseStages[s]);
            Eval(_yTmp, _k[_pair.NewIndex + 1 + s]);
        }
        for (int r = 0; r < _pair.DenseD.Length; r++) Combine(_dense.AsSpan((4 + r) * _n, _n), default, hT, _pair.DenseD[r]);
    }

    /// <summary>
    /// The dense output at t + theta h of the last accepted step (theta in [0, 1]):
    /// r_0 + theta (r_1 + (1 - theta) (r_2 + theta (r_3 + (1 - theta) (r_4 + ...)))).
    /// </summary>
    public void Interpolate(double theta, Span<T> into)
    {
        T th = T.FromDouble(theta), th1 = T.FromDouble(1 - theta);
        int rows = _pair.DenseRows;
        for (int m = 0; m < _n; m++)
        {
            T acc = _dense[(rows - 1) * _n + m];
            for (int r = rows - 2; r >= 1; r--) acc = _dense[r * _n + m] + (r % 2 == 1 ? th1 : th) * acc;
            into[m] = _dense[m] + th * acc;
        }
    }

    private double LocateRoot(EventSpec<T> ev, double gLeft, double gRight)
    {
        double a = 0, b = 1, fa = gLeft, fb = gRight;
        int side = 0;
        // The event functions are evaluated in double, so theta is located to double's resolution whatever T is.
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
}
