using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Flow;

/// <summary>
/// What a simulation will need, estimated from the widths alone before anything is allocated: memory for the state and
/// the integrator's work vectors ((stages + extra vectors) * dimension * bytes per number), the target Z with its
/// singular vectors, and the flops of one right-hand-side evaluation.
/// </summary>
public sealed record ResourceEstimate(long Dimension, int WorkVectors, double MemoryBytes, double FlopsPerEvaluation)
{
    /// <summary>Default memory budget of one simulation; the request's AllowLarge lifts it.</summary>
    public const long DefaultBudgetBytes = 1L << 30;

    /// <summary>Vectors of the state dimension held at once: integrator stages and buffers plus the simulator's own (state, monitors, start).</summary>
    /// <summary>Vectors of the state dimension held at once: integrator stages and buffers plus the simulator's own (state, monitors, start).</summary>
    public static int VectorsFor(IntegratorChoice integrator) => integrator switch
    {
        IntegratorChoice.Dp54 => 7 + 4 + 5 + 1 + 2 + 4,     // k, y/yNew/yTmp/fNew, dense output, its buffer, errors; simulator
        IntegratorChoice.Dop853 => 12 + 4 + 8 + 1 + 3 + 2 + 4,  // DOP853: k, buffers, 8 dense-output vectors, extra stages, errors; simulator
        _ => 30 + 11 + 4,                                   // the stiff switch (auto may pick it): DOP853 and the Chebyshev stages
    };

    public static ResourceEstimate For(Architecture arch, IntegratorChoice method = IntegratorChoice.Auto, Precision precision = Precision.Double)
    {
        double dimension = 0;
        for (int j = 1; j <= arch.Depth; j++) dimension += (double)arch.Width(j) * arch.Width(j - 1);
        int bytes = precision == Precision.DoubleDouble ? 16 : 8;
        int vectors = VectorsFor(method);
        double rows = arch.Width(arch.Depth), cols = arch.Width(0);
        // Z exact (16-byte rationals), in double, U and V, and the right-hand side's product buffers (d_N x d_0 and per-layer chains).
        double target = rows * cols * (16 + 8 + 8) + (rows * rows + cols * cols) * 8;
        double chains = 0;
        for (int j = 1; j <= arch.Depth; j++) chains += ((double)arch.Width(j) * cols + rows * arch.Width(j - 1)) * bytes;
        double flops = 0;
        for (int j = 1; j <= arch.Depth; j++)
            flops += 2.0 * arch.Width(j) * arch.Width(j - 1) * (arch.OneNeuronLayer is null ? Math.Max(rows, cols) : 3) + 2 * rows * cols;
        return new ResourceEstimate((long)Math.Min(dimension, long.MaxValue), vectors, dimension * vectors * bytes + target + chains, flops);
    }

    /// <summary>Throws (one line, field <see cref="RequestField.MemoryBudget"/>) when the estimate is over the budget and it was not lifted.</summary>
    public static void Require(Architecture arch, IntegratorChoice method, Precision precision, bool allowLarge, long budgetBytes = DefaultBudgetBytes)
    {
        var e = For(arch, method, precision);
        if (allowLarge || e.MemoryBytes <= budgetBytes) return;
        throw new RequestFieldException(RequestField.MemoryBudget,
            $"widths {arch} give {e.Dimension:N0} weights; the integration would hold {e.WorkVectors} vectors of them, ~{e.MemoryBytes / (1L << 30):F1} GB " +
            $"(budget {budgetBytes / (double)(1L << 30):F0} GB), and each evaluation of the flow costs ~{Num.Sci(e.FlopsPerEvaluation, 1)} flops; use smaller widths");
    }

    /// <summary>The check at the start of <see cref="Simulator.Run"/>.</summary>
    public static void Require(SimulationRequest req) => Require(req.Architecture, req.Integrator, req.Precision, req.AllowLarge);
}
