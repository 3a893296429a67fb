using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Networks;

/// <summary>One layer's flow dW_j/dt derived by differentiation, and whether it equals the T1 closed form.</summary>
public sealed record LayerFlow(int Layer, PolyMatrix Flow, bool EqualsClosedForm);

/// <summary>One imbalance C_j and whether its Lie derivative is the zero polynomial (T3).</summary>
public sealed record ConservedQuantity(int Index, PolyMatrix Value, bool LieDerivativeIsZero);

/// <summary>
/// The derivation `dlp derive` prints: loss, flow by differentiation checked against T1, the imbalances
/// with their Lie derivatives (T3), dL/dt against -sum ||dL/dW_j||^2 (T4) and the 2x2 minors of P (T5).
/// Every check is an exact comparison of normal forms.
/// </summary>
public sealed record FlowDerivation(
    NetworkModel Model,
    IReadOnlyList<LayerFlow> Flows,
    IReadOnlyList<ConservedQuantity> Conserved,
    Polynomial LossRate,
    bool LossRateEqualsClosedForm,
    bool? MinorsVanish)
{
    /// <summary>Largest estimated expanded loss that derive will build.</summary>
    public const long TermLimit = 2_000_000;

    public static FlowDerivation Derive(Architecture arch, Target target)
    {
        var estimate = DerivationWorkload.EstimateExpandedLossTerms(arch);
        if (estimate > TermLimit)
            throw new NetworkInputException($"widths {arch} give an expanded loss of up to {Num.Sci(estimate, 1)} terms, too many to print; check them with 'dlp bench derive --widths {arch} --mode blockwise'");
        var model = new NetworkModel(arch, target);
        var flows = Enumerable.Range(1, arch.Depth)
            .Select(j => new LayerFlow(j, model.Flow(j), model.Flow(j).Equals(model.FlowClosedForm(j)))).ToList();
        var conserved = Enumerable.Range(1, arch.Depth - 1)
            .Select(j => new ConservedQuantity(j, model.Imbalance(j), model.Lie(model.Imbalance(j)).IsZero)).ToList();
        var rate = model.Lie(model.Loss);
        bool? minors = arch.OneNeuronLayer is null ? null : model.EndToEnd.Minors2().IsZero;
        return new FlowDerivation(model, flows, conserved, rate, rate.Equals(model.LossRateClosedForm()), minors);
    }
}
