using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>
/// Allocation-free dense kernels on row-major spans. The double path uses Vector256 with FMA where the CPU has it
/// (so its last bits differ from a plain loop), several independent accumulators and ref arithmetic without bounds
/// checks in the inner loops (the shapes are checked once on entry).
/// </summary>
internal static class Kernels
{
    /// <summary>y = W x with W rows x cols.</summary>
    public static void MatVec<T>(ReadOnlySpan<T> w, int rows, int cols, ReadOnlySpan<T> x, Span<T> y) where T : struct, IReal<T>
    {
        if (typeof(T) == typeof(F64))
        {
            MatVec(MemoryMarshal.Cast<T, double>(w), rows, cols, MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            T acc = T.Zero;
            var row = w.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++) acc += row[c] * x[c];
            y[r] = acc;
        }
    }

    /// <summary>y = W^T x with W rows x cols.</summary>
    public static void MatTVec<T>(ReadOnlySpan<T> w, int rows, int cols, ReadOnlySpan<T> x, Span<T> y) where T : struct, IReal<T>
    {
        if (typeof(T) == typeof(F64))
        {
            MatTVec(MemoryMarshal.Cast<T, double>(w), rows, cols, MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            return;
        }
        y[..cols].Clear();
        for (int r = 0; r < rows; r++)
        {
            T xr = x[r];
            var row = w.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++) y[c] += xr * row[c];
        }
    }

