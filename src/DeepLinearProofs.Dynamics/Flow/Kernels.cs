using System.Numerics;
using System.Runtime.InteropServices;
using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>Allocation-free dense kernels on row-major spans; the double path uses SIMD vectors.</summary>
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

    private static void MatVec(ReadOnlySpan<double> w, int rows, int cols, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int r = 0; r < rows; r++) y[r] = Dot(w.Slice(r * cols, cols), x[..cols]);
    }

    private static void MatTVec(ReadOnlySpan<double> w, int rows, int cols, ReadOnlySpan<double> x, Span<double> y)
    {
        var outp = y[..cols];
        outp.Clear();
        for (int r = 0; r < rows; r++)
        {
            double xr = x[r];
            if (xr == 0) continue;
            Axpy(xr, w.Slice(r * cols, cols), outp);
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        double acc = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var sum = Vector<double>.Zero;
            for (int v = 0; v < vx.Length; v++) sum += vx[v] * vy[v];
            acc = Vector.Sum(sum);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) acc += x[i] * y[i];
        return acc;
    }

    /// <summary>y += a x with SIMD vectors.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var va = new Vector<double>(a);
            for (int v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    private static void Scale(ReadOnlySpan<double> x, double a, Span<double> into)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vo = MemoryMarshal.Cast<double, Vector<double>>(into);
            var va = new Vector<double>(a);
            for (int v = 0; v < vx.Length; v++) vo[v] = va * vx[v];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) into[i] = a * x[i];
    }
}
