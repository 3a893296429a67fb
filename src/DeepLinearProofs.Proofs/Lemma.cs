using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Simulation;

namespace DeepLinearProofs.Proofs;

/// <summary>What a lemma expects of its claim: that it holds, or that it fails (a negative lemma).</summary>
public enum Expectation { Holds, Fails }

/// <summary>One architecture and target on which a lemma is checked; <see cref="Line"/> is 1-based in the file.</summary>
public sealed record NetworkSpec(Architecture Architecture, Target Target, int Line, Expectation? Expect)
{
    /// <summary>An exact initialisation for this network (<c>[network.point]</c>), overriding the claim's.</summary>
    public IReadOnlyDictionary<string, Rational[,]> Point { get; init; } = new Dictionary<string, Rational[,]>();

    public string Describe() => $"{Architecture} | {Target.Describe()}";
}

/// <summary>A loop such as <c>j = 1..N-1</c>: the claim is checked for every value of the variable.</summary>
public sealed record IndexRange(string Variable, Expr From, Expr To, string Text);

/// <summary>A named expression from a lemma file, with its 1-based line.</summary>
public sealed record NamedExpr(string Name, string Text, Expr Expression, int Line)
{
    /// <summary>
    /// An entry of a set's equation or boundary list written <c>{ expr = "C[j]", each = "j = 1..N-1" }</c>: the expression
    /// stands for one entry per value of the loop variable (all of them belong to the set); null for a plain entry.
    /// </summary>
    public IndexRange? Each { get; init; }
}

/// <summary>An inequality h >= 0 of a set, certified by a barrier multiplier lambda or by a boundary set K.</summary>
public sealed record InequalitySpec(NamedExpr Expression, NamedExpr? Lambda, IReadOnlyList<NamedExpr> Boundary, int Line);

/// <summary>
/// The claim of a lemma, one record per method (a closed hierarchy). Shared: the claim text and its line, the expectation,
/// an optional loop (<c>each</c>), let-definitions (evaluated where used), whether a vacuous result may count as holding,
/// the exact point ([claim.point] / [network.point]) and the solver budget.
/// </summary>
public abstract record Claim(string Text, Expr Expression, int Line, Expectation Expect)
{
    public abstract string Method { get; }
    public IndexRange? Each { get; init; }
    public IReadOnlyList<NamedExpr> Definitions { get; init; } = [];

    /// <summary><c>vacuous = "allowed"</c>: a vacuous result satisfies expect = "holds".</summary>
    public bool VacuousAllowed { get; init; }

    /// <summary>An exact initialisation: weight name to rational matrix (<c>[claim.point]</c>, or the network's).</summary>
    public IReadOnlyDictionary<string, Rational[,]> Point { get; init; } = new Dictionary<string, Rational[,]>();

    /// <summary>Per-obligation wall-clock cap (<c>timeout_s</c>): past it the solver is killed and the obligation is unknown (wall-clock cap).</summary>
    public TimeSpan Timeout { get; init; } = DeepLinearProofs.Smt.SolverBudget.DefaultWallCap;

    /// <summary>Per-obligation Z3 resource limit (<c>rlimit</c>): the deterministic budget, written into every obligation.</summary>
    public long Rlimit { get; init; } = DeepLinearProofs.Smt.SolverBudget.DefaultRlimit;
}

/// <summary><c>identity</c>: lhs == rhs (entrywise, possibly several joined by and), exactly.</summary>
public sealed record IdentityClaim(string Text, Expr Expression, int Line, Expectation Expect) : Claim(Text, Expression, Line, Expect)
{
    public override string Method => "identity";

    /// <summary>All sizes only: letters (W[j], a block prod(hi, lo)) replaced by expressions, e.g. W[j] == rho * w[j] * T(w[j-1]); flow(W[j]) is then taken at that point.</summary>
    public IReadOnlyList<NamedExpr> Ansatz { get; init; } = [];

    /// <summary>All sizes only: scalar names that stand for numbers (constant along the flow), e.g. rho, a, b.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];
}

/// <summary><c>forall</c>: named hypotheses =&gt; claim for all real weights; optional rank-one / normalize rules.</summary>
public sealed record ForallClaim(string Text, Expr Expression, int Line, Expectation Expect) : Claim(Text, Expression, Line, Expect)
{
    public override string Method => "forall";

    /// <summary>Named hypotheses; <c>dlp check --drop NAME</c> removes one.</summary>
    public IReadOnlyList<NamedExpr> Hypotheses { get; init; } = [];

