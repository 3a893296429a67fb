using System.Diagnostics;
using DeepLinearProofs.Dynamics.Numerics;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>An achieved floating-point rate: flops done in a measured time.</summary>
public sealed record FlopRate(long Flops, double Seconds, long Repetitions)
{
    public double GigaflopsPerSecond => Seconds > 0 ? Flops / Seconds / 1e9 : 0;
}

/// <summary>
/// Throughput measurements for <c>dlp bench simulate</c>: the right-hand side alone, evaluated repeatedly at one state,
/// and the machine's matrix-vector rate from a plain C# loop (scalar, one accumulator, bounds-checked arrays) on a
/// matrix of the same size as the network's largest layer, as a calibration measured in the same run.
/// </summary>
public static class Throughput
{
    /// <summary>Evaluates the flow at <paramref name="weights"/> for about <paramref name="seconds"/> (after a short warm-up).</summary>
    public static FlopRate RightHandSide(Architecture arch, NumericTarget z, FlowStructure structure, double[] weights, double seconds = 0.3)
    {
        var field = GradientFlow<F64>.Create(arch, z, structure);
        var y = weights.Select(w => new F64(w)).ToArray();
        var dy = new F64[y.Length];
        return Time(() => field.Evaluate(y, dy), field.FlopsPerEvaluation, seconds);
    }

    /// <summary>y = A x with A rows x cols (the network's largest layer) in a plain loop: the calibration rate.</summary>
    public static FlopRate PlainMatVec(Architecture arch, double seconds = 0.3)
    {
        int rows = 1, cols = 1;
        for (int j = 1; j <= arch.Depth; j++)
            if ((long)arch.Width(j) * arch.Width(j - 1) > (long)rows * cols) (rows, cols) = (arch.Width(j), arch.Width(j - 1));
        var rng = new Random(1);
        var a = new double[rows * cols];
        var x = new double[cols];
        var y = new double[rows];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        void MatVec()
        {
            for (int r = 0; r < rows; r++)
            {
                double acc = 0;
                for (int c = 0; c < cols; c++) acc += a[r * cols + c] * x[c];
                y[r] = acc;
            }
        }
        return Time(MatVec, 2L * rows * cols, seconds);
    }

    private static FlopRate Time(Action work, long flopsPerCall, double seconds)
    {
        for (int i = 0; i < 50; i++) work();
        // Calls per batch so that one batch takes about a millisecond: the clock is read rarely.
        long batch = Math.Max(1, 1_000_000 / Math.Max(1, flopsPerCall));
        long calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            for (long i = 0; i < batch; i++) work();
            calls += batch;
        } while (clock.Elapsed.TotalSeconds < seconds);
        return new FlopRate(calls * flopsPerCall, clock.Elapsed.TotalSeconds, calls);
    }
}
