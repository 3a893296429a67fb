using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>Outcome of one exact check: holds, fails, or not run because its estimated size is over the memory budget.</summary>
public readonly record struct ExactCheck(bool? Holds, string? NotCheckedBecause = null)
{
    public static ExactCheck Of(bool holds) => new(holds);
    public static ExactCheck Skipped(string why) => new(null, why);
    public bool Fails => Holds == false;
}

/// <summary>One layer's flow dW_j/dt derived by differentiation (entries expanded only when printed) and the T1 check.</summary>
public sealed record LayerFlow(int Layer, int Rows, int Cols, PolyMatrix? Flow, ExactCheck EqualsClosedForm)
{
    public int EntryCount => Rows * Cols;

    /// <summary>Data targets only: whether the data flow equals T1 as stated for a target, W_{N:j+1}^T (Z - P) W_{j-1:1}^T
    /// with Z = Y X^T Sigma^{-1/2} (it does exactly when the data are whitened, T0); null for other targets.</summary>
    public ExactCheck? EqualsTargetForm { get; init; }
}

/// <summary>One imbalance C_j (entries built only when printed) and the check that its Lie derivative is zero (T3).</summary>
public sealed record ConservedQuantity(int Index, int Size, PolyMatrix? Value, long Terms, ExactCheck LieDerivativeIsZero);

