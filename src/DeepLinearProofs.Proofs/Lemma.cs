using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;

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
public sealed record NamedExpr(string Name, string Text, Expr Expression, int Line);

/// <summary>An inequality h >= 0 of a set, certified by a barrier multiplier lambda or by a boundary set K.</summary>
public sealed record InequalitySpec(NamedExpr Expression, NamedExpr? Lambda, IReadOnlyList<NamedExpr> Boundary, int Line);

/// <summary>The claim of a lemma: a method and its expressions in the lemma language.</summary>
public sealed record Claim(string Method, string Text, Expr Expression, int Line, Expectation Expect, IndexRange? Each)
{
    /// <summary>Named hypotheses (forall); <c>dlp check --drop NAME</c> removes one.</summary>
    public IReadOnlyList<NamedExpr> Hypotheses { get; init; } = [];

    /// <summary>Definitions evaluated in order before the claim (<c>[claim.let]</c>).</summary>
    public IReadOnlyList<NamedExpr> Definitions { get; init; } = [];

    /// <summary>Exact reductions applied before the solver: "rank-one", "normalize".</summary>
    public IReadOnlyList<string> Reductions { get; init; } = [];

    /// <summary>An exact initialisation: weight name to rational matrix (<c>[claim.point]</c>).</summary>
    public IReadOnlyDictionary<string, Rational[,]> Point { get; init; } = new Dictionary<string, Rational[,]>();

    /// <summary>Equations g = 0 (every entry) of a set S.</summary>
    public IReadOnlyList<NamedExpr> Equations { get; init; } = [];

    /// <summary>Inequalities h >= 0 of a set S.</summary>
    public IReadOnlyList<InequalitySpec> Inequalities { get; init; } = [];

    /// <summary>A formula no point of S may satisfy (e.g. being a global minimiser).</summary>
    public NamedExpr? Excludes { get; init; }

    /// <summary>For method converges: the simulation and the expected limit and rates.</summary>
    public SimulationSpec? Simulation { get; init; }

    /// <summary>Per-obligation wall-clock cap (<c>timeout_s</c>): past it the solver is killed and the obligation is unknown (wall-clock cap).</summary>
    public TimeSpan Timeout { get; init; } = DeepLinearProofs.Smt.SolverBudget.DefaultWallCap;

    /// <summary>Per-obligation Z3 resource limit (<c>rlimit</c>): the deterministic budget that decides unknown.</summary>
    public long Rlimit { get; init; } = DeepLinearProofs.Smt.SolverBudget.DefaultRlimit;
}

/// <summary>A lemma file: id, statement, THEORY reference, networks and a claim.</summary>
public sealed record Lemma(
    string Path,
    string Id,
    string Statement,
    string Theory,
    bool RequiresOneNeuron,
    IReadOnlyList<NetworkSpec> Networks,
    Claim Claim);

/// <summary>Bad input in a lemma file: one line naming the file, the line and the fix.</summary>
public sealed class LemmaFileException(string path, int line, string message) : Exception(message)
{
    public string Path { get; } = path;
    public int Line { get; } = line;
    public string OneLine => $"{Path}:{Line}: {Message}";
}

/// <summary>An expected stage rate: the fitted rate of a stage ("linear", "plateau", "origin") against a value or the theorem's prediction.</summary>
public sealed record RateSpec(string Stage, double? Value, bool Predicted, double Tolerance, int Line);

/// <summary>Method converges: start, integration settings, the expected limit ("global minimiser", "saddle 2", "origin", "undetermined") and rates.</summary>
public sealed record SimulationSpec(string? Init, string Limit, double TMax, double RelTol, double AbsTol, string Integrator, string Precision, string Reduction, string Projection, IReadOnlyList<RateSpec> Rates, int Line);
