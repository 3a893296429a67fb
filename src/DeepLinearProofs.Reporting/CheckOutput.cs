using System.Text;
using System.Text.Json;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;

namespace DeepLinearProofs.Reporting;

/// <summary>One row of the <c>dlp check</c> diff table: a lemma before and after the change, its countermodel and the simulated limit.</summary>
public sealed record CheckRow(string Lemma, string File, string Original, string Modified, string Verdict, string Countermodel, string SimulatedLimit)
{
    public IReadOnlyList<string> Changes { get; init; } = [];
    public IReadOnlyList<string> Figures { get; init; } = [];
    public IReadOnlyList<string> Details { get; init; } = [];
    public string Assumes { get; init; } = "";
    public double Seconds { get; init; }

    /// <summary>The lemma's result against the change: "breaks", "survives", "cannot transform", "unknown (budget)", ...</summary>
    public bool Breaks => Verdict.StartsWith("breaks", StringComparison.Ordinal);
}

/// <summary>The output of <c>dlp check</c>: one lemma beside its original verdict, or the streamed <c>--all</c> diff table (text, md, json).</summary>
public static class CheckOutput
{
    /// <summary>One lemma: the changes, the original and modified verdicts (details cut to the width unless <paramref name="verbose"/>), the verdict.</summary>
    public static void PrintOne(AssumptionResult r, CheckRow row, TextWriter o, Terminal terminal, bool verbose = false)
    {
        o.WriteLine($"lemma {r.Lemma.Id} ({r.Lemma.Theory}): {r.Lemma.Statement}");
        o.WriteLine($"  assumes: {row.Assumes}");
        foreach (var c in r.Changes) o.WriteLine($"  change: {c}");
        if (r.CannotTransform is { } reason)
        {
            o.WriteLine($"verdict: cannot transform: {reason}");
            return;
        }
        o.WriteLine("original:");
        foreach (var x in r.Original) o.WriteLine($"  [{x.Network}] {VerifyOutput.Lower(x.Outcome.Status)} ({x.Outcome.Basis}){(x.AsExpected ? "" : " - not as expected")}");
        o.WriteLine("modified:");
        foreach (var x in r.Modified) terminal.Detail(o, $"  [{x.Network}] {VerifyOutput.Lower(x.Outcome.Status)} ({x.Outcome.Basis}): {x.Outcome.Detail}", verbose);
        foreach (var s in r.Simulated)
            terminal.Detail(o, $"  simulated [{s.Network}] from {s.Source} ({s.Start}): {s.Limit} (numerical evidence)", verbose);
        foreach (var f in row.Figures) o.WriteLine($"  figure: {f}");
        o.WriteLine(Verdict(r));
    }

    /// <summary>"verdict: ..." in words.</summary>
    public static string Verdict(AssumptionResult r) =>
        r.CannotTransform is { } reason ? $"verdict: cannot transform: {reason}"
        : r.OverBudget ? "verdict: unknown (budget): the per-lemma wall-clock cap was reached"
        : r.Breaks ? "verdict: the result does NOT survive the change" + (r.Undeclared.Count > 0 ? $" (the lemma does not declare {string.Join(", ", r.Undeclared)}: its assumes is wrong)" : "")
        : r.Survives ? "verdict: the result survives the change"
        : r.SurvivesOnlyVacuously ? "verdict: the result survives only vacuously (after the change nothing is left to check, e.g. the hypotheses cannot hold)"
        : r.DroppedStart && r.Modified.All(x => x.AsExpected) ? "verdict: undetermined: what was checked holds, but the exact start was dropped (it does not fit the new widths)"
        : "verdict: undetermined (some verdicts are unknown or errors)";

    /// <summary>"2 proved, 1 refuted".</summary>
    public static string Summary(IReadOnlyList<LemmaResult> results) =>
        results.Count == 0 ? "-" : string.Join(", ", results.GroupBy(r => r.Outcome.Status).Select(g => $"{g.Count()} {VerifyOutput.Lower(g.Key)}"));

