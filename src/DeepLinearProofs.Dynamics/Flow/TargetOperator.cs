using System.Runtime.Intrinsics;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>How Z is applied to vectors: exactly as a diagonal, as a dense matrix, or through its rank-r SVD factors.</summary>
public enum TargetApplication { Diagonal, Dense, LowRank }

/// <summary>
/// Applies Z and Z^T to vectors in the run's precision. Diagonal targets are applied entry by entry, so
/// coordinates that are exactly zero stay exactly zero (no mixing transform, docs/theory.md, section 7); large dense
/// targets of low rank r are applied as U_r (S_r (V_r^T x)) at cost O((m + n) r).
/// </summary>
public sealed class TargetOperator<T> where T : struct, IReal<T>
{
    public TargetApplication Mode { get; }
    public int Rows { get; }
    public int Cols { get; }
    private readonly T[] _diag = [];
    private readonly T[] _dense = [];
    private readonly T[] _u = [], _v = [], _s = [], _tmp = [];
    private readonly int _rank;

    public TargetOperator(NumericTarget z, bool allowLowRank)
    {
        Rows = z.Rows; Cols = z.Cols;
        if (z.IsDiagonal)
        {
            Mode = TargetApplication.Diagonal;
            _diag = new T[Math.Min(Rows, Cols)];
            for (int i = 0; i < _diag.Length; i++) _diag[i] = T.FromRational(z.Exact[i, i]);
        }
        else if (allowLowRank && z.Rank * (Rows + Cols) * 2 < Rows * Cols)
        {
            Mode = TargetApplication.LowRank;
            _rank = z.Rank;
            _u = new T[Rows * _rank]; _v = new T[Cols * _rank]; _s = new T[_rank]; _tmp = new T[_rank];
            for (int k = 0; k < _rank; k++)
            {
                _s[k] = T.FromDouble(z.Singular[k]);
                for (int i = 0; i < Rows; i++) _u[i * _rank + k] = T.FromDouble(z.U[i, k]);
                for (int j = 0; j < Cols; j++) _v[j * _rank + k] = T.FromDouble(z.V[j, k]);
            }
        }
        else
        {
            Mode = TargetApplication.Dense;
            _dense = new T[Rows * Cols];
            for (int i = 0; i < Rows; i++)
                for (int j = 0; j < Cols; j++) _dense[i * Cols + j] = T.FromRational(z.Exact[i, j]);
        }
    }

    /// <summary>Multiply-adds per application of Z or Z^T.</summary>
    public long FlopsPerApply => Mode switch
    {
        TargetApplication.Diagonal => 2L * Math.Min(Rows, Cols),
        TargetApplication.LowRank => 2L * _rank * (Rows + Cols + 1),
        _ => 2L * Rows * Cols,
    };

    /// <summary>into = Z x (x of length Cols).</summary>
    public void Apply(ReadOnlySpan<T> x, Span<T> into)
    {
        switch (Mode)
        {
            case TargetApplication.Diagonal:
                into[..Rows].Clear();
                for (int i = 0; i < _diag.Length; i++) into[i] = _diag[i] * x[i];
                break;
            case TargetApplication.Dense:
                Kernels.MatVec<T>(_dense, Rows, Cols, x, into);
                break;
            default:
                Kernels.MatTVec<T>(_v, Cols, _rank, x, _tmp);
                for (int k = 0; k < _rank; k++) _tmp[k] = _s[k] * _tmp[k];
                Kernels.MatVec<T>(_u, Rows, _rank, _tmp, into);
                break;
        }
    }

    /// <summary>into = Z^T a (a of length Rows).</summary>
    public void ApplyTranspose(ReadOnlySpan<T> a, Span<T> into)
    {
        switch (Mode)
        {
            case TargetApplication.Diagonal:
                into[..Cols].Clear();
                for (int i = 0; i < _diag.Length; i++) into[i] = _diag[i] * a[i];
                break;
            case TargetApplication.Dense:
                Kernels.MatTVec<T>(_dense, Rows, Cols, a, into);
                break;
            default:
                Kernels.MatTVec<T>(_u, Rows, _rank, a, _tmp);
                for (int k = 0; k < _rank; k++) _tmp[k] = _s[k] * _tmp[k];
                Kernels.MatVec<T>(_v, Cols, _rank, _tmp, into);
                break;
        }
    }

    /// <summary>into = Z x for four states at once (structure of arrays, double only): Z times a four-column matrix.</summary>
    internal void ApplyLanes(ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> into, Span<Vector256<double>> tmp)
    {
        if (typeof(T) != typeof(F64)) throw new InvalidOperationException("lane application is double only");
        switch (Mode)
        {
            case TargetApplication.Diagonal:
                if (_diag.Length < Rows) into[_diag.Length..Rows].Clear();
                var dg = D(_diag);
                for (int i = 0; i < dg.Length; i++) into[i] = Vector256.Create(dg[i]) * x[i];
                break;
            case TargetApplication.Dense:
                LaneKernels.SharedMatVec(D(_dense), Rows, Cols, x, into);
                break;
            default:
                LaneKernels.SharedMatTVec(D(_v), Cols, _rank, x, tmp);
                var sv = D(_s);
                for (int k = 0; k < _rank; k++) tmp[k] = Vector256.Create(sv[k]) * tmp[k];
                LaneKernels.SharedMatVec(D(_u), Rows, _rank, tmp, into);
                break;
        }
    }

    /// <summary>into = Z^T a for four states at once (double only).</summary>
    internal void ApplyTransposeLanes(ReadOnlySpan<Vector256<double>> a, Span<Vector256<double>> into, Span<Vector256<double>> tmp)
    {
        if (typeof(T) != typeof(F64)) throw new InvalidOperationException("lane application is double only");
        switch (Mode)
        {
            case TargetApplication.Diagonal:
                if (_diag.Length < Cols) into[_diag.Length..Cols].Clear();
                var dg = D(_diag);
                for (int i = 0; i < dg.Length; i++) into[i] = Vector256.Create(dg[i]) * a[i];
                break;
            case TargetApplication.Dense:
                LaneKernels.SharedMatTVec(D(_dense), Rows, Cols, a, into);
                break;
            default:
                LaneKernels.SharedMatTVec(D(_u), Rows, _rank, a, tmp);
                var sv = D(_s);
                for (int k = 0; k < _rank; k++) tmp[k] = Vector256.Create(sv[k]) * tmp[k];
                LaneKernels.SharedMatVec(D(_v), Cols, _rank, tmp, into);
                break;
        }
    }

    /// <summary>Scratch length the lane applications need.</summary>
    internal int LaneScratch => Math.Max(1, _rank);

    private static ReadOnlySpan<double> D(T[] v) => System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(v.AsSpan());

    /// <summary>Z[i, j] in this precision.</summary>
    public T Entry(int i, int j)
    {
        switch (Mode)
        {
            case TargetApplication.Diagonal: return i == j && i < _diag.Length ? _diag[i] : T.Zero;
            case TargetApplication.Dense: return _dense[i * Cols + j];
            default:
                T acc = T.Zero;
                for (int k = 0; k < _rank; k++) acc += _u[i * _rank + k] * _s[k] * _v[j * _rank + k];
                return acc;
        }
    }
}
