using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Proofs;

/// <summary>What a lemma expects of its claim: that it holds, or that it fails (a negative lemma).</summary>
public enum Expectation { Holds, Fails }

/// <summary>One architecture and target on which a lemma is checked; <see cref="Line"/> is 1-based in the file.</summary>
public sealed record NetworkSpec(Architecture Architecture, Target Target, int Line, Expectation? Expect)
{
    public string Describe() => $"{Architecture} | {Target.Describe()}";
}

/// <summary>A loop such as <c>j = 1..N-1</c>: the claim is checked for every value of the variable.</summary>
public sealed record IndexRange(string Variable, Expr From, Expr To, string Text);

/// <summary>The claim of a lemma: a method and an expression in the lemma language.</summary>
public sealed record Claim(string Method, string Text, Expr Expression, int Line, Expectation Expect, IndexRange? Each);

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
