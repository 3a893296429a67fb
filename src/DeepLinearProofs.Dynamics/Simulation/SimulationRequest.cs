using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>The number type of a run.</summary>
public enum Precision { Double, DoubleDouble }

/// <summary>Which trajectory is integrated: the full weights, the balanced reduction (T9/T10) or the exact two-layer modes (T13).</summary>
public enum Reduction { Auto, Full, Balanced, TwoLayer }

/// <summary>What is projected after each accepted step.</summary>
public enum ProjectionChoice { None, Balanced, Coordinates }

/// <summary>Everything a simulation needs; defaults are the reference tolerances (rtol 1e-10, atol 1e-12).</summary>
public sealed record SimulationRequest(Architecture Architecture, Target Target, NumericTarget Z, Initialisation Start)
{
    public double TMax { get; init; } = 50;
    public double RelTol { get; init; } = 1e-10;
    public double AbsTol { get; init; } = 1e-12;
    public Method Method { get; init; } = Method.Dop853;
    public Precision Precision { get; init; } = Precision.Double;
    public FlowStructure Structure { get; init; } = FlowStructure.Auto;
    public Reduction Reduction { get; init; } = Reduction.Auto;
    public ProjectionChoice Projection { get; init; } = ProjectionChoice.None;

    /// <summary>Run even when <see cref="ResourceEstimate"/> is over its memory budget (--allow-large).</summary>
    public bool AllowLarge { get; init; }

    /// <summary>Record the loss curve and monitors along the way (off for pure benchmarks).</summary>
    public bool Record { get; init; } = true;

    /// <summary>How many times along [0, T] the conserved quantities and gradient norm are checked.</summary>
    public int Checkpoints { get; init; } = 200;
}
