using DeepLinearProofs.Kernel;

namespace DeepLinearProofs.Proofs;

/// <summary>What checking a claim on one network found: the kernel's verdict (or numerical evidence) and the files written for it.</summary>
public sealed record CheckOutcome(Verdict Verdict)
{
    public Status Status => Verdict.Status;
    public string Basis => Verdict.Basis;
    public string Detail => Verdict.Detail;

    /// <summary>The point at which the kernel found the statement as written false, when it was refuted by one.</summary>
    public Countermodel? Witness => Verdict.Countermodel;

    /// <summary>The SMT-LIB2 obligation files and the kernel certificate written for this check.</summary>
    public IReadOnlyList<string> Certificates { get; init; } = [];

    /// <summary>The simulation a converges claim ran (numerical evidence), for figures.</summary>
    public DeepLinearProofs.Dynamics.Simulation.SimulationReport? Simulation { get; init; }
}

/// <summary>One row of a verify report: a lemma on one network.</summary>
public sealed record LemmaResult(
    string LemmaId,
    string Path,
    string Theory,
    string Network,
    string Method,
    Expectation Expected,
    CheckOutcome Outcome,
    TimeSpan Elapsed)
{
    /// <summary>The lemma says a vacuous result may count as holding (<c>vacuous = "allowed"</c>).</summary>
    public bool VacuousAllowed { get; init; }

    /// <summary>
    /// The outcome matches the expectation: proved (or supported) and expected to hold, refuted (or contradicted) and expected
    /// to fail; vacuous only where the lemma allows it and expects it to hold.
    /// </summary>
    public bool AsExpected =>
        (Outcome.Status is Status.Proved or Status.Supported && Expected == Expectation.Holds) ||
        (Outcome.Status == Status.Vacuous && VacuousAllowed && Expected == Expectation.Holds) ||
        (Outcome.Status is Status.Refuted or Status.Contradicted && Expected == Expectation.Fails);

    /// <summary>A definite outcome (not unknown or an error).</summary>
    public bool Definite => Outcome.Status is Status.Proved or Status.Refuted or Status.Vacuous or Status.Supported or Status.Contradicted;
}

/// <summary>Everything a verify run found: per-network results and bad-input errors (one line each).</summary>
public sealed record VerifyReport(IReadOnlyList<LemmaResult> Results, IReadOnlyList<string> Errors)
{
    public int Passed => Results.Count(r => r.AsExpected);
    public int Failed => Results.Count(r => !r.AsExpected && r.Definite);
    public int Inconclusive => Results.Count(r => !r.Definite) + Errors.Count;

    /// <summary>0 all expected results hold; 1 a lemma's expectation failed; 2 inconclusive or bad input.</summary>
    public int ExitCode => Failed > 0 ? 1 : Inconclusive > 0 ? 2 : 0;
}