/// <summary>
/// The derivation `dlp derive` prints: loss, flow by differentiation checked against T1, the imbalances
/// with their Lie derivatives (T3), dL/dt against -sum ||dL/dW_j||^2 (T4) and the 2x2 minors of P (T5).
/// Every check is an exact comparison of normal forms. Small networks are expanded whole; larger ones are
/// checked blockwise (<see cref="BlockNetwork"/>, the engine of `dlp bench derive --mode blockwise`), and the
/// expanded per-entry polynomials are built only when printed (--entries), after a size estimate against the budget.
/// </summary>
public sealed record FlowDerivation(
    NetworkModel Model,
    DerivationMode Engine,
    double EstimatedLossTerms,
    Polynomial? Loss,
    IReadOnlyList<LayerFlow> Flows,
    IReadOnlyList<ConservedQuantity> Conserved,
    long? LossRateTerms,
    ExactCheck LossRate,
    ExactCheck? Minors)
{
    /// <summary>Largest estimated expanded loss derived and checked as one expanded polynomial (beyond it: blockwise).</summary>
    public const double ExpandedLimit = 500;

    /// <summary>Default memory budget for what derive builds.</summary>
    public const long DefaultBudgetBytes = 1L << 30;

    /// <summary>Rough resident bytes per stored polynomial term (dictionary entry, monomial, exponent array, slack).</summary>
    public const double BytesPerTerm = 400;

    /// <summary>Most monomial products one blockwise check may take (about a minute in a Debug build).</summary>
    public const double WorkLimit = 1e7;

    /// <summary>Rough resident bytes per symbolic matrix entry (variable, its polynomial, monomial and name).</summary>
    public const double SymbolBytes = 600;

    /// <summary>C_j entries are printed without --entries while their total is at most this many terms.</summary>
    public const long ConservedPrintLimit = 50_000;

    public bool AllHold => Flows.All(f => f.EqualsClosedForm.Holds == true) && Conserved.All(c => c.LieDerivativeIsZero.Holds == true)
                           && LossRate.Holds == true && Minors?.Holds != false && Minors?.NotCheckedBecause is null;

    public bool AnyFails => Flows.Any(f => f.EqualsClosedForm.Fails) || Conserved.Any(c => c.LieDerivativeIsZero.Fails) || LossRate.Fails || Minors?.Fails == true;

    public static FlowDerivation Derive(Architecture arch, Target target, bool entries = false, long budgetBytes = DefaultBudgetBytes)
    {
        RequireSymbolsFit(arch, "derive", budgetBytes);
        var model = new NetworkModel(arch, target); // validates the target's shape against the widths
        double estimate = DerivationWorkload.EstimateExpandedLossTermsSaturating(arch);
        var conservedTerms = ConservedTerms(arch);
        if (entries)
        {
            double expanded = estimate * (1 + 2.0 * arch.Depth) + conservedTerms.Sum(t => (double)t);
            if (expanded * BytesPerTerm > budgetBytes)
                throw new NetworkInputException(
                    $"derive --entries on widths {arch} would expand about {Num.Sci(expanded, 1)} polynomial terms (~{Gb(expanded * BytesPerTerm)} GB, budget {Gb(budgetBytes)} GB); " +
                    "drop --entries (the checks and entry counts need no expansion) or use smaller widths");
        }
        return estimate <= ExpandedLimit ? Expanded(model, estimate) : Blockwise(model, estimate, entries, conservedTerms, budgetBytes);
    }

    /// <summary>The symbolic weights and target alone (one polynomial per entry) must fit before anything is built;
    /// <paramref name="what"/> names the command in the one-line refusal.</summary>
    public static void RequireSymbolsFit(Architecture arch, string what, long budgetBytes = DefaultBudgetBytes)
    {
        double symbols = (double)arch.Width(0) * arch.Width(arch.Depth);
        for (int j = 1; j <= arch.Depth; j++) symbols += (double)arch.Width(j) * arch.Width(j - 1);
        if (symbols * SymbolBytes > budgetBytes)
            throw new NetworkInputException(
                $"{what} on widths {arch} needs {Num.Sci(symbols, 1)} symbolic entries (weights and Z), ~{Gb(symbols * SymbolBytes)} GB before any check (budget {Gb(budgetBytes)} GB); use smaller widths");
    }

    private static string Gb(double bytes) => bytes < 1L << 30
        ? (bytes / (1L << 30)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)
        : Num.G(bytes / (1L << 30), 3); // 9.31e+05, never .NET's 9.31E+05

    /// <summary>Terms of each C_j = W_{j+1}^T W_{j+1} - W_j W_j^T (upper triangle, as printed): d_j(d_j+1)/2 (d_{j-1} + d_{j+1}) at most.</summary>
    private static long[] ConservedTerms(Architecture arch) =>
        Enumerable.Range(1, arch.Depth - 1).Select(j => (long)arch.Width(j) * (arch.Width(j) + 1) / 2 * (arch.Width(j - 1) + arch.Width(j + 1))).ToArray();

    private static FlowDerivation Expanded(NetworkModel model, double estimate)
    {
        var arch = model.Architecture;
        var flows = Enumerable.Range(1, arch.Depth)
            .Select(j => new LayerFlow(j, arch.Width(j), arch.Width(j - 1), model.Flow(j), ExactCheck.Of(model.Flow(j).Equals(model.FlowClosedForm(j))))
            {
                EqualsTargetForm = TargetForm(model, j),
            }).ToList();
        var conserved = Enumerable.Range(1, arch.Depth - 1).Select(j =>
        {
            var c = model.Imbalance(j);
            return new ConservedQuantity(j, arch.Width(j), c, c.Entries().Sum(p => (long)p.TermCount), ExactCheck.Of(model.Lie(c).IsZero));
        }).ToList();
        var rate = model.Lie(model.Loss);
        ExactCheck? minors = arch.OneNeuronLayer is null ? null : ExactCheck.Of(model.EndToEnd.Minors2().IsZero);
        return new FlowDerivation(model, DerivationMode.Expanded, estimate, model.Loss, flows, conserved, rate.TermCount,
            ExactCheck.Of(rate.Equals(model.LossRateClosedForm())), minors);
    }

    /// <summary>
    /// Blockwise, as `dlp bench derive --mode blockwise`: T1 for layer j and T4's layer-j part on the block keeping W_j;
    /// T3 for C_j on the block keeping W_j, W_{j+1}; T5 on the block keeping the one-neuron layer. Sound because the
    /// substitution of the products for the generic blocks is a ring homomorphism fixing the kept variables
    /// (see <see cref="BlockNetwork"/>): T4's identity is the sum over j of its layer-j parts, and a 2x2 minor of
    /// A W_k B maps to the same minor of P.
    /// </summary>
    private static FlowDerivation Blockwise(NetworkModel model, double estimate, bool entries, long[] conservedTerms, long budgetBytes)
    {
        var arch = model.Architecture;
        var target = model.Target;
        int n = arch.Depth;
        // Tasks run on every core at once, so each gets its share of the budget.
        double perTask = (double)budgetBytes / Math.Max(1, Math.Min(Environment.ProcessorCount, 2 * n));
        var closed = new ExactCheck[n + 1];
        var rateParts = new ExactCheck[n + 1];
        var rateTerms = new long[n + 1];
        var lie = new ExactCheck[n];
        ExactCheck? minors = null;
        int? k = arch.OneNeuronLayer;
        Parallel.For(1, 2 * n + (k is null ? 0 : 1), Check);
        void Check(int task)
        {
            if (task <= n)
            {
                int j = task;
                var cost = BlockCost(arch, j, j);
                if (cost.Terms * BytesPerTerm > perTask)
                {
                    closed[j] = rateParts[j] = ExactCheck.Skipped(NotChecked(cost.Terms, perTask));
                    return;
                }
                var block = new BlockNetwork(arch, target, j, j);
                var flow = block.Flow(j);
                closed[j] = ExactCheck.Of(flow.Equals(block.FlowClosedForm(j)));
                // Time as well as memory: each summand costs 2 (terms of dv/dt)^2 monomial products.
                double work = (double)arch.Width(j) * arch.Width(j - 1) * 2 * cost.PerFlow * cost.PerFlow;
                if (cost.RateTerms * BytesPerTerm > perTask || work > WorkLimit)
                {
                    rateParts[j] = ExactCheck.Skipped(cost.RateTerms * BytesPerTerm > perTask ? NotChecked(cost.RateTerms, perTask)
                        : $"not checked at this size (estimate {Num.Sci(work, 1)} monomial products, over the {Num.Sci(WorkLimit, 0)} limit for one check)");
                    return;
                }
                // Layer j's part of T4, sum over v in W_j of dL/dv * dv/dt = -||dL/dW_j||^2, checked summand by summand
                // (dL/dv * dv/dt + (dv/dt)^2 == 0 for each v implies the sum), so only one product is held at a time.
                bool holds = true;
                long terms = 0;
                foreach (var v in block.Weight(j).Entries().Select(p => p.Variables().Single()))
                {
                    var velocity = block.FlowOf(v);
                    var summand = new PolynomialBuilder();
                    summand.AddProduct(block.Loss.Derivative(v), velocity);
                    terms += summand.TermCount; // the terms of dL/dv * dv/dt (ToPolynomial would empty the builder)
                    summand.AddProduct(velocity, velocity);
                    holds &= summand.ToPolynomial().IsZero;
                }
                rateTerms[j] = terms;
                rateParts[j] = ExactCheck.Of(holds);
            }
            else if (task < 2 * n)
            {
                int j = task - n;
                // Each entry of lie(C_j) sums about 2 (d_{j-1} + d_{j+1}) flows before cancelling.
                var cost = BlockCost(arch, j, j + 1);
                double terms = cost.Terms + 2.0 * (arch.Width(j - 1) + arch.Width(j + 1)) * cost.PerFlow;
                if (terms * BytesPerTerm > perTask)
                {
                    lie[j] = ExactCheck.Skipped(NotChecked(terms, perTask));
                    return;
                }
                var block = new BlockNetwork(arch, target, j, j + 1);
                lie[j] = ExactCheck.Of(block.Imbalance(j).Map(block.Lie).IsZero);
            }
            else
            {
                int kept = Math.Clamp(k!.Value, 1, n);
                // 2x2 minors of A W_k B: C(d_N,2) C(d_0,2) of them, each built alone from 2 paths^2 products (zero ones are empty).
                double paths = Paths(arch, kept, kept);
                double work = Choose2(arch.Width(n)) * Choose2(arch.Width(0)) * 2 * paths * paths;
                minors = work > WorkLimit || 2 * paths * paths * BytesPerTerm > perTask
                    ? ExactCheck.Skipped($"not checked at this size (estimate {Num.Sci(work, 1)} monomial products, over the {Num.Sci(WorkLimit, 0)} limit for one check)")
                    : ExactCheck.Of(new BlockNetwork(arch, target, kept, kept).EndToEnd.Minors2().IsZero);
            }
        }
        var flows = Enumerable.Range(1, n).Select(j => new LayerFlow(j, arch.Width(j), arch.Width(j - 1), entries ? model.Flow(j) : null, closed[j])
        {
            EqualsTargetForm = target is DataTarget ? ExactCheck.Skipped("not compared at this size (the data flow is checked blockwise in its own form only)") : null,
        }).ToList();
        var conserved = Enumerable.Range(1, n - 1).Select(j => new ConservedQuantity(j, arch.Width(j),
            entries || conservedTerms.Sum() <= ConservedPrintLimit ? model.Imbalance(j) : null, conservedTerms[j - 1], lie[j])).ToList();
        var skipped = rateParts.Skip(1).FirstOrDefault(r => r.NotCheckedBecause is not null);
        var rate = skipped.NotCheckedBecause is not null ? skipped : ExactCheck.Of(rateParts.Skip(1).All(r => r.Holds == true));
        return new FlowDerivation(model, DerivationMode.Blockwise, estimate, null, flows, conserved,
            rate.NotCheckedBecause is null ? rateTerms.Sum() : null, rate, minors);
    }

    /// <summary>T1 as stated for a target (E = Z - P) against the derived data flow of layer j; null unless the target is data.</summary>
    private static ExactCheck? TargetForm(NetworkModel model, int j)
    {
        if (model.Target is not DataTarget data) return null;
        if (data.SqrtSigma is null) return ExactCheck.Skipped("not comparable: Z = Y X^T Sigma^{-1/2} is not rational for these data");
        var z = data.Matrix(model.Architecture);
        var closed = model.Product(model.Depth, j + 1).Transpose() * (z - model.EndToEnd) * model.Product(j - 1, 1).Transpose();
        return ExactCheck.Of(model.Flow(j).Equals(closed));
    }

    private static string NotChecked(double terms, double perTask) =>
        $"not checked at this size (estimate {Num.Sci(terms, 1)} terms, ~{Gb(terms * BytesPerTerm)} GB, over the {Gb(perTask)} GB per check)";

    private static double Choose2(int d) => d * (d - 1) / 2.0;

    /// <summary>Paths through the block product A W_h ... W_l B (A, B generic unless the block reaches the ends).</summary>
    internal static double Paths(Architecture arch, int lowest, int highest)
    {
        double paths = highest < arch.Depth ? arch.Width(highest) : 1;
        for (int i = lowest; i < highest; i++) paths *= arch.Width(i);
        if (lowest > 1) paths *= arch.Width(lowest - 1);
        return paths;
    }

    /// <summary>
    /// Terms a block check stores: loss (d_0 d_N (t(t+1)/2 + t + 1) for t paths), flows (each entry sums its rows'
    /// and columns' residuals times a path: rows * cols * (1 + t)), and for T4 the squared flows of one layer.
    /// </summary>
    internal static (double Terms, double RateTerms, double PerFlow) BlockCost(Architecture arch, int lowest, int highest)
    {
        double t = Paths(arch, lowest, highest);
        double rows = highest < arch.Depth ? arch.Width(arch.Depth) : 1, cols = lowest > 1 ? arch.Width(0) : 1;
        double loss = (double)arch.Width(0) * arch.Width(arch.Depth) * (t * (t + 1) / 2 + t + 1);
        double variables = 0;
        for (int j = lowest; j <= highest; j++) variables += (double)arch.Width(j) * arch.Width(j - 1);
        double perFlow = rows * cols * (1 + t);
        double flows = variables * perFlow;
        double squares = 2 * perFlow * (perFlow + 1) / 2; // one summand of T4 at a time (and its copy)
        return (loss + 2 * flows, loss + 2 * flows + squares, perFlow);
    }
}
