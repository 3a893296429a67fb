using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>
/// Kernels on batches of <see cref="Lanes"/> states in structure-of-arrays form: entry i of every state is one
/// Vector256 (lane l = state l), so each operation is the scalar algorithm run on four states at once, SIMD across
/// states whatever the widths (a 3-wide layer vectorises as well as a 256-wide one). Shapes are checked on entry;
/// the inner loops run on refs without bounds checks, with four independent rows per pass.
/// </summary>
internal static class LaneKernels
{
    public const int Lanes = 4;

    public static Vector256<double> Fmadd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    private static ref Vector256<double> R(ReadOnlySpan<Vector256<double>> s) => ref MemoryMarshal.GetReference(s);

    private static void Check(bool ok) { if (!ok) throw new ArgumentException("lane kernel shapes do not match"); }

    /// <summary>y = W x per lane (W rows x cols, its own per lane).</summary>
    public static void MatVec(ReadOnlySpan<Vector256<double>> w, int rows, int cols, ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> y)
    {
        Check(w.Length >= rows * cols && x.Length >= cols && y.Length >= rows);
        ref var wr = ref R(w);
        ref var xr = ref R(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref var r0 = ref Unsafe.Add(ref wr, r * cols);
            ref var r1 = ref Unsafe.Add(ref r0, cols);
            ref var r2 = ref Unsafe.Add(ref r1, cols);
            ref var r3 = ref Unsafe.Add(ref r2, cols);
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int c = 0; c < cols; c++)
            {
                var xc = Unsafe.Add(ref xr, c);
                a0 = Fmadd(Unsafe.Add(ref r0, c), xc, a0);
                a1 = Fmadd(Unsafe.Add(ref r1, c), xc, a1);
                a2 = Fmadd(Unsafe.Add(ref r2, c), xc, a2);
                a3 = Fmadd(Unsafe.Add(ref r3, c), xc, a3);
            }
            Unsafe.Add(ref yr, r) = a0; Unsafe.Add(ref yr, r + 1) = a1; Unsafe.Add(ref yr, r + 2) = a2; Unsafe.Add(ref yr, r + 3) = a3;
        }
        for (; r < rows; r++)
        {
            ref var row = ref Unsafe.Add(ref wr, r * cols);
            Vector256<double> a0 = default, a1 = default;
            int c = 0;
            for (; c + 2 <= cols; c += 2)
            {
                a0 = Fmadd(Unsafe.Add(ref row, c), Unsafe.Add(ref xr, c), a0);
                a1 = Fmadd(Unsafe.Add(ref row, c + 1), Unsafe.Add(ref xr, c + 1), a1);
            }
            if (c < cols) a0 = Fmadd(Unsafe.Add(ref row, c), Unsafe.Add(ref xr, c), a0);
            Unsafe.Add(ref yr, r) = a0 + a1;
        }
    }

    /// <summary>y = W^T x per lane; y is loaded and stored once per four rows of W.</summary>
    public static void MatTVec(ReadOnlySpan<Vector256<double>> w, int rows, int cols, ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> y)
    {
        Check(w.Length >= rows * cols && x.Length >= rows && y.Length >= cols);
        ref var wr = ref R(w);
        ref var xr = ref R(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        if (rows == 0) { y[..cols].Clear(); return; }
        // The first row assigns y (no separate clearing pass); the rest accumulate four rows per pass.
        {
            var x0 = xr;
            for (int c = 0; c < cols; c++) Unsafe.Add(ref yr, c) = x0 * Unsafe.Add(ref wr, c);
        }
        int r = 1;
        for (; r + 4 <= rows; r += 4)
        {
            ref var r0 = ref Unsafe.Add(ref wr, r * cols);
            ref var r1 = ref Unsafe.Add(ref r0, cols);
            ref var r2 = ref Unsafe.Add(ref r1, cols);
            ref var r3 = ref Unsafe.Add(ref r2, cols);
            var x0 = Unsafe.Add(ref xr, r); var x1 = Unsafe.Add(ref xr, r + 1); var x2 = Unsafe.Add(ref xr, r + 2); var x3 = Unsafe.Add(ref xr, r + 3);
            for (int c = 0; c < cols; c++)
            {
                ref var yc = ref Unsafe.Add(ref yr, c);
                yc = Fmadd(x3, Unsafe.Add(ref r3, c), Fmadd(x2, Unsafe.Add(ref r2, c), Fmadd(x1, Unsafe.Add(ref r1, c), Fmadd(x0, Unsafe.Add(ref r0, c), yc))));
            }
        }
        for (; r < rows; r++)
        {
            var xv = Unsafe.Add(ref xr, r);
            ref var row = ref Unsafe.Add(ref wr, r * cols);
            for (int c = 0; c < cols; c++)
            {
                ref var yc = ref Unsafe.Add(ref yr, c);
                yc = Fmadd(xv, Unsafe.Add(ref row, c), yc);
            }
        }
    }

    /// <summary>into = g c^T per lane.</summary>
    public static void Outer(ReadOnlySpan<Vector256<double>> g, ReadOnlySpan<Vector256<double>> c, Span<Vector256<double>> into)
    {
        int rows = g.Length, cols = c.Length;
        Check(into.Length >= rows * cols);
        ref var gr = ref R(g);
        ref var cr = ref R(c);
        ref var o = ref MemoryMarshal.GetReference(into);
        for (int r = 0; r < rows; r++)
        {
            var gv = Unsafe.Add(ref gr, r);
            ref var row = ref Unsafe.Add(ref o, r * cols);
            for (int k = 0; k < cols; k++) Unsafe.Add(ref row, k) = gv * Unsafe.Add(ref cr, k);
        }
    }

    /// <summary>x . y per lane.</summary>
    public static Vector256<double> Dot(ReadOnlySpan<Vector256<double>> x, ReadOnlySpan<Vector256<double>> y)
    {
        Check(y.Length >= x.Length);
        ref var xr = ref R(x);
        ref var yr = ref R(y);
        Vector256<double> a0 = default, a1 = default;
        int i = 0, n = x.Length;
        for (; i + 2 <= n; i += 2)
        {
            a0 = Fmadd(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), a0);
            a1 = Fmadd(Unsafe.Add(ref xr, i + 1), Unsafe.Add(ref yr, i + 1), a1);
        }
        if (i < n) a0 = Fmadd(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), a0);
        return a0 + a1;
    }

    /// <summary>y = A x for one matrix A (rows x cols, row-major) shared by all lanes: a matrix-matrix product.</summary>
    public static void SharedMatVec(ReadOnlySpan<double> a, int rows, int cols, ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> y)
    {
        Check(a.Length >= rows * cols && x.Length >= cols && y.Length >= rows);
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref var xr = ref R(x);
        for (int r = 0; r < rows; r++)
        {
            ref double row = ref Unsafe.Add(ref ar, r * cols);
            Vector256<double> acc = default;
            for (int c = 0; c < cols; c++) acc = Fmadd(Vector256.Create(Unsafe.Add(ref row, c)), Unsafe.Add(ref xr, c), acc);
            y[r] = acc;
        }
    }

    /// <summary>y = A^T x for one shared matrix A (rows x cols).</summary>
    public static void SharedMatTVec(ReadOnlySpan<double> a, int rows, int cols, ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> y)
    {
        Check(a.Length >= rows * cols && x.Length >= rows && y.Length >= cols);
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref var yr = ref MemoryMarshal.GetReference(y);
        y[..cols].Clear();
        for (int r = 0; r < rows; r++)
        {
            var xv = x[r];
            ref double row = ref Unsafe.Add(ref ar, r * cols);
            for (int c = 0; c < cols; c++)
            {
                ref var yc = ref Unsafe.Add(ref yr, c);
                yc = Fmadd(xv, Vector256.Create(Unsafe.Add(ref row, c)), yc);
            }
        }
    }

    /// <summary>
    /// dst = y + sum_t coef_t k[index_t] per lane (y empty: no y term), four entries at a time summed in registers over
    /// all terms and stored once.
    /// </summary>
    public static void Combination(Span<Vector256<double>> dst, ReadOnlySpan<Vector256<double>> y, Vector256<double>[][] k, ReadOnlySpan<int> index,
        ReadOnlySpan<Vector256<double>> coef)
    {
        int n = dst.Length, terms = index.Length, i = 0;
        Check(y.IsEmpty || y.Length >= n);
        for (int t = 0; t < terms; t++) Check(k[index[t]].Length >= n);
        ref var d = ref MemoryMarshal.GetReference(dst);
        ref var yr = ref R(y);
        bool hasY = !y.IsEmpty;
        for (; i + 4 <= n; i += 4)
        {
            Vector256<double> a0, a1, a2, a3;
            if (hasY) { a0 = Unsafe.Add(ref yr, i); a1 = Unsafe.Add(ref yr, i + 1); a2 = Unsafe.Add(ref yr, i + 2); a3 = Unsafe.Add(ref yr, i + 3); }
            else a0 = a1 = a2 = a3 = Vector256<double>.Zero;
            for (int t = 0; t < terms; t++)
            {
                ref var kt = ref MemoryMarshal.GetArrayDataReference(k[index[t]]);
                var c = coef[t];
                a0 = Fmadd(c, Unsafe.Add(ref kt, i), a0);
                a1 = Fmadd(c, Unsafe.Add(ref kt, i + 1), a1);
                a2 = Fmadd(c, Unsafe.Add(ref kt, i + 2), a2);
                a3 = Fmadd(c, Unsafe.Add(ref kt, i + 3), a3);
            }
            Unsafe.Add(ref d, i) = a0; Unsafe.Add(ref d, i + 1) = a1; Unsafe.Add(ref d, i + 2) = a2; Unsafe.Add(ref d, i + 3) = a3;
        }
        for (; i < n; i++)
        {
            var acc = hasY ? Unsafe.Add(ref yr, i) : Vector256<double>.Zero;
            for (int t = 0; t < terms; t++) acc = Fmadd(coef[t], k[index[t]][i], acc);
            Unsafe.Add(ref d, i) = acc;
        }
    }
    /// <summary>Gathers u_t, then v_t, of the listed stages for layer j into scratch (as <see cref="Kernels"/> does for one state).</summary>
    private static void GatherFactors(Vector256<double>[][] f, ReadOnlySpan<int> index, FactorLayout layout, int j, Span<Vector256<double>> scratch)
    {
        int rows = layout.Rows[j], cols = layout.Cols[j], fo = layout.FactorOffset[j], terms = index.Length;
        Check(scratch.Length >= terms * (rows + cols));
        for (int t = 0; t < terms; t++)
        {
            var ft = f[index[t]].AsSpan(fo, rows + cols);
            ft[..rows].CopyTo(scratch.Slice(t * rows, rows));
            ft[rows..].CopyTo(scratch.Slice(terms * rows + t * cols, cols));
        }
    }

    /// <summary>
    /// dst = y + sum_t coef_t k_t per lane with every stage given by its rank-one layer factors (entries u_t[r] v_t[c],
    /// <see cref="FactorLayout"/>): per row the lane coefficients coef_t u_t[r], then the row from the v_t.
    /// </summary>
    public static void FactorCombination(Span<Vector256<double>> dst, ReadOnlySpan<Vector256<double>> y, Vector256<double>[][] f, ReadOnlySpan<int> index,
        ReadOnlySpan<Vector256<double>> coef, FactorLayout layout, Span<Vector256<double>> scratch)
    {
        int terms = index.Length;
        Check(coef.Length >= terms && terms <= 32);
        Span<Vector256<double>> beta = stackalloc Vector256<double>[terms];
        for (int j = 0; j < layout.Rows.Length; j++)
        {
            int rows = layout.Rows[j], cols = layout.Cols[j], wo = layout.WeightOffset[j];
            Check(dst.Length >= wo + rows * cols && y.Length >= wo + rows * cols);
            GatherFactors(f, index, layout, j, scratch);
            ref var u = ref MemoryMarshal.GetReference(scratch);
            ref var v = ref Unsafe.Add(ref u, terms * rows);
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < terms; t++) beta[t] = coef[t] * Unsafe.Add(ref u, t * rows + r);
                ref var d = ref Unsafe.Add(ref MemoryMarshal.GetReference(dst), wo + r * cols);
                ref var yr = ref Unsafe.Add(ref R(y), wo + r * cols);
                int c = 0;
                for (; c + 2 <= cols; c += 2)
                {
                    var a0 = Unsafe.Add(ref yr, c); var a1 = Unsafe.Add(ref yr, c + 1);
                    for (int t = 0; t < terms; t++)
                    {
                        ref var vt = ref Unsafe.Add(ref v, t * cols + c);
                        var bt = beta[t];
                        a0 = Fmadd(bt, vt, a0);
                        a1 = Fmadd(bt, Unsafe.Add(ref vt, 1), a1);
                    }
                    Unsafe.Add(ref d, c) = a0; Unsafe.Add(ref d, c + 1) = a1;
                }
                if (c < cols)
                {
                    var a0 = Unsafe.Add(ref yr, c);
                    for (int t = 0; t < terms; t++) a0 = Fmadd(beta[t], Unsafe.Add(ref v, t * cols + c), a0);
                    Unsafe.Add(ref d, c) = a0;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="EndOfStep"/> with the stages given by rank-one layer factors: y_new = y + sum_t b_t k_t and the per-lane
    /// sums of (e5/sk)^2 and (e3/sk)^2, e = sum_t c_t k_t, sk = atol + rtol max(|y|, |y_new|).
    /// </summary>
    public static (Vector256<double> S5, Vector256<double> S3) FactorEndOfStep(Span<Vector256<double>> yNew, ReadOnlySpan<Vector256<double>> y,
        Vector256<double>[][] f, ReadOnlySpan<int> index, ReadOnlySpan<Vector256<double>> b, ReadOnlySpan<Vector256<double>> c5,
        ReadOnlySpan<Vector256<double>> c3, double atol, double rtol, FactorLayout layout, Span<Vector256<double>> scratch)
    {
        int terms = index.Length;
        Check(b.Length >= terms && c5.Length >= terms && c3.Length >= terms && terms <= 32);
        Span<Vector256<double>> rb = stackalloc Vector256<double>[terms], r5 = stackalloc Vector256<double>[terms], r3 = stackalloc Vector256<double>[terms];
        var va = Vector256.Create(atol);
        var vr = Vector256.Create(rtol);
        Vector256<double> s5 = default, s3 = default;
        for (int j = 0; j < layout.Rows.Length; j++)
        {
            int rows = layout.Rows[j], cols = layout.Cols[j], wo = layout.WeightOffset[j];
            Check(yNew.Length >= wo + rows * cols && y.Length >= wo + rows * cols);
            GatherFactors(f, index, layout, j, scratch);
            ref var u = ref MemoryMarshal.GetReference(scratch);
            ref var v = ref Unsafe.Add(ref u, terms * rows);
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < terms; t++)
                {
                    var ut = Unsafe.Add(ref u, t * rows + r);
                    rb[t] = b[t] * ut; r5[t] = c5[t] * ut; r3[t] = c3[t] * ut;
                }
                ref var d = ref Unsafe.Add(ref MemoryMarshal.GetReference(yNew), wo + r * cols);
                ref var yr = ref Unsafe.Add(ref R(y), wo + r * cols);
                for (int c = 0; c < cols; c++)
                {
                    var y0 = Unsafe.Add(ref yr, c);
                    Vector256<double> nv = y0, fv = default, gv = default;
                    for (int t = 0; t < terms; t++)
                    {
                        var kv = Unsafe.Add(ref v, t * cols + c);
                        nv = Fmadd(rb[t], kv, nv); fv = Fmadd(r5[t], kv, fv); gv = Fmadd(r3[t], kv, gv);
                    }
                    Unsafe.Add(ref d, c) = nv;
                    var sk = Fmadd(vr, Vector256.Max(Vector256.Abs(y0), Vector256.Abs(nv)), va);
                    var q5 = fv / sk; var q3 = gv / sk;
                    s5 = Fmadd(q5, q5, s5);
                    s3 = Fmadd(q3, q3, s3);
                }
            }
        }
        return (s5, s3);
    }

    /// <summary>
    /// DOP853's end of step per lane in one pass: y_new = y + sum_t b_t k_t, e5 = sum_t c5_t k_t, e3 = sum_t c3_t k_t,
    /// and the per-lane sums of (e5/sk)^2 and (e3/sk)^2 with sk = atol + rtol max(|y|, |y_new|).
    /// </summary>
    public static (Vector256<double> S5, Vector256<double> S3) EndOfStep(Span<Vector256<double>> yNew, ReadOnlySpan<Vector256<double>> y,
        Vector256<double>[][] k, ReadOnlySpan<int> index, ReadOnlySpan<Vector256<double>> b, ReadOnlySpan<Vector256<double>> c5,
        ReadOnlySpan<Vector256<double>> c3, double atol, double rtol)
    {
        int n = yNew.Length, terms = index.Length;
        Check(y.Length >= n && b.Length >= terms && c5.Length >= terms && c3.Length >= terms);
        for (int t = 0; t < terms; t++) Check(k[index[t]].Length >= n);
        ref var d = ref MemoryMarshal.GetReference(yNew);
        ref var yr = ref R(y);
        var va = Vector256.Create(atol);
        var vr = Vector256.Create(rtol);
        Vector256<double> s5 = default, s3 = default;
        int i = 0;
        for (; i + 2 <= n; i += 2)
        {
            var y0 = Unsafe.Add(ref yr, i); var y1 = Unsafe.Add(ref yr, i + 1);
            Vector256<double> n0 = y0, n1 = y1, f0 = default, f1 = default, g0 = default, g1 = default;
            for (int t = 0; t < terms; t++)
            {
                ref var kt = ref MemoryMarshal.GetArrayDataReference(k[index[t]]);
                var k0 = Unsafe.Add(ref kt, i); var k1 = Unsafe.Add(ref kt, i + 1);
                var cb = b[t]; var e5 = c5[t]; var e3 = c3[t];
                n0 = Fmadd(cb, k0, n0); n1 = Fmadd(cb, k1, n1);
                f0 = Fmadd(e5, k0, f0); f1 = Fmadd(e5, k1, f1);
                g0 = Fmadd(e3, k0, g0); g1 = Fmadd(e3, k1, g1);
            }
            Unsafe.Add(ref d, i) = n0; Unsafe.Add(ref d, i + 1) = n1;
            var sk0 = Fmadd(vr, Vector256.Max(Vector256.Abs(y0), Vector256.Abs(n0)), va);
            var sk1 = Fmadd(vr, Vector256.Max(Vector256.Abs(y1), Vector256.Abs(n1)), va);
            var r0 = f0 / sk0; var r1 = f1 / sk1; var u0 = g0 / sk0; var u1 = g1 / sk1;
            s5 = Fmadd(r1, r1, Fmadd(r0, r0, s5));
            s3 = Fmadd(u1, u1, Fmadd(u0, u0, s3));
        }
        for (; i < n; i++)
        {
            var yi = Unsafe.Add(ref yr, i);
            Vector256<double> nv = yi, f = default, g = default;
            for (int t = 0; t < terms; t++)
            {
                var kv = k[index[t]][i];
                nv = Fmadd(b[t], kv, nv); f = Fmadd(c5[t], kv, f); g = Fmadd(c3[t], kv, g);
            }
            Unsafe.Add(ref d, i) = nv;
            var sk = Fmadd(vr, Vector256.Max(Vector256.Abs(yi), Vector256.Abs(nv)), va);
            var r5 = f / sk; var r3 = g / sk;
            s5 = Fmadd(r5, r5, s5);
            s3 = Fmadd(r3, r3, s3);
        }
        return (s5, s3);
    }
}
