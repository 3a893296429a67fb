using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>
/// How SMT obligations are run: the solver, an optional second route that must agree, where certificates go, and
/// overrides of every obligation's rlimit and wall-clock cap (<c>dlp verify --rlimit / --timeout</c>).
/// </summary>
public sealed record CheckOptions(ISolver Solver, ISolver? Second = null, string? CertificateDirectory = null, long? Rlimit = null, TimeSpan? WallCap = null)
{
    public static CheckOptions Default() => new(new Z3Worker());
}

/// <summary>
/// Untrusted: answers the kernel's SMT obligations. Runs the text on the solver (and the second route, which must also say
/// unsat), searches for a rational model when the solver's has irrational values (by pinning variables to small rationals:
/// extra assertions, so any model found is still a model; the kernel re-checks it anyway), and writes each obligation to a
/// replayable .smt2 file whose first line says what the first route answered.
/// </summary>
public sealed partial class SolverOracle(CheckOptions options, string lemmaId, string network, TimeSpan cap, CancellationToken cancel) : ISmtOracle
{
    private readonly List<string> _files = [];
    private int _count;

    public string Name => options.Second is { } second ? $"{options.Solver.Name}+{second.Name}" : options.Solver.Name;
    public IReadOnlyList<string> Files => _files;
    /// <summary>The rlimit is the one the kernel wrote into the text (routes that need it elsewhere read it there); the cap kills.</summary>
    private SolverBudget Budget(string text) => new(SolverBudget.RlimitIn(text) ?? SolverBudget.DefaultRlimit, options.WallCap ?? cap);

    public SmtReply Ask(SmtQuery query)
    {
        cancel.ThrowIfCancellationRequested();
        var reply = Solve(query.Text);
        cancel.ThrowIfCancellationRequested();
        Record(query, reply);
        return reply;
    }

    private SmtReply Solve(string text)
    {
        var solver = options.Solver;
        if (solver.Unavailable is { } why) return new SmtReply.Unknown($"solver unavailable: {why}");
        switch (solver.Check(text, Budget(text), cancel))
        {
            case SolverAnswer.Unsat when options.Second is { Unavailable: { } missing } second:
                return new SmtReply.Unknown($"{solver.Name} unsat; second route {second.Name} unavailable: {missing}");
            case SolverAnswer.Unsat when options.Second is { } second:
                return second.Check(text, Budget(text), cancel) switch
                {
                    SolverAnswer.Unsat => new SmtReply.Unsat(),
                    SolverAnswer.Sat => new SmtReply.Unknown($"DISAGREEMENT: {solver.Name} unsat but {second.Name} sat"),
                    SolverAnswer.Unknown u => new SmtReply.Unknown($"{solver.Name} unsat; second route {second.Name} unknown: {u.Reason}"),
                    _ => throw new InvalidOperationException("unreachable"),
                };
            case SolverAnswer.Unsat:
                return new SmtReply.Unsat();
            case SolverAnswer.Sat { Irrationals.Count: 0 } sat:
                return new SmtReply.Sat(sat.Rationals);
            case SolverAnswer.Sat sat:
                return Rationalize(text, sat) is { } model ? new SmtReply.Sat(model)
                    : new SmtReply.Unknown($"the solver's model has irrational values ({string.Join(", ", sat.Irrationals.Take(2).Select(kv => $"{kv.Key} = {kv.Value}"))}) and no rational model was found");
            case SolverAnswer.Unknown u:
                return new SmtReply.Unknown(u.Reason);
            default:
                throw new InvalidOperationException("unreachable");
        }
    }

    private static readonly Rational[] PinCandidates = [0, 1, -1, 2, -2, Rational.Create(1, 2), 3, -3, 4, 5, -4, -5];

    [GeneratedRegex(@"^\(declare-fun \|([^|]*)\| \(\) Real\)$", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    /// <summary>
    /// Pins one irrational variable at a time to the first small rational that keeps the obligation satisfiable (at most
    /// 12 rounds and 96 extra solver calls), preferring a pin that leaves fewer irrational values.
    /// </summary>
    private IReadOnlyDictionary<string, Rational>? Rationalize(string text, SolverAnswer.Sat first)
    {
        var declared = Declaration().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        var pins = "";
        var current = first;
        int budget = 96;
        for (int round = 0; round < 12 && current.Irrationals.Count > 0 && budget > 0; round++)
        {
            (string Pin, SolverAnswer.Sat Sat)? best = null;
            foreach (var name in current.Irrationals.Keys.Where(declared.Contains).Take(3))
            {
                foreach (var value in PinCandidates)
                {
                    if (--budget < 0) break;
                    var pin = $"(assert (= {SmtText.Symbol(name)} {SmtText.Number(value)}))\n";
                    var pinned = text.Replace("(check-sat)", pins + pin + "(check-sat)", StringComparison.Ordinal);
                    if (options.Solver.Check(pinned, Budget(pinned), cancel) is not SolverAnswer.Sat sat) continue;
                    if (best is null || sat.Irrationals.Count < best.Value.Sat.Irrationals.Count) best = (pin, sat);
                    if (sat.Irrationals.Count == 0) break;
                }
                if (best is { Sat.Irrationals.Count: 0 }) break;
            }
            if (best is null) return null;
            pins += best.Value.Pin;
            current = best.Value.Sat;
        }
        return current.Irrationals.Count == 0 ? current.Rationals : null;
    }

    /// <summary>Writes the obligation as a .smt2 file (temp file, then rename: never half-written).</summary>
    private void Record(SmtQuery query, SmtReply reply)
    {
        if (options.CertificateDirectory is not { } dir) return;
        var folder = Path.Combine(dir, Stem(lemmaId));
        Directory.CreateDirectory(folder);
        lock (_files)
        {
            if (_count == 0)
                foreach (var stale in Directory.EnumerateFiles(folder, $"{Stem(network)}-*.smt2")) File.Delete(stale);
            var file = Path.Combine(folder, $"{Stem(network)}-{++_count:D2}-{Slug(query.Name)}.smt2");
            var expected = reply switch { SmtReply.Unsat => "unsat", SmtReply.Sat => "sat", _ => "unknown" };
            AtomicFile.Write(file, $"; expected: {expected} (first route {Name})\n" + query.Text);
            _files.Add(file);
        }
    }

    /// <summary>A file-name stem that is readable and unique: the slug plus 8 hex digits of the text's SHA-256.</summary>
    public static string Stem(string text) =>
        $"{Slug(text)}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..8].ToLowerInvariant()}";

    public static string Slug(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray();
        var s = new string(chars).Trim('_');
        while (s.Contains("__")) s = s.Replace("__", "_");
        return s.Length > 80 ? s[..80] : s;
    }
}

/// <summary>Writes a file through a temporary sibling and a rename, so an interrupted run leaves no half-written file.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
