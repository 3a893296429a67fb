using DeepLinearProofs.Algebra;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// How SMT obligations are run: the solver, an optional second route that must agree, where certificates go,
/// and overrides of every obligation's rlimit and wall-clock cap (dlp verify --rlimit / --timeout).
/// </summary>
public sealed record CheckOptions(ISolver Solver, ISolver? Second = null, string? CertificateDirectory = null, long? Rlimit = null, TimeSpan? WallCap = null)
{
    public static CheckOptions Default() => new(new Z3Worker());
}

/// <summary>
/// Runs the obligations of one lemma on one network, writes each as a certificate file, and keeps
/// the verdicts so a report can say how every part was obtained.
/// </summary>
public sealed class SmtSession(CheckOptions options, string lemmaId, string network, SolverBudget claimBudget, CancellationToken cancel)
{
    private readonly SolverBudget _budget = new(options.Rlimit ?? claimBudget.Rlimit, options.WallCap ?? claimBudget.WallCap);

    private readonly List<string> _certificates = [];
    private readonly List<string> _bases = [];
    private int _count;

    public IReadOnlyList<string> Certificates => _certificates;
    public IReadOnlyList<string> Bases => _bases;
    public TimeSpan SolverTime { get; private set; }

    /// <summary>Checks that the assertions are jointly unsatisfiable.</summary>
    public SmtVerdict Unsat(string name, IReadOnlyList<Assertion> assertions, IReadOnlyList<string> reductions)
    {
        var obligation = new Obligation(name, lemmaId, network, assertions, reductions);
        if (options.Solver.Unavailable is { } why && options.Second is null)
            return Record(obligation, new SmtVerdict(SmtStatus.Unknown, $"smt:{options.Solver.Name}", $"solver unavailable: {why}", null, TimeSpan.Zero, SmtLib.Script(obligation, _budget.Rlimit)));
        var verdict = ObligationChecker.Check(obligation, options.Solver, _budget, options.Second, cancel);
        // An interrupted check is no verdict: nothing is recorded and no certificate is written.
        cancel.ThrowIfCancellationRequested();
        return Record(obligation, verdict);
    }

    private SmtVerdict Record(Obligation obligation, SmtVerdict verdict)
    {
        SolverTime += verdict.Elapsed;
        _bases.Add(verdict.Basis);
        if (options.CertificateDirectory is { } dir)
        {
            var folder = Path.Combine(dir, Slug(lemmaId));
            Directory.CreateDirectory(folder);
            if (_count == 0)
                foreach (var stale in Directory.EnumerateFiles(folder, $"{Slug(network)}-*.smt2")) File.Delete(stale);
            var file = Path.Combine(folder, $"{Slug(network)}-{++_count:D2}-{Slug(obligation.Name)}.smt2");
            var expected = verdict.Status switch { SmtStatus.Proved => "unsat", SmtStatus.Refuted => "sat", _ => "unknown" };
            WriteAtomically(file, $"; expected: {expected} (first route {verdict.Basis}, {verdict.Elapsed.TotalSeconds:F3} s)\n" + verdict.Script);
            _certificates.Add(file);
        }
        return verdict;
    }

    /// <summary>Writes a temporary file in the same folder and renames it: a certificate is whole or absent.</summary>
    private static void WriteAtomically(string file, string text)
    {
        var temp = $"{file}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static string Slug(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray();
        var s = new string(chars).Trim('_');
        while (s.Contains("__")) s = s.Replace("__", "_");
        return s.Length > 80 ? s[..80] : s;
    }

    /// <summary>The combined basis of the parts, e.g. "exact" or "exact+smt:z3".</summary>
    public string Basis(bool usedExact)
    {
        var parts = new List<string>();
        if (usedExact) parts.Add("exact");
        parts.AddRange(_bases.Distinct());
        return parts.Count == 0 ? "exact" : string.Join("+", parts);
    }
}
