using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// Outcome of checking a claim on one network. Proved only ever comes from exact arithmetic or an SMT unsat;
/// Supported and Contradicted are numerical evidence from a simulation (method converges) and are never proofs.
/// </summary>
public enum Status { Proved, Refuted, Unknown, Error, Supported, Contradicted }

/// <summary>A rational point refuting a claim: where lhs - rhs is non-zero (Value), or an SMT countermodel confirmed exactly (Value null).</summary>
public sealed record Witness(IReadOnlyList<(Variable Variable, Rational Value)> Point, Rational? Value)
{
    public override string ToString() =>
        $"at {string.Join(", ", Point.Select(p => $"{p.Variable.Name}={p.Value}"))}" + (Value is { } v ? $" the difference is {v}" : "");
}

/// <summary>What checking a claim on one network found.</summary>
public sealed record CheckOutcome(Status Status, string Basis, string Detail, Witness? Witness = null)
{
    /// <summary>The SMT-LIB2 certificate files written for this check.</summary>
    public IReadOnlyList<string> Certificates { get; init; } = [];
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
    /// <summary>The outcome matches the expectation (proved and expected to hold, or refuted and expected to fail).</summary>
    public bool AsExpected =>
        (Outcome.Status is Status.Proved or Status.Supported && Expected == Expectation.Holds) ||
        (Outcome.Status is Status.Refuted or Status.Contradicted && Expected == Expectation.Fails);
}

/// <summary>Everything a verify run found: per-network results and bad-input errors (one line each).</summary>
public sealed record VerifyReport(IReadOnlyList<LemmaResult> Results, IReadOnlyList<string> Errors)
{
    public int Passed => Results.Count(r => r.AsExpected);
    public int Failed => Results.Count(r => !r.AsExpected && r.Outcome.Status is Status.Proved or Status.Refuted or Status.Supported or Status.Contradicted);
    public int Inconclusive => Results.Count(r => r.Outcome.Status is Status.Unknown or Status.Error) + Errors.Count;

    /// <summary>0 all expected results hold; 1 a lemma's expectation failed; 2 inconclusive or bad input.</summary>
    public int ExitCode => Failed > 0 ? 1 : Inconclusive > 0 ? 2 : 0;
}
