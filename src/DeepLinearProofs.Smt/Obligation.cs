using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Smt;

/// <summary>One assertion of an obligation, with the comment that says which hypothesis it is.</summary>
public sealed record Assertion(string Comment, Formula Formula);

/// <summary>
/// An SMT obligation: the conjunction of the assertions is claimed unsatisfiable (hypotheses plus the
/// negated claim). <see cref="Reductions"/> records every exact reduction applied before the solver saw it.
/// </summary>
public sealed record Obligation(string Name, string Lemma, string Network, IReadOnlyList<Assertion> Assertions, IReadOnlyList<string> Reductions)
{
    public IReadOnlyList<Variable> Variables() =>
        Assertions.SelectMany(a => a.Formula.Variables()).Distinct().OrderBy(v => v).ToList();
}
