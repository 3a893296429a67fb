using System.Globalization;
using System.Numerics;
using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Smt;

/// <summary>What a solver said, as a closed set. A model maps symbol names to values; irrational values are kept as text.</summary>
public abstract record SolverAnswer
{
    public sealed record Unsat : SolverAnswer;
    public sealed record Sat(IReadOnlyDictionary<string, Rational> Rationals, IReadOnlyDictionary<string, string> Irrationals) : SolverAnswer;
    public sealed record Unknown(string Reason) : SolverAnswer;

    /// <summary>
    /// Reads a solver transcript of (check-sat)(get-model). An error before the answer, a missing
    /// answer or a malformed model is Unknown with the reason, never a verdict.
    /// </summary>
    public static SolverAnswer Parse(string output)
    {
        IReadOnlyList<SExpr> items;
        try { items = SExpr.ParseAll(output); }
        catch (FormatException e) { return new Unknown($"malformed solver output: {e.Message}"); }
        for (int i = 0; i < items.Count; i++)
        {
            switch (items[i])
            {
                case SExpr.List l when IsError(l):
                    return new Unknown($"solver error: {string.Join(" ", l.Items.Skip(1))}");
                case SExpr.Atom { Text: "unsat" }:
                    return new Unsat();
                case SExpr.Atom { Text: "unknown" }:
                    return new Unknown(ReasonAfter(items, i) ?? "solver answered unknown");
                case SExpr.Atom { Text: "timeout" }:
                    return new Unknown("timeout");
                case SExpr.Atom { Text: "sat" }:
                    if (i + 1 >= items.Count || items[i + 1] is not SExpr.List model)
                        return new Unknown("solver answered sat but gave no model");
                    if (IsError(model)) return new Unknown($"solver answered sat but the model failed: {model}");
                    return ReadModel(model);
            }
        }
        return new Unknown(output.Trim().Length == 0 ? "no answer from the solver" : $"no sat/unsat answer in solver output: {Shorten(output)}");
    }

    private static bool IsError(SExpr.List l) => l.Items.Count > 0 && l.Items[0] is SExpr.Atom { Text: "error" };

    private static string? ReasonAfter(IReadOnlyList<SExpr> items, int i) =>
        items.Skip(i + 1).OfType<SExpr.List>().Where(l => l.Items.Count >= 2 && l.Items[0] is SExpr.Atom { Text: ":reason-unknown" })
            .Select(l => l.Items[1].ToString().Trim('"')).FirstOrDefault();

    private static string Shorten(string s) => s.Length <= 200 ? s.Trim() : s[..200].Trim() + "...";

    private static SolverAnswer ReadModel(SExpr.List model)
    {
        var rationals = new Dictionary<string, Rational>();
        var irrationals = new Dictionary<string, string>();
        var defs = model.Items.Count > 0 && model.Items[0] is SExpr.Atom { Text: "model" } ? model.Items.Skip(1) : model.Items;
        foreach (var d in defs)
        {
            if (d is not SExpr.List { Items.Count: 5 } def || def.Items[0] is not SExpr.Atom { Text: "define-fun" } || def.Items[1] is not SExpr.Atom name)
                return new Unknown($"malformed model entry: {d}");
            if (def.Items[2] is not SExpr.List { Items.Count: 0 }) continue; // a function, not a constant
            var value = TryRational(def.Items[4]);
            if (value is { } r) rationals[name.Text] = r;
            else if (def.Items[4] is SExpr.List { Items.Count: > 0 } l && l.Items[0] is SExpr.Atom { Text: "root-obj" })
                irrationals[name.Text] = def.Items[4].ToString();
            else return new Unknown($"malformed model value for {name.Text}: {def.Items[4]}");
        }
        return new Sat(rationals, irrationals);
    }

    /// <summary>Reads 3, 3.0, (- 3.0), (/ 1.0 2.0), (/ (- 1) 2) exactly; null for anything else.</summary>
    public static Rational? TryRational(SExpr e)
    {
        switch (e)
        {
            case SExpr.Atom a when a.Text.Length > 0 && (char.IsAsciiDigit(a.Text[0]) || a.Text[0] == '.'):
                return Rational.TryParse(a.Text, out var r) ? r : null;
            case SExpr.List { Items.Count: 2 } l when l.Items[0] is SExpr.Atom { Text: "-" }:
                return TryRational(l.Items[1]) is { } x ? -x : null;
            case SExpr.List { Items.Count: 3 } l when l.Items[0] is SExpr.Atom { Text: "/" }:
                return TryRational(l.Items[1]) is { } n && TryRational(l.Items[2]) is { } d && !d.IsZero ? n / d : null;
            default:
                return null;
        }
    }
}

/// <summary>A route to a solver. Implementations never throw for solver trouble: they answer Unknown with the reason.</summary>
public interface ISolver
{
    /// <summary>Short name used in reports and bases, e.g. "z3" or "cvc5".</summary>
    string Name { get; }

    /// <summary>Null when the route can be used; otherwise why not (e.g. the package to install).</summary>
    string? Unavailable { get; }

    /// <summary>
    /// Runs the script. The verdict budget is the script's own <c>(set-option :rlimit N)</c> (N is also
    /// <see cref="SolverBudget.Rlimit"/>, for routes that take it on the command line); past the wall-clock
    /// cap the solver is killed and the answer is unknown; cancellation kills it at once.
    /// </summary>
    SolverAnswer Check(string script, SolverBudget budget, CancellationToken cancel = default);
}
