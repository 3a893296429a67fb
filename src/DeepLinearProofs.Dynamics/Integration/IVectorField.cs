using DeepLinearProofs.Dynamics.Numerics;

namespace DeepLinearProofs.Dynamics.Integration;

/// <summary>An autonomous vector field y' = F(y) on R^n (gradient flows are autonomous).</summary>
public interface IVectorField<T> where T : struct, IReal<T>
{
    int Dimension { get; }

    /// <summary>Writes F(y) into dy without allocating.</summary>
    void Evaluate(ReadOnlySpan<T> y, Span<T> dy);
}

/// <summary>A map applied to every accepted state, e.g. projection back onto a certified invariant set.</summary>
public interface IStateProjection<T> where T : struct, IReal<T>
{
    string Name { get; }

    /// <summary>Projects y in place and returns the size of the correction (max abs change).</summary>
    double Project(Span<T> y);
}

/// <summary>A scalar event function g(y); a sign change between accepted steps is located with the dense output.</summary>
public sealed record EventSpec<T>(string Name, Func<ReadOnlySpan<T>, double> Function, bool Terminal) where T : struct, IReal<T>;

/// <summary>A located event.</summary>
public sealed record EventHit(string Name, double Time);

/// <summary>Why an integration stopped.</summary>
public enum IntegrationExit { ReachedEnd, TerminalEvent, StepSizeTooSmall, MaxSteps, NonFinite, Cancelled, Stiff }

/// <summary>Which explicit embedded pair (<see cref="EmbeddedPair{T}"/>) integrates, alone or before the stiff switch.</summary>
public enum Method { Dop853, DormandPrince54 }

/// <summary>
/// Whether the explicit pair may hand over to the Runge-Kutta-Chebyshev method: <see cref="Off"/> runs the pair
/// alone (<see cref="AdaptiveIntegrator{T}"/>); <see cref="Switch"/> runs DOP853 until its steps are bounded by
/// stability rather than accuracy, then RKC (<see cref="StiffIntegrator{T}"/>). Whether to ask for the switch
/// can be decided from the spectrum beforehand with <see cref="StiffnessAssessment"/>.
/// </summary>
public enum Stiffness { Off, Switch }

/// <summary>Tolerances and limits of an adaptive integration.</summary>
public sealed record IntegratorOptions(double RelTol = 1e-10, double AbsTol = 1e-12, Method Method = Method.Dop853)
{
    /// <summary>Cap on attempted (accepted + rejected) steps; reaching it ends the run with <see cref="IntegrationExit.MaxSteps"/>.</summary>
    public long MaxSteps { get; init; } = 50_000_000;
    public double InitialStep { get; init; }
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary><see cref="Stiffness.Switch"/> is honoured by <see cref="StiffIntegrator{T}"/> only; the other integrators refuse it.</summary>
    public Stiffness Stiffness { get; init; } = Stiffness.Off;

    /// <summary>Stop with <see cref="IntegrationExit.Stiff"/> after 15 consecutive accepted steps with h*lambda above the pair's <see cref="EmbeddedPair{T}.StiffnessBound"/> (Hairer's test).</summary>
    public bool StopWhenStiff { get; init; }

    /// <summary>
    /// How DOP853 in double on the rank-one flow keeps its stages: as layer factors when the dense stages would not fit in
    /// cache (Auto, <see cref="Flow.FactorLayout.Pays"/>), always, or never (the same trajectory to rounding either way).
    /// </summary>
    public StageStorage Stages { get; init; } = StageStorage.Auto;
}

/// <summary>Dense stage vectors, or rank-one layer factors where the flow has them (<see cref="IntegratorOptions.Stages"/>).</summary>
public enum StageStorage { Auto, Factors, Dense }

/// <summary>Counters and the reason an integration stopped.</summary>
public sealed record IntegrationStats(IntegrationExit Exit, double FinalTime, long Steps, long Rejected, long Evaluations, IReadOnlyList<EventHit> Events, double MaxProjection)
{
    /// <summary>
    /// The size of the explicit pair's last accepted step (0 if none): where RKC starts after an explicit phase that
    /// stopped <see cref="IntegrationExit.Stiff"/>. The stiff switch's combined counters keep the explicit phase's.
    /// </summary>
    public double LastStep { get; init; }
}

/// <summary>An autonomous vector field evaluated on four states at once (structure of arrays: entry i of the four states is one Vector256).</summary>
public interface IBatchVectorField
{
    int Dimension { get; }

    /// <summary>Writes F of each of the four states into dy without allocating.</summary>
    void Evaluate(ReadOnlySpan<System.Runtime.Intrinsics.Vector256<double>> y, Span<System.Runtime.Intrinsics.Vector256<double>> dy);
}
