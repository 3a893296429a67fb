using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting.Documents;

namespace DeepLinearProofs.Reporting;

/// <summary>
/// The <c>dlp check</c> diff table as a report document (the formats of <c>dlp examples</c>): one row per lemma (original and
/// modified verdicts, the countermodel and the limit its simulation reached) and the figure of every simulated countermodel.
/// </summary>
public static class CheckReport
{
    public const string Stem = "check";

    public static Document Build(Modification m, IReadOnlyList<CheckRow> rows, IReadOnlyList<string> skipped, IReadOnlyList<string> errors)
    {
        var ordered = rows.OrderBy(r => r.File, StringComparer.Ordinal).ToList();
        int breaks = ordered.Count(r => r.Breaks);
        var blocks = new List<Block>
        {
            new Paragraph(R.L(
                R.T("Each lemma concerned by the change "), R.C(m.Describe()), R.T(" is checked twice, as written and as changed, by the proof kernel. "),
                R.T("Where the changed lemma breaks, its countermodel (the kernel's exact point, or the changed start) is simulated: the limit that "),
                R.T("simulation reaches is "), R.B("numerical evidence"), R.T(", never a proof. "),
                R.T($"{ordered.Count} lemma(s) run: {breaks} break, {ordered.Count(r => r.Verdict == "survives")} survive, "),
                R.T($"{ordered.Count(r => r.Verdict == "cannot transform")} cannot be transformed, {ordered.Count(r => r.Verdict == "unknown (budget)")} over the per-lemma budget."))),
        };
        var table = ordered.Select(r => (IReadOnlyList<IReadOnlyList<Run>>)
        [
            R.L(R.C(r.Lemma)),
            R.L(R.T(r.Assumes)),
            R.L(R.T(r.Original)),
            R.L(new StatusRun(StatusWord(r.Verdict), r.Verdict), R.T(": " + r.Modified)),
            R.L(R.T(r.Countermodel)),
            R.L(R.T(r.SimulatedLimit), R.T(r.SimulatedLimit == "-" ? "" : " (numerical evidence)")),
        ]).ToList();
        blocks.Add(new Table("check-diff", ["lemma", "assumes", "original", "modified", "countermodel", "simulated limit"], table,
            R.L(R.T($"Verdicts before and after {m.Describe()}; counts are of networks per lemma.")))
            { Widths = [0.2, 0.13, 0.13, 0.24, 0.15, 0.15] });
        foreach (var r in ordered)
            foreach (var (file, i) in r.Figures.Where(File.Exists).Select((f, i) => (f, i)))
                blocks.Add(new Figure($"fig-{Slug(r.Lemma)}-{i + 1}", Path.Combine("figures", Path.GetFileName(file)), File.ReadAllBytes(file),
                    $"simulated countermodel of {r.Lemma}",
                    R.L(R.T($"{r.Lemma} under {m.Describe()}: the simulated countermodel ({r.Countermodel}); limit {r.SimulatedLimit}. "),
                        R.T("Panels: loss gap, ||P||_F, drift of the C_j. The curves are numerical evidence; the verdicts in the table are the kernel's."))));
        if (skipped.Count > 0) blocks.Add(new Paragraph(R.L(R.T($"Not concerned by the change ({skipped.Count}): "), R.C(string.Join(", ", skipped)))));
        foreach (var e in errors) blocks.Add(new Paragraph(R.L(new StatusRun("error", "error"), R.T(": " + e))));
        return new Document(Stem, $"Modified assumption: {m.Describe()}", blocks)
            { Data = new { modification = m.Describe(), rows = ordered, breaks = ordered.Where(r => r.Breaks).Select(r => r.Lemma), skipped, errors } };
    }

    /// <summary>The status colour of a row's verdict: breaks as refuted, survives as proved, the rest unknown.</summary>
    private static string StatusWord(string verdict) =>
        verdict.StartsWith("breaks", StringComparison.Ordinal) ? "refuted" : verdict == "survives" ? "proved" : verdict.StartsWith("error", StringComparison.Ordinal) ? "error" : "unknown";

    private static string Slug(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
