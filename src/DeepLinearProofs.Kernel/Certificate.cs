namespace DeepLinearProofs.Kernel;

/// <summary>
/// What a kernel rule checked: the rule, the statement (with its certificate data), every SMT obligation it wrote with the
/// answer it acted on (and the resource limit and header they were written with), and the parts of a conjunction.
/// <see cref="ProofKernel.Replay"/> re-checks it with the kernel alone.
/// </summary>
public sealed record Certificate(string Rule, string? What, object? Statement, IReadOnlyList<RecordedQuery> Queries, IReadOnlyList<Certificate> Parts, Status Status)
{
    public long Rlimit { get; init; }
    public string Header { get; init; } = "";
}