    /// <summary>Kernel rules applied before the solver: "rank-one", "normalize".</summary>
    public IReadOnlyList<string> Reductions { get; init; } = [];
}

/// <summary><c>membership</c>: the exact point lies in the set the formula defines.</summary>
public sealed record MembershipClaim(string Text, Expr Expression, int Line, Expectation Expect) : Claim(Text, Expression, Line, Expect)
{
    public override string Method => "membership";
}

/// <summary><c>invariant</c> (or <c>disjoint</c>, which checks only that S avoids <see cref="Excludes"/>): a certificate for a set S.</summary>
public sealed record InvariantClaim(string Text, Expr Expression, int Line, Expectation Expect, bool DisjointOnly) : Claim(Text, Expression, Line, Expect)
{
    public override string Method => DisjointOnly ? "disjoint" : "invariant";

    /// <summary>Equations g = 0 (every entry) of S.</summary>
    public IReadOnlyList<NamedExpr> Equations { get; init; } = [];

    /// <summary>Inequalities h &gt;= 0 of S with their certificates.</summary>
    public IReadOnlyList<InequalitySpec> Inequalities { get; init; } = [];

    /// <summary>A formula no point of S may satisfy (e.g. being a global minimiser).</summary>
    public NamedExpr? Excludes { get; init; }
}

/// <summary><c>converges</c>: a simulation whose classified limit (and rates) is numerical evidence, never a proof.</summary>
public sealed record ConvergesClaim(string Text, Expr Expression, int Line, Expectation Expect, SimulationSpec Simulation) : Claim(Text, Expression, Line, Expect)
{
    public override string Method => "converges";
}

/// <summary>A lemma file: id, statement, docs/theory.md reference, networks and a claim.</summary>
public sealed record Lemma(
    string Path,
    string Id,
    string Statement,
    string Theory,
    bool RequiresOneNeuron,
    IReadOnlyList<NetworkSpec> Networks,
    Claim Claim)
{
    /// <summary>
    /// The standing assumptions the lemma declares (<c>assumes = [...]</c>); null when it is silent, and then
    /// <see cref="Assumptions.Of"/> infers them from its networks, starts and hypotheses.
    /// </summary>
    public IReadOnlyList<Assumption>? Assumes { get; init; }

    /// <summary><c>sizes = "all"</c>: the claim is about every depth (or the fixed <c>depth</c>) and all widths; the networks, if any, are instances to refute it on.</summary>
    public AllSizesSpec? AllSizes { get; init; }
}

/// <summary>An all-sizes lemma: every depth N &gt;= 2 and all widths, or one fixed depth with all widths.</summary>
public sealed record AllSizesSpec(int? Depth, int MinDepth = 2)
{
    public string Describe() => Depth is { } d ? $"all sizes, depth {d}" : MinDepth > 2 ? $"all sizes, depth >= {MinDepth}" : "all sizes";
}

/// <summary>Bad input in a lemma file: one line naming the file, the line and the fix.</summary>
public sealed class LemmaFileException(string path, int line, string message) : Exception(message)
{
    public string Path { get; } = path;
    public int Line { get; } = line;
    public string OneLine => $"{Path}:{Line}: {Message}";
}

/// <summary>An expected stage rate: the fitted rate of a stage ("linear", "plateau", "origin") against a value or the theorem's prediction.</summary>
public sealed record RateSpec(StageKind Stage, double? Value, bool Predicted, double Tolerance, int Line);

/// <summary>Method converges: start, integration settings, the expected limit ("global minimiser", "saddle 2", "origin", "undetermined") and rates.</summary>
public sealed record SimulationSpec(string? Init, ExpectedLimit Limit, double TMax, double RelTol, double AbsTol, IntegratorChoice Integrator, Precision Precision,
    Reduction Reduction, ProjectionChoice Projection, IReadOnlyList<RateSpec> Rates, int Line)
{
    /// <summary>The lemma-file key that sets each request field, for messages from the domain.</summary>
    public static string Key(RequestField field) => field switch
    {
        RequestField.Start => "init",
        RequestField.TMax => "t_max",
        RequestField.RelTol => "rtol",
        RequestField.AbsTol => "atol",
        RequestField.Integrator => "integrator",
        RequestField.Precision => "precision",
        RequestField.Reduction => "reduction",
        RequestField.Projection => "projection",
        _ => field.ToString().ToLowerInvariant(),
    };
}
