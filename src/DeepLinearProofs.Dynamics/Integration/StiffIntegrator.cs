using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>
/// The stiff switch (<see cref="Stiffness.Switch"/>): the explicit pair of the options (DOP853 by default) while the
/// problem is accuracy-limited, then RKC once the pair's steps are bounded by stability (Hairer's stiffness test:
/// h lambda above the pair's bound, 6.1 for DOP853, on 15 consecutive steps). The report says which ran when.
/// Constructing this class is choosing the switch: options.Stiffness is not consulted. MaxSteps caps both phases together.
/// </summary>
public sealed class StiffIntegrator<T> where T : struct, IReal<T>
{
    private readonly IVectorField<T> _field;
    private readonly IntegratorOptions _options;

    public StiffIntegrator(IVectorField<T> field, IntegratorOptions options)
    {
        _field = field;
        _options = options;
    }

    /// <summary>The time at which RKC took over, if it did.</summary>
    public double? SwitchTime { get; private set; }

    public int ChebyshevStages { get; private set; }
    public double SpectralRadius { get; private set; }

    public IntegrationStats Integrate(double t0, Span<T> y, double tEnd, Action<double, ReadOnlySpan<T>>? onStep = null, CancellationToken cancel = default)
    {
        var explicitPart = new AdaptiveIntegrator<T>(_field, ExplicitPhase(_options));
        var first = explicitPart.Integrate(t0, y, tEnd, onStep, cancel: cancel);
        return Continue(first, y, tEnd, onStep, cancel);
    }

    /// <summary>The options of the explicit phase: the pair of <paramref name="options"/> with Hairer's stiffness test, stopping when it fires.</summary>
    public static IntegratorOptions ExplicitPhase(IntegratorOptions options) => options with { Stiffness = Stiffness.Off, StopWhenStiff = true };

    /// <summary>
    /// The rest of the switch after an explicit phase run with <see cref="ExplicitPhase"/> (here, or in a lane of
    /// <see cref="BatchIntegrator"/>): when it stopped <see cref="IntegrationExit.Stiff"/>, RKC continues from its final
    /// state <paramref name="y"/> at its final time, with its last accepted step as the first step, and the counters of
    /// both phases are added; any other exit is the result as it is.
    /// </summary>
    public IntegrationStats Continue(IntegrationStats first, Span<T> y, double tEnd, Action<double, ReadOnlySpan<T>>? onStep = null, CancellationToken cancel = default)
    {
        if (first.Exit != IntegrationExit.Stiff) return first;
        SwitchTime = first.FinalTime;
        var rkc = new ChebyshevIntegrator<T>(_field, _options with { MaxSteps = Math.Max(0, _options.MaxSteps - first.Steps - first.Rejected) });
        var second = rkc.Integrate(first.FinalTime, y, tEnd, first.LastStep, onStep, cancel);
        ChebyshevStages = rkc.MaxStagesUsed;
        SpectralRadius = rkc.SpectralRadius;
        return new IntegrationStats(second.Exit, second.FinalTime, first.Steps + second.Steps, first.Rejected + second.Rejected,
            first.Evaluations + second.Evaluations, first.Events, 0) { LastStep = first.LastStep };
    }
}