    /// <summary>G = g c^T (rows = |g|, cols = |c|).</summary>
    public static void Outer<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> c, Span<T> into) where T : struct, IReal<T>
    {
        int cols = c.Length;
        if (typeof(T) == typeof(F64))
        {
            var cd = MemoryMarshal.Cast<T, double>(c);
            var gd = MemoryMarshal.Cast<T, double>(g);
            var od = MemoryMarshal.Cast<T, double>(into);
            for (int r = 0; r < gd.Length; r++) Scale(cd, gd[r], od.Slice(r * cols, cols));
            return;
        }
        for (int r = 0; r < g.Length; r++)
        {
            T gr = g[r];
            for (int k = 0; k < cols; k++) into[r * cols + k] = gr * c[k];
        }
    }

    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : struct, IReal<T>
    {
        if (typeof(T) == typeof(F64))
        {
            double d = Dot(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            return T.FromDouble(d);
        }
        T acc = T.Zero;
        for (int i = 0; i < x.Length; i++) acc += x[i] * y[i];
        return acc;
    }

    // ---- double kernels: Vector256 with FMA where the CPU has it, refs instead of bounds-checked indexing ----

    private static Vector256<double> Fmadd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    private static double Madd(double a, double b, double c) => Fma.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : a * b + c;

    private static Vector256<double> Load(ref double p, int i) => Vector256.LoadUnsafe(ref p, (nuint)i);

    private static void MatVec(ReadOnlySpan<double> w, int rows, int cols, ReadOnlySpan<double> x, Span<double> y) =>
        MatVecOuter(w, rows, cols, x, y, default, default);

    /// <summary>
    /// y = W x (W rows x cols) and, when <paramref name="outer"/> is not empty, outer = g x^T (rows x cols) in the same
    /// pass: row r of W is read once while row r of the outer product is written.
    /// </summary>
    internal static void MatVecOuter(ReadOnlySpan<double> w, int rows, int cols, ReadOnlySpan<double> x, Span<double> y,
        ReadOnlySpan<double> g, Span<double> outer)
    {
        if (w.Length < rows * cols || x.Length < cols || y.Length < rows) throw new ArgumentException("matrix-vector shapes do not match");
        if (!outer.IsEmpty && (outer.Length < rows * cols || g.Length < rows)) throw new ArgumentException("outer product shape does not match");
        bool writeOuter = !outer.IsEmpty;
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (!Vector256.IsHardwareAccelerated || cols < 8)
        {
            for (int r = 0; r < rows; r++)
            {
                ref double row = ref Unsafe.Add(ref wr, r * cols);
                double acc = 0;
                for (int c = 0; c < cols; c++) acc += Unsafe.Add(ref row, c) * Unsafe.Add(ref xr, c);
                Unsafe.Add(ref yr, r) = acc;
                if (writeOuter) Scale(x[..cols], g[r], outer.Slice(r * cols, cols));
            }
            return;
        }
        int body = cols & ~3, rr = 0;
        // Four rows per pass: x is loaded once for four dot products, four independent accumulators.
        for (; rr + 4 <= rows; rr += 4)
        {
            ref double r0 = ref Unsafe.Add(ref wr, rr * cols);
            ref double r1 = ref Unsafe.Add(ref r0, cols);
            ref double r2 = ref Unsafe.Add(ref r1, cols);
            ref double r3 = ref Unsafe.Add(ref r2, cols);
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int c = 0; c < body; c += 4)
            {
                var xv = Load(ref xr, c);
                a0 = Fmadd(Load(ref r0, c), xv, a0);
                a1 = Fmadd(Load(ref r1, c), xv, a1);
                a2 = Fmadd(Load(ref r2, c), xv, a2);
                a3 = Fmadd(Load(ref r3, c), xv, a3);
            }
            double s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
            for (int c = body; c < cols; c++)
            {
                double xc = Unsafe.Add(ref xr, c);
                s0 += Unsafe.Add(ref r0, c) * xc; s1 += Unsafe.Add(ref r1, c) * xc;
                s2 += Unsafe.Add(ref r2, c) * xc; s3 += Unsafe.Add(ref r3, c) * xc;
            }
            Unsafe.Add(ref yr, rr) = s0; Unsafe.Add(ref yr, rr + 1) = s1; Unsafe.Add(ref yr, rr + 2) = s2; Unsafe.Add(ref yr, rr + 3) = s3;
            if (writeOuter)
                for (int q = rr; q < rr + 4; q++) Scale(x[..cols], g[q], outer.Slice(q * cols, cols));
        }
        for (; rr < rows; rr++)
        {
            ref double row = ref Unsafe.Add(ref wr, rr * cols);
            Vector256<double> a0 = default, a1 = default;
            int c = 0;
            for (; c + 8 <= body; c += 8)
            {
                a0 = Fmadd(Load(ref row, c), Load(ref xr, c), a0);
                a1 = Fmadd(Load(ref row, c + 4), Load(ref xr, c + 4), a1);
            }
            if (c < body) a0 = Fmadd(Load(ref row, c), Load(ref xr, c), a0);
            double s = Vector256.Sum(a0 + a1);
            for (c = body; c < cols; c++) s += Unsafe.Add(ref row, c) * Unsafe.Add(ref xr, c);
            Unsafe.Add(ref yr, rr) = s;
            if (writeOuter) Scale(x[..cols], g[rr], outer.Slice(rr * cols, cols));
        }
    }

    /// <summary>y = W^T x.</summary>
    private static void MatTVec(ReadOnlySpan<double> w, int rows, int cols, ReadOnlySpan<double> x, Span<double> y) =>
        MatTVecOuter(w, rows, cols, x, y, default, default);

    /// <summary>
    /// y = W^T x (W rows x cols) and, when <paramref name="outer"/> is not empty, outer = x c^T (rows x |c|) in the
    /// same pass: row r of W is read once while row r of the outer product is written.
    /// </summary>
    internal static void MatTVecOuter(ReadOnlySpan<double> w, int rows, int cols, ReadOnlySpan<double> x, Span<double> y,
        ReadOnlySpan<double> c, Span<double> outer)
    {
        if (w.Length < rows * cols || x.Length < rows || y.Length < cols) throw new ArgumentException("matrix-vector shapes do not match");
        int oc = c.Length;
        if (!outer.IsEmpty && outer.Length < rows * oc) throw new ArgumentException("outer product shape does not match");
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        y[..cols].Clear();
        bool simd = Vector256.IsHardwareAccelerated && cols >= 4;
        int body = simd ? cols & ~3 : 0, r = 0;
        if (simd)
        {
            // Four rows per pass over y: y is loaded and stored once per four rows.
            for (; r + 4 <= rows; r += 4)
            {
                ref double r0 = ref Unsafe.Add(ref wr, r * cols);
                ref double r1 = ref Unsafe.Add(ref r0, cols);
                ref double r2 = ref Unsafe.Add(ref r1, cols);
                ref double r3 = ref Unsafe.Add(ref r2, cols);
                double x0 = Unsafe.Add(ref xr, r), x1 = Unsafe.Add(ref xr, r + 1), x2 = Unsafe.Add(ref xr, r + 2), x3 = Unsafe.Add(ref xr, r + 3);
                var v0 = Vector256.Create(x0); var v1 = Vector256.Create(x1); var v2 = Vector256.Create(x2); var v3 = Vector256.Create(x3);
                for (int k = 0; k < body; k += 4)
                {
                    var acc = Load(ref yr, k);
                    acc = Fmadd(Load(ref r0, k), v0, acc);
                    acc = Fmadd(Load(ref r1, k), v1, acc);
                    acc = Fmadd(Load(ref r2, k), v2, acc);
                    acc = Fmadd(Load(ref r3, k), v3, acc);
                    acc.StoreUnsafe(ref yr, (nuint)k);
                }
                for (int k = body; k < cols; k++)
                    Unsafe.Add(ref yr, k) += Unsafe.Add(ref r0, k) * x0 + Unsafe.Add(ref r1, k) * x1 + Unsafe.Add(ref r2, k) * x2 + Unsafe.Add(ref r3, k) * x3;
                if (!outer.IsEmpty)
                {
                    Scale(c, x0, outer.Slice(r * oc, oc)); Scale(c, x1, outer.Slice((r + 1) * oc, oc));
                    Scale(c, x2, outer.Slice((r + 2) * oc, oc)); Scale(c, x3, outer.Slice((r + 3) * oc, oc));
                }
            }
        }
        for (; r < rows; r++)
        {
            double xv = Unsafe.Add(ref xr, r);
            ref double row = ref Unsafe.Add(ref wr, r * cols);
            int k = 0;
            if (simd)
            {
                var v = Vector256.Create(xv);
                for (; k < body; k += 4) Fmadd(Load(ref row, k), v, Load(ref yr, k)).StoreUnsafe(ref yr, (nuint)k);
            }
            for (; k < cols; k++) Unsafe.Add(ref yr, k) += Unsafe.Add(ref row, k) * xv;
            if (!outer.IsEmpty) Scale(c, xv, outer.Slice(r * oc, oc));
        }
    }

    /// <summary>
    /// dst = y + sum_t coef_t k[index_t] (y empty: no y term) in one pass: sixteen entries at a time are summed in
    /// registers over all terms (in the order given) and stored once, instead of one read-modify-write pass per term.
    /// </summary>
    internal static void LinearCombination<TK>(Span<double> dst, ReadOnlySpan<double> y, TK[][] k, ReadOnlySpan<int> index, ReadOnlySpan<double> coef) where TK : struct
    {
        if (Unsafe.SizeOf<TK>() != sizeof(double)) throw new ArgumentException("stage arrays must hold doubles");
        int n = dst.Length, terms = index.Length, i = 0;
        if (!y.IsEmpty && y.Length < n) throw new ArgumentException("combination lengths do not match");
        for (int t = 0; t < terms; t++) if (k[index[t]].Length < n) throw new ArgumentException("combination lengths do not match");
        ref double d = ref MemoryMarshal.GetReference(dst);
        ref double yr = ref MemoryMarshal.GetReference(y);
        bool hasY = !y.IsEmpty;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector256<double> a0, a1, a2, a3;
                if (hasY) { a0 = Load(ref yr, i); a1 = Load(ref yr, i + 4); a2 = Load(ref yr, i + 8); a3 = Load(ref yr, i + 12); }
                else a0 = a1 = a2 = a3 = Vector256<double>.Zero;
                for (int t = 0; t < terms; t++)
                {
                    ref double kt = ref Unsafe.As<TK, double>(ref MemoryMarshal.GetArrayDataReference(k[index[t]]));
                    var c = Vector256.Create(coef[t]);
                    a0 = Fmadd(c, Load(ref kt, i), a0);
                    a1 = Fmadd(c, Load(ref kt, i + 4), a1);
                    a2 = Fmadd(c, Load(ref kt, i + 8), a2);
                    a3 = Fmadd(c, Load(ref kt, i + 12), a3);
                }
                a0.StoreUnsafe(ref d, (nuint)i); a1.StoreUnsafe(ref d, (nuint)(i + 4));
                a2.StoreUnsafe(ref d, (nuint)(i + 8)); a3.StoreUnsafe(ref d, (nuint)(i + 12));
            }
        }
        for (; i < n; i++)
        {
            double acc = hasY ? Unsafe.Add(ref yr, i) : 0;
            for (int t = 0; t < terms; t++) acc = Madd(coef[t], Unsafe.As<TK, double>(ref k[index[t]][i]), acc);
            Unsafe.Add(ref d, i) = acc;
        }
    }

    /// <summary>
    /// Gathers the factors of the listed stages for layer j into scratch: u_t (rows each, from 0) then v_t (cols each,
    /// from terms * rows), so that the row loops read one contiguous block (in L1) instead of one array per stage.
    /// </summary>
    private static void GatherFactors(double[][] f, ReadOnlySpan<int> index, FactorLayout layout, int j, Span<double> scratch)
    {
        int rows = layout.Rows[j], cols = layout.Cols[j], fo = layout.FactorOffset[j], terms = index.Length;
        if (scratch.Length < terms * (rows + cols)) throw new ArgumentException("factor scratch too small");
        for (int t = 0; t < terms; t++)
        {
            var ft = f[index[t]].AsSpan(fo, rows + cols);
            ft[..rows].CopyTo(scratch.Slice(t * rows, rows));
            ft[rows..].CopyTo(scratch.Slice(terms * rows + t * cols, cols));
        }
    }

    /// <summary>Scratch length the factor kernels need for the given number of terms.</summary>
    internal static int FactorScratch(FactorLayout layout, int terms)
    {
        int most = 0;
        for (int j = 0; j < layout.Rows.Length; j++) most = Math.Max(most, layout.Rows[j] + layout.Cols[j]);
        return terms * most;
    }

    /// <summary>
    /// dst = y + sum_t coef_t k_t with every stage k_t = f[index[t]] given by its rank-one layer factors (W_j entries
    /// u_t[r] v_t[c]): per row r of each layer the coefficients coef_t u_t[r], then the row from the v_t, in registers.
    /// Reads y and writes dst once; the stages are never formed densely.
    /// </summary>
    internal static void FactorCombination(Span<double> dst, ReadOnlySpan<double> y, double[][] f, ReadOnlySpan<int> index, ReadOnlySpan<double> coef,
        FactorLayout layout, Span<double> scratch)
    {
        int terms = index.Length;
        if (coef.Length < terms || terms > 32) throw new ArgumentException("combination lengths do not match");
        Span<double> beta = stackalloc double[terms];
        for (int j = 0; j < layout.Rows.Length; j++)
        {
            int rows = layout.Rows[j], cols = layout.Cols[j], wo = layout.WeightOffset[j];
            if (dst.Length < wo + rows * cols || y.Length < wo + rows * cols) throw new ArgumentException("combination lengths do not match");
            GatherFactors(f, index, layout, j, scratch);
            ref double u = ref MemoryMarshal.GetReference(scratch);
            ref double v = ref Unsafe.Add(ref u, terms * rows);
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < terms; t++) beta[t] = coef[t] * Unsafe.Add(ref u, t * rows + r);
                ref double d = ref Unsafe.Add(ref MemoryMarshal.GetReference(dst), wo + r * cols);
                ref double yr = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), wo + r * cols);
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; c + 8 <= cols; c += 8)
                    {
                        var a0 = Load(ref yr, c); var a1 = Load(ref yr, c + 4);
                        for (int t = 0; t < terms; t++)
                        {
                            ref double vt = ref Unsafe.Add(ref v, t * cols);
                            var bt = Vector256.Create(beta[t]);
                            a0 = Fmadd(bt, Load(ref vt, c), a0);
                            a1 = Fmadd(bt, Load(ref vt, c + 4), a1);
                        }
                        a0.StoreUnsafe(ref d, (nuint)c); a1.StoreUnsafe(ref d, (nuint)(c + 4));
                    }
                for (; c < cols; c++)
                {
                    double acc = Unsafe.Add(ref yr, c);
                    for (int t = 0; t < terms; t++) acc = Madd(beta[t], Unsafe.Add(ref v, t * cols + c), acc);
                    Unsafe.Add(ref d, c) = acc;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="EndOfStep{TK}"/> with stages given by rank-one layer factors (as <see cref="FactorCombination"/>):
    /// y_new = y + sum_t b_t k_t and the sums of (e5/sk)^2 and (e3/sk)^2, e = sum_t c_t k_t, sk = atol + rtol max(|y|, |y_new|).
    /// </summary>
    internal static (double Err5, double Err3) FactorEndOfStep(Span<double> yNew, ReadOnlySpan<double> y, double[][] f, ReadOnlySpan<int> index,
        ReadOnlySpan<double> b, ReadOnlySpan<double> e5, ReadOnlySpan<double> e3, double atol, double rtol, FactorLayout layout, Span<double> scratch)
    {
        int terms = index.Length;
        if (b.Length < terms || e5.Length < terms || e3.Length < terms || terms > 32) throw new ArgumentException("end-of-step lengths do not match");
        Span<double> cb = stackalloc double[terms], c5 = stackalloc double[terms], c3 = stackalloc double[terms];
        double s5 = 0, s3 = 0;
        var va = Vector256.Create(atol);
        var vr = Vector256.Create(rtol);
        Vector256<double> q5 = default, q3 = default;
        for (int j = 0; j < layout.Rows.Length; j++)
        {
            int rows = layout.Rows[j], cols = layout.Cols[j], wo = layout.WeightOffset[j];
            if (yNew.Length < wo + rows * cols || y.Length < wo + rows * cols) throw new ArgumentException("end-of-step lengths do not match");
            GatherFactors(f, index, layout, j, scratch);
            ref double u = ref MemoryMarshal.GetReference(scratch);
            ref double v = ref Unsafe.Add(ref u, terms * rows);
            for (int r = 0; r < rows; r++)
            {
                for (int t = 0; t < terms; t++)
                {
                    double ut = Unsafe.Add(ref u, t * rows + r);
                    cb[t] = b[t] * ut; c5[t] = e5[t] * ut; c3[t] = e3[t] * ut;
                }
                ref double d = ref Unsafe.Add(ref MemoryMarshal.GetReference(yNew), wo + r * cols);
                ref double yr = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), wo + r * cols);
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; c + 4 <= cols; c += 4)
                    {
                        var y0 = Load(ref yr, c);
                        Vector256<double> n0 = y0, f0 = default, g0 = default;
                        for (int t = 0; t < terms; t++)
                        {
                            var k0 = Load(ref Unsafe.Add(ref v, t * cols), c);
                            n0 = Fmadd(Vector256.Create(cb[t]), k0, n0);
                            f0 = Fmadd(Vector256.Create(c5[t]), k0, f0);
                            g0 = Fmadd(Vector256.Create(c3[t]), k0, g0);
                        }
                        n0.StoreUnsafe(ref d, (nuint)c);
                        var sk = Fmadd(vr, Vector256.Max(Vector256.Abs(y0), Vector256.Abs(n0)), va);
                        var r5 = f0 / sk; var r3 = g0 / sk;
                        q5 = Fmadd(r5, r5, q5);
                        q3 = Fmadd(r3, r3, q3);
                    }
                for (; c < cols; c++)
                {
                    double y0 = Unsafe.Add(ref yr, c), nv = y0, fv = 0, gv = 0;
                    for (int t = 0; t < terms; t++)
                    {
                        double kv = Unsafe.Add(ref v, t * cols + c);
                        nv = Madd(cb[t], kv, nv); fv = Madd(c5[t], kv, fv); gv = Madd(c3[t], kv, gv);
                    }
                    Unsafe.Add(ref d, c) = nv;
                    double sk = atol + rtol * Math.Max(Math.Abs(y0), Math.Abs(nv));
                    s5 += fv / sk * (fv / sk);
                    s3 += gv / sk * (gv / sk);
                }
            }
        }
        return (s5 + Vector256.Sum(q5), s3 + Vector256.Sum(q3));
    }

    /// <summary>The dense derivative of rank-one layer factors: entry (r, c) of layer j is u_j[r] v_j[c].</summary>
    internal static void ExpandFactors(ReadOnlySpan<double> f, Span<double> dense, FactorLayout layout)
    {
        for (int j = 0; j < layout.Rows.Length; j++)
        {
            int rows = layout.Rows[j], cols = layout.Cols[j], fo = layout.FactorOffset[j];
            Outer<F64>(MemoryMarshal.Cast<double, F64>(f.Slice(fo, rows)), MemoryMarshal.Cast<double, F64>(f.Slice(fo + rows, cols)),
                MemoryMarshal.Cast<double, F64>(dense.Slice(layout.WeightOffset[j], rows * cols)));
        }
    }

    /// <summary>Whether every entry is finite: x - x is 0 for a finite x and NaN otherwise, summed four entries at a time.</summary>
    internal static bool AllFinite(ReadOnlySpan<double> y)
    {
        int n = y.Length, i = 0;
        ref double r = ref MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var a = Load(ref r, i); var b = Load(ref r, i + 4);
                acc += (a - a) + (b - b);
            }
            if (!(acc == Vector256<double>.Zero)) return false;
        }
        for (; i < n; i++) if (!double.IsFinite(Unsafe.Add(ref r, i))) return false;
        return true;
    }

    /// <summary>sum_m (v_m / (atol + rtol max(|y0_m|, |y1_m|)))^2, the error norm's sum (non-finite input gives a non-finite sum).</summary>
    internal static double ScaledSumOfSquares(ReadOnlySpan<double> v, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, double atol, double rtol)
    {
        int n = v.Length, i = 0;
        if (y0.Length < n || y1.Length < n) throw new ArgumentException("error norm lengths do not match");
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double ar = ref MemoryMarshal.GetReference(y0);
        ref double br = ref MemoryMarshal.GetReference(y1);
        double sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(atol);
            var vr2 = Vector256.Create(rtol);
            Vector256<double> s0 = default, s1 = default;
            for (; i + 8 <= n; i += 8)
            {
                var r0 = Load(ref vr, i) / Fmadd(vr2, Vector256.Max(Vector256.Abs(Load(ref ar, i)), Vector256.Abs(Load(ref br, i))), va);
                var r1 = Load(ref vr, i + 4) / Fmadd(vr2, Vector256.Max(Vector256.Abs(Load(ref ar, i + 4)), Vector256.Abs(Load(ref br, i + 4))), va);
                s0 = Fmadd(r0, r0, s0);
                s1 = Fmadd(r1, r1, s1);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < n; i++)
        {
            double r = Unsafe.Add(ref vr, i) / (atol + rtol * Math.Max(Math.Abs(Unsafe.Add(ref ar, i)), Math.Abs(Unsafe.Add(ref br, i))));
            sum += r * r;
        }
        return sum;
    }

    /// <summary>
    /// DOP853's end of step in one pass over the stages it uses: y_new = y + sum_t b_t k_t, e5 = sum_t e_t k_t,
    /// e3 = sum_t f_t k_t (coefficients already scaled, zero where a stage is absent), and the two scaled sums of
    /// squares of e5 and e3 with sk = atol + rtol max(|y|, |y_new|), without storing e5 and e3.
    /// </summary>
    internal static (double Err5, double Err3) EndOfStep<TK>(Span<double> yNew, ReadOnlySpan<double> y, TK[][] k, ReadOnlySpan<int> index,
        ReadOnlySpan<double> b, ReadOnlySpan<double> e5, ReadOnlySpan<double> e3, double atol, double rtol) where TK : struct
    {
        if (Unsafe.SizeOf<TK>() != sizeof(double)) throw new ArgumentException("stage arrays must hold doubles");
        int n = yNew.Length, terms = index.Length, i = 0;
        if (y.Length < n || b.Length < terms || e5.Length < terms || e3.Length < terms) throw new ArgumentException("end-of-step lengths do not match");
        for (int t = 0; t < terms; t++) if (k[index[t]].Length < n) throw new ArgumentException("end-of-step lengths do not match");
        ref double d = ref MemoryMarshal.GetReference(yNew);
        ref double yr = ref MemoryMarshal.GetReference(y);
        double s5 = 0, s3 = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(atol);
            var vr = Vector256.Create(rtol);
            Vector256<double> q5a = default, q3a = default, q5b = default, q3b = default;
            for (; i + 8 <= n; i += 8)
            {
                var y0 = Load(ref yr, i); var y1 = Load(ref yr, i + 4);
                Vector256<double> n0 = y0, n1 = y1, f0 = default, f1 = default, g0 = default, g1 = default;
                for (int t = 0; t < terms; t++)
                {
                    ref double kt = ref Unsafe.As<TK, double>(ref MemoryMarshal.GetArrayDataReference(k[index[t]]));
                    var k0 = Load(ref kt, i); var k1 = Load(ref kt, i + 4);
                    var cb = Vector256.Create(b[t]); var c5 = Vector256.Create(e5[t]); var c3 = Vector256.Create(e3[t]);
                    n0 = Fmadd(cb, k0, n0); n1 = Fmadd(cb, k1, n1);
                    f0 = Fmadd(c5, k0, f0); f1 = Fmadd(c5, k1, f1);
                    g0 = Fmadd(c3, k0, g0); g1 = Fmadd(c3, k1, g1);
                }
                n0.StoreUnsafe(ref d, (nuint)i); n1.StoreUnsafe(ref d, (nuint)(i + 4));
                var sk0 = Fmadd(vr, Vector256.Max(Vector256.Abs(y0), Vector256.Abs(n0)), va);
                var sk1 = Fmadd(vr, Vector256.Max(Vector256.Abs(y1), Vector256.Abs(n1)), va);
                var r0 = f0 / sk0; var r1 = f1 / sk1; var u0 = g0 / sk0; var u1 = g1 / sk1;
                q5a = Fmadd(r0, r0, q5a); q5b = Fmadd(r1, r1, q5b);
                q3a = Fmadd(u0, u0, q3a); q3b = Fmadd(u1, u1, q3b);
            }
            s5 = Vector256.Sum(q5a + q5b);
            s3 = Vector256.Sum(q3a + q3b);
        }
        for (; i < n; i++)
        {
            double y0 = Unsafe.Add(ref yr, i), nv = y0, f = 0, g = 0;
            for (int t = 0; t < terms; t++)
            {
                double kv = Unsafe.As<TK, double>(ref k[index[t]][i]);
                nv = Madd(b[t], kv, nv); f = Madd(e5[t], kv, f); g = Madd(e3[t], kv, g);
            }
            Unsafe.Add(ref d, i) = nv;
            double sk = atol + rtol * Math.Max(Math.Abs(y0), Math.Abs(nv));
            s5 += f / sk * (f / sk);
            s3 += g / sk * (g / sk);
        }
        return (s5, s3);
    }

    /// <summary>One RKC stage: into = a y0 + b y1 + c y2 + d f1 + e f0, in one SIMD pass.</summary>
    internal static void ChebyshevStage(Span<double> into, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, ReadOnlySpan<double> y2,
        ReadOnlySpan<double> f1, ReadOnlySpan<double> f0, double a, double b, double c, double d, double e)
    {
        int n = into.Length, i = 0;
        if (y0.Length < n || y1.Length < n || y2.Length < n || f1.Length < n || f0.Length < n) throw new ArgumentException("stage lengths do not match");
        ref double o = ref MemoryMarshal.GetReference(into);
        ref double r0 = ref MemoryMarshal.GetReference(y0);
        ref double r1 = ref MemoryMarshal.GetReference(y1);
        ref double r2 = ref MemoryMarshal.GetReference(y2);
        ref double g1 = ref MemoryMarshal.GetReference(f1);
        ref double g0 = ref MemoryMarshal.GetReference(f0);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> va = Vector256.Create(a), vb = Vector256.Create(b), vc = Vector256.Create(c), vd = Vector256.Create(d), ve = Vector256.Create(e);
            for (; i + 4 <= n; i += 4)
            {
                var acc = va * Load(ref r0, i);
                acc = Fmadd(vb, Load(ref r1, i), acc);
                acc = Fmadd(vc, Load(ref r2, i), acc);
                acc = Fmadd(vd, Load(ref g1, i), acc);
                acc = Fmadd(ve, Load(ref g0, i), acc);
                acc.StoreUnsafe(ref o, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref o, i) = Madd(e, Unsafe.Add(ref g0, i), Madd(d, Unsafe.Add(ref g1, i), Madd(c, Unsafe.Add(ref r2, i), Madd(b, Unsafe.Add(ref r1, i), a * Unsafe.Add(ref r0, i)))));
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        if (y.Length < n) throw new ArgumentException("dot product lengths do not match");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        double acc = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<double> a0 = default, a1 = default;
            for (; i + 8 <= n; i += 8)
            {
                a0 = Fmadd(Load(ref xr, i), Load(ref yr, i), a0);
                a1 = Fmadd(Load(ref xr, i + 4), Load(ref yr, i + 4), a1);
            }
            if (i + 4 <= n) { a0 = Fmadd(Load(ref xr, i), Load(ref yr, i), a0); i += 4; }
            acc = Vector256.Sum(a0 + a1);
        }
        for (; i < n; i++) acc += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        return acc;
    }

    /// <summary>y += a x.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (y.Length < n) throw new ArgumentException("axpy lengths do not match");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i + 4 <= n; i += 4) Fmadd(va, Load(ref xr, i), Load(ref yr, i)).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) += a * Unsafe.Add(ref xr, i);
    }

    private static void Scale(ReadOnlySpan<double> x, double a, Span<double> into)
    {
        int n = x.Length, i = 0;
        if (into.Length < n) throw new ArgumentException("scale lengths do not match");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double o = ref MemoryMarshal.GetReference(into);
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i + 4 <= n; i += 4) (va * Load(ref xr, i)).StoreUnsafe(ref o, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref o, i) = a * Unsafe.Add(ref xr, i);
    }
}