    /// <summary>The row of one lemma's result (figures are added by the caller that wrote them).</summary>
    public static CheckRow Row(AssumptionResult r, double seconds)
    {
        string verdict = r.CannotTransform is not null ? "cannot transform"
            : r.OverBudget ? "unknown (budget)"
            : r.Breaks ? (r.Undeclared.Count > 0 ? $"breaks (undeclared {string.Join(", ", r.Undeclared)})" : "breaks")
            : r.Survives ? "survives"
            : r.SurvivesOnlyVacuously ? "survives only vacuously"
            : r.DroppedStart ? "undetermined (start dropped)" : "undetermined";
        var modified = r.CannotTransform is { } reason ? $"cannot transform: {reason}" : Summary(r.Modified);
        var failing = r.Modified.Where(m => !m.AsExpected).ToList();
        string countermodel = r.Simulated.Count > 0 ? string.Join("; ", r.Simulated.Select(s => s.Source))
            : failing.FirstOrDefault(m => m.Outcome.Witness is not null) is { } w ? "kernel countermodel" : "-";
        string limit = r.Simulated.Count > 0 ? string.Join("; ", r.Simulated.Select(s => s.Limit)) : "-";
        return new CheckRow(r.Lemma.Id, r.Lemma.Path, r.CannotTransform is null ? Summary(r.Original) : "-", modified, verdict, countermodel, limit)
        {
            Changes = r.Changes,
            Assumes = Assumptions.Describe(r.Assumes) + (r.Declared ? " (declared)" : " (default)"),
            Seconds = seconds,
            Details = r.Modified.Where(m => !m.AsExpected).Select(m => $"[{m.Network}] {VerifyOutput.Lower(m.Outcome.Status)}: {m.Outcome.Detail}")
                .Concat(r.Simulated.Select(s => $"simulated [{s.Network}] from {s.Source} ({s.Start}): {s.Limit} (numerical evidence)")).ToList(),
        };
    }

    /// <summary>A row for a lemma that stopped at its cap, could not be loaded, or whose worker failed.</summary>
    public static CheckRow Failed(string lemma, string file, string verdict, string message, double seconds) =>
        new(lemma, file, "-", message, verdict, "-", "-") { Seconds = seconds };

