using System.Diagnostics;
using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>How the flow is derived: by expanding the whole loss, or layer by layer with generic blocks.</summary>
public enum DerivationMode { Expanded, Blockwise }

/// <summary>Outcome of deriving the flow by differentiation and checking every conservation identity (T1, T3).</summary>
public sealed record DerivationReport(
    DerivationMode Mode,
    int LossTerms,
    long FlowTerms,
    int FlowEquations,
    int ConservationIdentities,
    int IdentitiesHolding,
    int ClosedFormChecks,
    int ClosedFormsHolding,
    TimeSpan Elapsed)
{
    public bool AllHold => IdentitiesHolding == ConservationIdentities && ClosedFormsHolding == ClosedFormChecks;
}

/// <summary>
/// The derivation benchmark (`dlp bench derive`, compared with bench/sympy_anchor.py): derive dW_j/dt by differentiating L, then verify that
/// every entry of every C_j has zero Lie derivative, exactly.
/// </summary>
public static class DerivationWorkload
{
    /// <summary>Largest expanded loss (terms, estimated before expanding) the expanded mode will build.</summary>
    public const long ExpandedTermLimit = 20_000_000;

    public static DerivationReport Run(Architecture arch, Target target, DerivationMode mode) =>
        mode == DerivationMode.Expanded ? RunExpanded(arch, target) : RunBlockwise(arch, target);

    /// <summary>Upper bound on the number of terms of the expanded loss: sum over entries of t(t+1)/2 plus cross terms (saturates at long.MaxValue).</summary>
    public static long EstimateExpandedLossTerms(Architecture arch)
    {
        double estimate = EstimateExpandedLossTermsSaturating(arch);
        return estimate >= long.MaxValue ? long.MaxValue : (long)estimate;
    }

    /// <summary>As <see cref="EstimateExpandedLossTerms"/> in floating point, so deep or wide networks do not overflow (infinity at worst).</summary>
    public static double EstimateExpandedLossTermsSaturating(Architecture arch)
    {
        // Each entry of P is a sum over paths: prod of hidden widths.
        double paths = 1;
        for (int j = 1; j < arch.Depth; j++) paths *= arch.Width(j);
        double entries = (double)arch.Width(0) * arch.Width(arch.Depth);
        return entries * (paths * (paths + 1) / 2 + paths + 1);
    }

    private static DerivationReport RunExpanded(Architecture arch, Target target)
    {
        var estimate = EstimateExpandedLossTerms(arch);
        if (estimate > ExpandedTermLimit)
            throw new NetworkInputException($"the expanded loss of widths {arch} could have up to {Num.Sci(estimate, 1)} terms (limit {Num.Sci(ExpandedTermLimit, 0)}); use --mode blockwise");
        var clock = Stopwatch.StartNew();
        var model = new NetworkModel(arch, target);
        var loss = model.Loss;
        var variables = model.WeightVariables.ToArray();
        long flowTerms = 0;
        foreach (var v in variables) flowTerms += model.FlowOf(v).TermCount;
        int identities = 0, holding = 0;
        var results = new bool[arch.Depth];
        var counts = new int[arch.Depth];
        Parallel.For(1, arch.Depth, j =>
        {
            var lie = model.Lie(model.Imbalance(j));
            counts[j] = lie.Rows * lie.Cols;
            results[j] = lie.IsZero;
        });
        for (int j = 1; j < arch.Depth; j++)
        {
            identities += counts[j];
            if (results[j]) holding += counts[j];
        }
        clock.Stop();
        return new DerivationReport(DerivationMode.Expanded, loss.TermCount, flowTerms, variables.Length, identities, holding, 0, 0, clock.Elapsed);
    }

    private static DerivationReport RunBlockwise(Architecture arch, Target target)
    {
        var clock = Stopwatch.StartNew();
        int n = arch.Depth;
        var lossTerms = new int[n + 1];
        var flowTerms = new long[n + 1];
        var flowEquations = new int[n + 1];
        var closedOk = new bool[n + 1];
        var lieEntries = new int[n];
        var lieOk = new bool[n];
        Parallel.For(1, 2 * n, task =>
        {
            if (task <= n)
            {
                int j = task;
                var block = new BlockNetwork(arch, target, j, j);
                var flow = block.Flow(j);
                lossTerms[j] = block.Loss.TermCount;
                flowTerms[j] = flow.Entries().Sum(p => (long)p.TermCount);
                flowEquations[j] = flow.Rows * flow.Cols;
                closedOk[j] = flow.Equals(block.FlowClosedForm(j));
            }
            else
            {
                int j = task - n;
                var block = new BlockNetwork(arch, target, j, j + 1);
                var lie = block.Imbalance(j).Map(block.Lie);
                lieEntries[j] = lie.Rows * lie.Cols;
                lieOk[j] = lie.IsZero;
            }
        });
        clock.Stop();
        int identities = 0, holding = 0;
        for (int j = 1; j < n; j++)
        {
            identities += lieEntries[j];
            if (lieOk[j]) holding += lieEntries[j];
        }
        return new DerivationReport(DerivationMode.Blockwise, lossTerms.Max(), flowTerms.Sum(), flowEquations.Sum(),
            identities, holding, n, closedOk.Count(ok => ok), clock.Elapsed);
    }
}
