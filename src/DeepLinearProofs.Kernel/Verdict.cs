using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Kernel;

/// <summary>
/// How a claim came out. Proved, Refuted and Vacuous are made only by the kernel's rules; Unknown and
/// Error (ill-formed or bad input) say nothing about the claim; Supported and Contradicted are numerical evidence.
/// </summary>
public enum Status { Proved, Refuted, Vacuous, Unknown, Error, Supported, Contradicted }

/// <summary>A rational point at which the kernel evaluated the statement as written and found it false.</summary>
public sealed record Countermodel(IReadOnlyList<Assignment> Point, Rational? Difference = null)
{
    public override string ToString() =>
        $"at {string.Join(", ", Point.Select(p => $"{p.Variable.Name}={p.Value}"))}" + (Difference is { } v ? $" the difference is {v}" : "");
}

/// <summary>One step of a kernel rule as it was decided: what, status, the step's own basis, its detail and its SMT obligation's name.</summary>
public sealed class VerdictStep
{
    internal VerdictStep(string what, Status status, string basis, string detail, string? obligation) =>
        (What, Status, Basis, Detail, Obligation) = (what, status, basis, detail, obligation);

    public string What { get; }
    public Status Status { get; }
    public string Basis { get; }
    public string Detail { get; }
    public string? Obligation { get; }
}

/// <summary>A verdict on one statement. The constructor is private: only the kernel's rules make Proved, Refuted, Vacuous.</summary>
public sealed class Verdict
{
    private Verdict(Status status, string basis, string detail, Countermodel? countermodel, Certificate? certificate)
    {
        Status = status;
        Basis = basis;
        Detail = detail;
        Countermodel = countermodel;
        Certificate = certificate;
    }

    public Status Status { get; }

    /// <summary>How it was obtained: "exact", "smt:z3", "exact+smt:z3", or "evidence: ...".</summary>
    public string Basis { get; }
    public string Detail { get; }
    public Countermodel? Countermodel { get; }

    /// <summary>What the kernel checked, enough to replay the verdict with the kernel alone.</summary>
    public Certificate? Certificate { get; }

    internal static Verdict Proved(string basis, string detail) => new(Status.Proved, basis, detail, null, null);
    internal static Verdict Refuted(string basis, string detail, Countermodel? countermodel) => new(Status.Refuted, basis, detail, countermodel, null);
    internal static Verdict Vacuous(string basis, string detail) => new(Status.Vacuous, basis, detail, null, null);

    public static Verdict Unknown(string basis, string detail) => new(Status.Unknown, basis, detail, null, null);
    public static Verdict Error(string basis, string detail) => new(Status.Error, basis, detail, null, null);
    public static Verdict Supported(string basis, string detail) => new(Status.Supported, basis, detail, null, null);
    public static Verdict Contradicted(string basis, string detail) => new(Status.Contradicted, basis, detail, null, null);

    /// <summary>
    /// The steps of a rule with several parts (an invariant set: each equation, each inequality, disjointness, the start),
    /// each with its status and basis as the rule decided it: a record for reports, never a verdict of its own.
    /// </summary>
    public IReadOnlyList<VerdictStep> Steps { get; private init; } = [];

    /// <summary>The same verdict with another explanation (the status cannot change).</summary>
    public Verdict Explained(string detail) => new(Status, Basis, detail, Countermodel, Certificate) { Steps = Steps };

    internal Verdict With(Certificate certificate, string basis) => new(Status, basis, Detail, Countermodel, certificate) { Steps = Steps };

    internal Verdict WithSteps(IReadOnlyList<VerdictStep> steps) => new(Status, Basis, Detail, Countermodel, Certificate) { Steps = steps };
}
