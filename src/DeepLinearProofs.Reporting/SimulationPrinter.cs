using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using Spectre.Console;

namespace DeepLinearProofs.Reporting;

/// <summary>The human-readable printout of <c>dlp simulate</c>.</summary>
public static class SimulationPrinter
{
    /// <summary>
    /// The report: header lines, the limit with one line per piece of evidence (cut to the width unless
    /// <paramref name="verbose"/>), the stage table, notes and the files written.
    /// </summary>
    public static void Print(SimulationReport r, TextWriter o, Terminal terminal, string stem, string plot, bool verbose = false)
    {
        var req = r.Request;
        // Summary lines fit the width: they wrap between their "; "-separated parts (continuations indented), never cut.
        void Summary(string line) => terminal.Wrapped(o, Parts(line));
        Summary($"network {req.Architecture} | target {req.Target.Describe()} | start {req.Start.Description}");
        Summary($"trajectory: {r.Trajectory}; {r.Provenance}; t in [0, {Num.G(req.TMax)}]");
        if (r.Stats is { } st)
            Summary($"integration: {st.Exit}, steps {st.Steps} (rejected {st.Rejected}), nfev {st.Evaluations}, wall {Num.F(r.WallSeconds, 3)} s; flops/evaluation {r.FlopsPerEvaluation} (dense would be {r.DenseFlopsPerEvaluation}); Z applied as {r.TargetApplication}");
        Summary($"monitors: max drift of C_j {Num.Sci(r.MaxDrift, 2)}; loss increases {r.LossIncreases}; final loss {Num.G(r.FinalLoss, 6)}, gap {Num.Sci(r.FinalGap, 3)}");
        Summary($"limit: {r.Classification.Describe()}  [{r.Classification.Basis}; numerical evidence, not a proof]");
        foreach (var e in r.Classification.Evidence) terminal.Detail(o, $"  - {Evidence(e)}", verbose);
        if (r.Stages.Count > 0)
        {
            var table = new Table().AddColumns("stage", "time span", "quantity", "fitted", "predicted");
            table.Columns[0].NoWrap();
            foreach (var s in r.Stages)
                table.AddRow(Markup.Escape(s.Kind), Markup.Escape($"[{Num.G(s.From, 4)}, {Num.G(s.To, 4)}]"), Markup.Escape(s.Quantity),
                    s.Fitted is double f ? Num.G(f, 5) + (s.Asymptotic == false ? " (not settled)" : "") : "-", s.Predicted is double p ? Num.G(p, 5) : "-");
            terminal.Console(o).Write(table);
        }
        foreach (var n in r.Notes) Summary($"note: {n}");
        // One segment per file, so a path is never broken (a path wider than the line stays whole on its own line).
        terminal.Wrapped(o, plot == "none" ? ["wrote", $"{stem}.csv,", $"{stem}.json"] : ["wrote", $"{stem}.csv,", $"{stem}.json,", $"{stem}.{plot}"]);
    }

    /// <summary>A summary line split after each "; " (the separator stays on the part before it).</summary>
    internal static IEnumerable<string> Parts(string line)
    {
        int start = 0;
        for (int i = line.IndexOf("; ", StringComparison.Ordinal); i >= 0; i = line.IndexOf("; ", start, StringComparison.Ordinal))
        {
            yield return line[start..(i + 1)];
            start = i + 2;
        }
        yield return line[start..];
    }

    /// <summary>One piece of classification evidence as one line of text (the only place evidence is rendered for reading).</summary>
    public static string Evidence(Evidence evidence) => EvidenceText.Render(evidence);
}
