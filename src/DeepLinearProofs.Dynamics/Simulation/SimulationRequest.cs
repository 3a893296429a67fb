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
    public IntegratorChoice Integrator { get; init; } = IntegratorChoice.Auto;
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

    /// <summary>Checks every field that does not need the start's shape; the exception names the field, not a flag or key.</summary>
    public void Validate()
    {
        if (!(TMax > 0) || !double.IsFinite(TMax)) throw new RequestFieldException(RequestField.TMax, $"must be a positive finite time, got {TMax}");
        if (Checkpoints < 1) throw new RequestFieldException(RequestField.TMax, "needs at least one checkpoint");
        ValidateTolerances(RelTol, AbsTol, Precision);
        if (Reduction is Reduction.Balanced or Reduction.TwoLayer)
        {
            // The reduced sources run in double with an explicit pair (balanced) or in closed form (two-layer): a choice
            // that only the full-weight integration honours is refused, not silently ignored.
            string reduced = Reduction == Reduction.Balanced ? "the balanced reduction (integrated in double)" : "the exact two-layer modes (a closed form in double)";
            if (Precision == Precision.DoubleDouble)
                throw new RequestFieldException(RequestField.Precision, $"double-double applies to the full-weight integration only, not to {reduced}: choose one of the two");
            if (Integrator == IntegratorChoice.Stiff)
                throw new RequestFieldException(RequestField.Integrator, $"stiff applies to the full-weight integration only, not to {reduced}: choose one of the two");
            if (Projection != ProjectionChoice.None)
                throw new RequestFieldException(RequestField.Projection, $"{Vocabularies.Projection.Name(Projection)} applies to the full-weight integration only (projecting is redundant for {reduced}): drop the projection");
            if (Structure != FlowStructure.Auto)
                throw new RequestFieldException(RequestField.Structure, $"{Vocabularies.Structure.Name(Structure)} applies to the full-weight integration only, not to {reduced}: drop it");
        }
        if (Projection != ProjectionChoice.None && Integrator == IntegratorChoice.Stiff)
            throw new RequestFieldException(RequestField.Projection, "works with the explicit integrators (dop853, dp54), not with the stiff switch");
    }

    /// <summary>The sane range of tolerances for a precision.</summary>
    public static void ValidateTolerances(double rtol, double atol, Precision precision)
    {
        double unit = precision == Precision.DoubleDouble ? DeepLinearProofs.Dynamics.Numerics.DoubleDouble.Epsilon : DeepLinearProofs.Dynamics.Numerics.F64.Epsilon;
        if (!(rtol > 0) || !double.IsFinite(rtol)) throw new RequestFieldException(RequestField.RelTol, $"must be a positive finite number, got {rtol}");
        if (!(atol >= 0) || !double.IsFinite(atol)) throw new RequestFieldException(RequestField.AbsTol, $"must be a finite number >= 0, got {atol}");
        // A huge atol lets every step pass the error test: the trajectory overflows to Infinity and nothing can be classified.
        if (atol > 0.1) throw new RequestFieldException(RequestField.AbsTol, $"{atol:g3} is too loose to classify a limit: use at most 1e-1 (1e-10..1e-14 is typical)");
        if (rtol > 0.1) throw new RequestFieldException(RequestField.RelTol, $"{rtol:g3} is too loose to classify a limit: use at most 1e-1 (1e-8..1e-12 is typical)");
        if (rtol < 50 * unit)
            throw new RequestFieldException(RequestField.RelTol, $"{rtol:g3} is below what {Vocabularies.Precision.Name(precision)} precision can deliver (about {50 * unit:g2}); use a larger one" +
                (precision == Precision.Double ? " or double-double precision" : ""));
    }
}