    /// <summary>Writes the figure of every simulated countermodel (SimulationFiles.Plot) into <paramref name="dir"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteFigures(AssumptionResult r, Modification m, string dir)
    {
        var files = new List<string>();
        int i = 0;
        foreach (var s in r.Simulated)
        {
            i++;
            if (s.Report is null) continue;
            Directory.CreateDirectory(dir);
            var slug = new string(m.Describe().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
            var path = Path.Combine(dir, $"{r.Lemma.Id}.{slug}.{i}.png");
            SimulationFiles.Plot(s.Report, path);
            files.Add(path);
        }
        return files;
    }

    public static string Json(CheckRow row) => JsonOutput.Serialize(row);

    public static CheckRow? ParseJson(string text)
    {
        try { return JsonSerializer.Deserialize<CheckRow>(text, JsonOutput.Options); }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// The streamed diff table: a header, then one row per lemma as it finishes (text: aligned columns cut to the width; md: a
    /// Markdown table), and at the end the summary; json writes one document at the end. A progress bar on stderr when interactive.
    /// </summary>
    public sealed class DiffTable(Modification m, string format, TextWriter o, TextWriter progress, Terminal terminal, bool verbose)
    {
        private readonly List<CheckRow> _rows = [];
        private readonly object _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _total;
        private bool _progressShown;

        private static readonly int[] Widths = [34, 16, 34, 22];

        public IReadOnlyList<CheckRow> Rows => _rows;

        public void Start(int total)
        {
            _total = total;
            if (format == "text")
            {
                o.WriteLine($"dlp check --all ({m.Describe()}): {total} lemma(s) to run; rows as they finish");
                o.WriteLine(terminal.Fit(Line("lemma", "original", "modified", "countermodel", "simulated limit")));
            }
            else if (format == "md")
            {
                o.WriteLine($"**dlp check --all ({m.Describe()})**");
                o.WriteLine();
                o.WriteLine("| lemma | original | modified | verdict | countermodel | simulated limit |");
                o.WriteLine("|---|---|---|---|---|---|");
            }
            o.Flush();
            Progress();
        }

        private static string Line(params string[] cells)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < cells.Length; i++)
            {
                var c = cells[i];
                if (i < Widths.Length) sb.Append((c.Length > Widths[i] - 1 ? c[..(Widths[i] - 2)] + "…" : c).PadRight(Widths[i]));
                else sb.Append(c);
            }
            return sb.ToString().TrimEnd();
        }

        private static string Md(string s) => s.Replace("|", "\\|").Replace("\n", " ");

        public void Add(CheckRow row)
        {
            lock (_gate)
            {
                _rows.Add(row);
                ClearProgress();
                if (format == "text")
                {
                    var modified = row.Verdict is "cannot transform" or "unknown (budget)" || row.Verdict.StartsWith("error", StringComparison.Ordinal)
                        ? (row.Verdict == "cannot transform" ? row.Modified : $"{row.Verdict}: {row.Modified}")
                        : $"{row.Verdict}: {row.Modified}";
                    var line = Line(row.Lemma, row.Original, modified, row.Countermodel, row.SimulatedLimit);
                    if (row.Verdict == "cannot transform" || row.Verdict.StartsWith("error", StringComparison.Ordinal) || row.Verdict == "unknown (budget)")
                        line = Line(row.Lemma, row.Original) .PadRight(Widths[0] + Widths[1]) + modified;
                    terminal.Detail(o, line, verbose);
                    if (verbose)
                    {
                        foreach (var c in row.Changes) o.WriteLine($"    change: {c}");
                        foreach (var d in row.Details) o.WriteLine($"    {d}");
                        foreach (var f in row.Figures) o.WriteLine($"    figure: {f}");
                    }
                }
                else if (format == "md")
                    o.WriteLine($"| {Md(row.Lemma)} | {Md(row.Original)} | {Md(row.Modified)} | {Md(row.Verdict)} | {Md(row.Countermodel)} | {Md(row.SimulatedLimit)}{(row.Figures.Count > 0 ? " (" + string.Join(", ", row.Figures.Select(f => $"[figure]({f})")) + ")" : "")} |");
                o.Flush();
                Progress();
            }
        }

        private void ClearProgress()
        {
            if (!_progressShown) return;
            progress.Write("\r\u001b[2K");
            progress.Flush();
            _progressShown = false;
        }

        private void Progress()
        {
            if (!terminal.Interactive || _total == 0 || _rows.Count >= _total) return;
            const int bar = 30;
            int filled = bar * _rows.Count / _total;
            progress.Write($"\r[{new string('#', filled)}{new string('.', bar - filled)}] {_rows.Count}/{_total} lemmas, {_clock.Elapsed:m\\:ss}");
            progress.Flush();
            _progressShown = true;
        }

        public void Finish(IReadOnlyList<string> skipped, IReadOnlyList<string> errors)
        {
            lock (_gate)
            {
                ClearProgress();
                var breaks = _rows.Where(r => r.Breaks).Select(r => r.Lemma).ToList();
                if (format == "json")
                {
                    var ordered = _rows.OrderBy(r => r.File, StringComparer.Ordinal).ToList();
                    o.WriteLine(JsonOutput.Serialize(new { modification = m.Describe(), rows = ordered, breaks, skipped, errors, seconds = _clock.Elapsed.TotalSeconds }));
                    return;
                }
                o.WriteLine();
                o.WriteLine($"{_rows.Count} lemma(s) run in {_clock.Elapsed:m\\:ss}: {breaks.Count} break ({(breaks.Count > 0 ? string.Join(", ", breaks) : "none")}), " +
                    $"{_rows.Count(r => r.Verdict == "survives")} survive, {_rows.Count(r => r.Verdict == "cannot transform")} cannot be transformed, " +
                    $"{_rows.Count(r => r.Verdict == "unknown (budget)")} over budget, {_rows.Count(r => r.Verdict.StartsWith("undetermined", StringComparison.Ordinal) || r.Verdict.StartsWith("survives only", StringComparison.Ordinal))} other");
                if (skipped.Count > 0) o.WriteLine($"not concerned ({skipped.Count}): {string.Join(", ", skipped)}");
                foreach (var e in errors) o.WriteLine($"error: {e}");
            }
        }
    }
}
