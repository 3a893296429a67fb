using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Kernel;

/// <summary>What a solver route said about one obligation. Sat models are re-checked by the kernel; only unsat is trusted.</summary>
public abstract record SmtReply
{
    public sealed record Unsat : SmtReply;
    public sealed record Sat(IReadOnlyDictionary<string, Rational> Model) : SmtReply;
    public sealed record Unknown(string Reason) : SmtReply;
}

/// <summary>An obligation as the kernel wrote it: the exact SMT-LIB text whose unsat it trusts.</summary>
public sealed record SmtQuery(string Name, string Text);

/// <summary>Untrusted: runs the kernel's SMT-LIB text on a solver (and may search for rational models any way it likes).</summary>
public interface ISmtOracle
{
    string Name { get; }
    SmtReply Ask(SmtQuery query);
}

/// <summary>One obligation and the answer the kernel acted on (a model is kept so a replay re-checks it without a solver).</summary>
public sealed record RecordedQuery(string Name, string Text, string Answer, IReadOnlyDictionary<string, Rational>? Model);

/// <summary>The kernel's side of one check: the oracle, the resource limit written into every obligation, and the transcript.</summary>
public sealed class KernelSession(ISmtOracle? oracle, long rlimit, string header)
{
    private readonly List<RecordedQuery> _transcript = [];

    public IReadOnlyList<RecordedQuery> Transcript => _transcript;
    public long Rlimit => rlimit;
    public string Header => header;
    internal bool UsedExact { get; set; }
    internal bool UsedSmt { get; private set; }

    internal string Basis => (UsedExact || !UsedSmt ? "exact" : "") + (UsedExact && UsedSmt ? "+" : "") + (UsedSmt ? $"smt:{oracle?.Name}" : "");
    internal string SolverName => oracle is null ? "no solver" : $"smt:{oracle.Name}";

    /// <summary>Asks whether the assertions are jointly satisfiable; the text is built here from the kernel's own formulas.</summary>
    internal SmtReply Ask(string name, IReadOnlyList<Labeled> assertions)
    {
        var text = SmtText.Script(name, header, rlimit, assertions);
        SmtReply reply = oracle is null ? new SmtReply.Unknown("no SMT solver route is configured") : oracle.Ask(new SmtQuery(name, text));
        _transcript.Add(new RecordedQuery(name, text, reply switch { SmtReply.Unsat => "unsat", SmtReply.Sat => "sat", SmtReply.Unknown u => $"unknown: {u.Reason}", _ => "?" },
            (reply as SmtReply.Sat)?.Model));
        return reply;
    }

    /// <summary>Records that a solver's answer (a trusted unsat, or a model the kernel then checked) went into a verdict.</summary>
    internal void UsedSolver() => UsedSmt = true;
}
