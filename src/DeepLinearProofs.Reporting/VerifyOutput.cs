using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using Spectre.Console;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Reporting;

/// <summary>How the passed results of a verify run split by basis: proofs (exact or SMT), numerical evidence, vacuous where allowed.</summary>
public sealed record VerdictCounts(int Passed, int Proved, int NumericalEvidence, int Vacuous, int Failed, int Inconclusive)
{
    public static VerdictCounts Of(VerifyReport report)
    {
        int evidence = report.Results.Count(r => r.AsExpected && r.Outcome.Status is Status.Supported or Status.Contradicted);
        int vacuous = report.Results.Count(r => r.AsExpected && r.Outcome.Status == Status.Vacuous);
        return new VerdictCounts(report.Passed, report.Passed - evidence - vacuous, evidence, vacuous, report.Failed, report.Inconclusive);
    }
}

/// <summary>The table, detail lines, summary line and JSON of <c>dlp verify</c>.</summary>
public static class VerifyOutput
{
    /// <summary>
    /// The table (lemma ids never wrapped), one detail line per result that is not a plain proof or not as expected (cut to the
    /// width unless <paramref name="verbose"/>), the errors and the summary line.
    /// </summary>
    public static void Print(VerifyReport report, IReadOnlyList<string> targets, TextWriter stdout, Terminal terminal, bool verbose = false)
    {
        if (report.Results.Count == 0 && report.Errors.Count > 0)
        {
            // Nothing was checked: the error lines are the whole answer (no empty table, no "0 passed").
            foreach (var e in report.Errors) stdout.WriteLine($"error: {e}");
            return;
        }
        terminal.Wrapped(stdout, ["library:", .. targets.Select((t, i) => i < targets.Count - 1 ? t + "," : t)]);
        // Narrower than the whole table: time, method, basis, then theory are left out (--json has them); ids stay whole.
        var table = new FittedTable().Column("lemma", identifier: true).Column("theory", dropOrder: 4).Column("network (widths | target)")
            .Column("method", dropOrder: 2).Column("status").Column("basis", dropOrder: 3).Column("time", dropOrder: 1);
        foreach (var r in report.Results)
            table.Row(Markup.Escape(r.LemmaId), Markup.Escape(r.Theory), Markup.Escape(r.Network), Markup.Escape(r.Method), StatusText(r), Markup.Escape(r.Outcome.Basis), $"{r.Elapsed.TotalSeconds:F2}s");
        table.Write(stdout, terminal);
        // One line per detail, so they can be grepped; cut to the width unless --verbose.
        foreach (var r in report.Results.Where(r => r.Outcome.Status != Status.Proved || !r.AsExpected))
            terminal.Detail(stdout, DetailLine(r), verbose);
        foreach (var e in report.Errors) stdout.WriteLine($"error: {e}");
        terminal.Wrapped(stdout, SummarySegments(VerdictCounts.Of(report)));
    }

    /// <summary>"PATH [NETWORK]: STATUS: DETAIL".</summary>
    public static string DetailLine(LemmaResult r) => $"{r.Path} [{r.Network}]: {StatusWord(r)}: {r.Outcome.Detail}";

    /// <summary>"verify: 22 passed (20 proved exactly or by SMT, 1 by numerical evidence only, ...), 0 failed, ...; kernel 1.0 (810 lines)".</summary>
    public static string Summary(VerdictCounts c) => string.Join(" ", SummarySegments(c));

    /// <summary>The summary in the pieces it may be wrapped between (joined by spaces they are <see cref="Summary"/>).</summary>
    public static IReadOnlyList<string> SummarySegments(VerdictCounts c) =>
    [
        $"verify: {c.Passed} passed",
        $"({c.Proved} proved exactly or by SMT,",
        $"{c.NumericalEvidence} by numerical evidence only" + (c.Vacuous > 0 ? "," : "),"),
        .. c.Vacuous > 0 ? [$"{c.Vacuous} vacuous where allowed),"] : Array.Empty<string>(),
        $"{c.Failed} failed, {c.Inconclusive} inconclusive or bad input;",
        $"kernel {ProofKernel.Version} ({ProofKernel.SourceLines} lines)",
    ];

    /// <summary>The verdict of one result in words, against its expectation.</summary>
    public static string StatusWord(LemmaResult r) => r.Outcome.Status switch
    {
        Status.Proved when r.AsExpected => "proved",
        Status.Refuted when r.AsExpected => "refuted (expected)",
        Status.Proved => "FAILED: proved but expected to fail",
        Status.Refuted => "FAILED: refuted",
        Status.Supported when r.AsExpected => "supported (numerical evidence)",
        Status.Contradicted when r.AsExpected => "contradicted (expected; numerical evidence)",
        Status.Supported => "FAILED: numerical evidence supports a claim expected to fail",
        Status.Contradicted => "FAILED: numerical evidence contradicts",
        Status.Vacuous when r.AsExpected => "vacuous (allowed)",
        Status.Vacuous => "FAILED: vacuous (nothing was checked)",
        Status.Unknown => "unknown",
        _ => "error (ill-formed)",
    };

    /// <summary>A status in lower case ("proved", "refuted", ...), as the JSON and the check output spell it.</summary>
    public static string Lower(Status s) => s.ToString().ToLowerInvariant();

    private static string StatusText(LemmaResult r) =>
        r.AsExpected ? $"[green]{StatusWord(r)}[/]" : $"[red]{Markup.Escape(StatusWord(r))}[/]";

    public static object JsonModel(VerifyReport report)
    {
        var counts = VerdictCounts.Of(report);
        return new
        {
            passed = report.Passed,
            proved = counts.Proved,
            numerical_evidence = counts.NumericalEvidence,
            vacuous = counts.Vacuous,
            failed = report.Failed,
            inconclusive = report.Inconclusive,
            exit_code = report.ExitCode,
            kernel = ProofKernel.Version,
            results = report.Results.Select(r => new
            {
                lemma = r.LemmaId,
                path = r.Path,
                theory = r.Theory,
                network = r.Network,
                method = r.Method,
                expected = r.Expected.ToString().ToLowerInvariant(),
                status = Lower(r.Outcome.Status),
                as_expected = r.AsExpected,
                basis = r.Outcome.Basis,
                detail = r.Outcome.Detail,
                // A list of {variable, value}: variable names are data, never keys.
                witness = r.Outcome.Witness?.Point.Select(p => new { variable = p.Variable.Name, value = p.Value.ToString() }),
                witness_value = r.Outcome.Witness?.Difference?.ToString(),
                certificates = r.Outcome.Certificates,
                seconds = Math.Round(r.Elapsed.TotalSeconds, 4),
            }),
            errors = report.Errors,
        };
    }

    public static string Json(VerifyReport report) => JsonOutput.Serialize(JsonModel(report));
}
