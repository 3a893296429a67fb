using DeepLinearProofs.Proofs;
using Spectre.Console;

namespace DeepLinearProofs.Reporting;

/// <summary>The output of <c>dlp check</c>: one lemma beside its original verdict, or the <c>--all</c> dependency table.</summary>
public static class CheckOutput
{
    /// <summary>One lemma: the changes, the original and modified verdicts (details cut to the width unless <paramref name="verbose"/>), the verdict.</summary>
    public static void PrintOne(AssumptionResult r, TextWriter o, Terminal terminal, bool verbose = false)
    {
        o.WriteLine($"lemma {r.Lemma.Id} ({r.Lemma.Theory}): {r.Lemma.Statement}");
        foreach (var c in r.Changes) o.WriteLine($"  change: {c}");
        o.WriteLine("original:");
        foreach (var x in r.Original) o.WriteLine($"  [{x.Network}] {VerifyOutput.Lower(x.Outcome.Status)} ({x.Outcome.Basis}){(x.AsExpected ? "" : " - not as expected")}");
        o.WriteLine("modified:");
        foreach (var x in r.Modified) terminal.Detail(o, $"  [{x.Network}] {VerifyOutput.Lower(x.Outcome.Status)} ({x.Outcome.Basis}): {x.Outcome.Detail}", verbose);
        o.WriteLine(Verdict(r));
    }

    /// <summary>"verdict: ..." in words.</summary>
    public static string Verdict(AssumptionResult r) =>
        r.Breaks ? "verdict: the result does NOT survive the change"
        : r.Survives ? "verdict: the result survives the change"
        : r.SurvivesOnlyVacuously ? "verdict: the result survives only vacuously (after the change nothing is left to check, e.g. the hypotheses cannot hold)"
        : r.DroppedStart && r.Modified.All(x => x.AsExpected) ? "verdict: undetermined: what was checked holds, but the exact start was dropped (it does not fit the new widths)"
        : "verdict: undetermined (some verdicts are unknown)";

    /// <summary>"2 proved, 1 refuted".</summary>
    public static string Summary(IReadOnlyList<LemmaResult> results) =>
        string.Join(", ", results.GroupBy(r => r.Outcome.Status).Select(g => $"{g.Count()} {VerifyOutput.Lower(g.Key)}"));

    /// <summary>The table of <c>dlp check --all</c>: which lemmas depend on the dropped or added hypotheses.</summary>
    public sealed class DependencyTable
    {
        private readonly Table _table;

        public DependencyTable(Modification m)
        {
            _table = new Table().AddColumns("lemma", "change", "original", "modified", $"depends on {string.Join(", ", m.Drop.Concat(m.Assume))}");
            _table.Columns[0].NoWrap();
        }

        public void Add(Lemma lemma, AssumptionResult r) =>
            _table.AddRow(Markup.Escape(lemma.Id), Markup.Escape(string.Join("; ", r.Changes)), Summary(r.Original), Summary(r.Modified),
                r.Breaks ? "[red]yes[/]" : r.Survives ? "no" : r.SurvivesOnlyVacuously ? "survives only vacuously" : r.DroppedStart ? "undetermined (start dropped)" : "undetermined");

        public void AddError(Lemma lemma, string message) => _table.AddRow(Markup.Escape(lemma.Id), "", "", Markup.Escape(message), "error");

        public void Write(TextWriter o, Terminal terminal) => terminal.Console(o).Write(_table);
    }
}
