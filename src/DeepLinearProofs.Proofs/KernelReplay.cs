using System.Diagnostics;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Smt;

namespace DeepLinearProofs.Proofs;

/// <summary>One replayed kernel certificate: the status recorded by verify, the status the kernel reaches again, and why.</summary>
public sealed record ReplayRow(string File, string Lemma, string Network, Status Recorded, Status Replayed, string Detail, TimeSpan Elapsed)
{
    public bool Agreed => Recorded == Replayed;
}

/// <summary>
/// <c>dlp recheck --kernel DIR</c>: re-checks every <c>*.kernel.json</c> with the kernel alone. No search and no translation run:
/// the recorded statement and certificate data go back through the same kernel rule; exact steps are recomputed; recorded
/// models are re-checked exactly; every obligation text is rebuilt by the kernel, must equal the recorded one, and if it was
/// unsat it is sent again to the chosen route.
/// </summary>
public static class KernelReplay
{
    public static IReadOnlyList<ReplayRow> Run(string directory, ISolver? route, TimeSpan cap, CancellationToken cancel = default)
    {
        if (!Directory.Exists(directory)) throw new LemmaFileException(directory, 0, "no such certificate folder; run 'dlp verify' first (certificates go to out/certificates)");
        var rows = new List<ReplayRow>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.kernel.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            (string Lemma, string Path, string Network, Certificate Certificate) read;
            try { read = CertificateFile.Read(file); }
            catch (FormatException e) { rows.Add(new ReplayRow(file, "?", "?", Status.Error, Status.Error, e.Message, clock.Elapsed)); continue; }
            var certificate = read.Certificate;
            // The binding: the recorded statements must be what the named lemma file says on the named network.
            IReadOnlyList<object> translated;
            try { translated = LemmaChecker.Statements(LemmaLoader.Load(read.Path), read.Network); }
            catch (Exception e) when (e is LemmaFileException or IOException or FormatException or NetworkInputException)
            {
                rows.Add(new ReplayRow(file, read.Lemma, read.Network, certificate.Status, Status.Error, $"cannot re-translate {read.Path}: {e.Message}", clock.Elapsed));
                continue;
            }
            var recorded = Leaves(certificate).ToList();
            var mismatch = recorded.Count != translated.Count
                ? $"the certificate holds {recorded.Count} statement(s), but {read.Lemma} says {translated.Count} on {read.Network}"
                : Enumerable.Range(0, recorded.Count).Where(i => StatementDigest.Of(recorded[i].Statement!) != StatementDigest.Of(translated[i])).Select(i => $"statement {i + 1} is not what {read.Lemma} says on {read.Network}").FirstOrDefault();
            if (mismatch is not null)
            {
                rows.Add(new ReplayRow(file, read.Lemma, read.Network, certificate.Status, Status.Unknown, $"not bound to its lemma: {mismatch} (the lemma file changed, or the certificate was edited)", clock.Elapsed));
                continue;
            }
            certificate = WithStatements(certificate, translated);
            var oracle = new ReplayOracle(Flatten(certificate), route, cap, cancel);
            try
            {
                var verdict = ProofKernel.Replay(certificate, oracle);
                rows.Add(new ReplayRow(file, read.Lemma, read.Network, certificate.Status, verdict.Status, verdict.Detail, clock.Elapsed));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                rows.Add(new ReplayRow(file, read.Lemma, read.Network, certificate.Status, Status.Error, $"the certificate cannot be replayed ({e.GetType().Name}: {e.Message})", clock.Elapsed));
            }
        }
        return rows;
    }

    /// <summary>0 every certificate replayed to its recorded status; 1 a disagreement; 2 no certificates.</summary>
    public static int ExitCode(IReadOnlyList<ReplayRow> rows) => rows.Count == 0 ? 2 : rows.All(r => r.Agreed) ? 0 : 1;

    /// <summary>The certificates that hold a statement, in the order the kernel met them.</summary>
    private static IEnumerable<Certificate> Leaves(Certificate c) =>
        (c.Statement is not null ? [c] : Enumerable.Empty<Certificate>()).Concat(c.Parts.SelectMany(Leaves));

    /// <summary>Puts the re-translated statement in place of each digest-only identity (the digests were compared already).</summary>
    private static Certificate WithStatements(Certificate c, IReadOnlyList<object> statements)
    {
        int next = 0;
        Certificate Fill(Certificate x)
        {
            var statement = x.Statement;
            if (statement is not null)
            {
                if (statement is CertificateFile.IdentityDigest) statement = statements[next];
                next++;
            }
            return x with { Statement = statement, Parts = x.Parts.Select(Fill).ToList() };
        }
        return Fill(c);
    }

    private static IEnumerable<RecordedQuery> Flatten(Certificate c) => c.Queries.Concat(c.Parts.SelectMany(Flatten));

    /// <summary>Answers the kernel's rebuilt obligations from the record: a model is handed back (the kernel re-checks it), an unsat is re-solved.</summary>
    private sealed class ReplayOracle(IEnumerable<RecordedQuery> recorded, ISolver? route, TimeSpan cap, CancellationToken cancel) : ISmtOracle
    {
        private readonly List<RecordedQuery> _left = recorded.ToList();

        public string Name => route?.Name ?? "recorded";

        public SmtReply Ask(SmtQuery query)
        {
            var match = _left.FirstOrDefault(q => q.Text == query.Text);
            if (match is null) return new SmtReply.Unknown($"obligation '{query.Name}' differs from every recorded one: the certificate does not match its statement");
            _left.Remove(match);
            if (match.Model is { } model) return new SmtReply.Sat(model);
            if (match.Answer != "unsat") return new SmtReply.Unknown($"recorded as {match.Answer}");
            if (route is null) return new SmtReply.Unknown("recorded unsat, and no route to re-solve it");
            if (route.Unavailable is { } why) return new SmtReply.Unknown($"{route.Name} unavailable: {why}");
            return route.Check(query.Text, new SolverBudget(SolverBudget.RlimitIn(query.Text) ?? SolverBudget.DefaultRlimit, cap), cancel) switch
            {
                SolverAnswer.Unsat => new SmtReply.Unsat(),
                SolverAnswer.Sat => new SmtReply.Unknown($"DISAGREEMENT: recorded unsat, {route.Name} says sat"),
                SolverAnswer.Unknown u => new SmtReply.Unknown($"{route.Name}: {u.Reason}"),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }
    }
}
