using System.Globalization;
using System.Net;
using System.Text;
using DeepLinearProofs.Proofs;

namespace DeepLinearProofs.Reporting;

/// <summary>The output of <c>dlp status</c>: the theory ledger as text, JSON, or one self-contained HTML page with a node per item.</summary>
public static class StatusOutput
{
    private static string Word(LedgerStatus s) => TheoryLedger.Describe(s);

    private static string Plain(string title) => title.Replace("`", "");

    public static void Text(TheoryLedger ledger, TextWriter o, bool files)
    {
        o.WriteLine($"theory ledger: the items of docs/theory.md and the verdicts of {ledger.Source}");
        o.WriteLine($"{"item",-5} {"strongest basis",-25} {"all sizes",9} {"instances",9} {"evidence",8} {"controls",8}  title");
        foreach (var e in ledger.Entries)
        {
            o.WriteLine($"{e.Item.Id,-5} {Word(e.Status),-25} {e.Count(LedgerPart.ProofForAllSizes),9} {e.Count(LedgerPart.ProofAtInstance),9} " +
                        $"{e.Count(LedgerPart.NumericalEvidence),8} {e.Count(LedgerPart.RefutedControl),8}  {Plain(e.Item.Title)}");
            if (!files) continue;
            foreach (var file in e.Rows.GroupBy(r => r.Path))
                o.WriteLine($"        {file.Key}: {string.Join("; ", file.Select(r => $"{Verdict(r)} [{r.Network}]"))}");
        }
        var counts = Enum.GetValues<LedgerStatus>().Select(s => (s, n: ledger.Entries.Count(e => e.Status == s))).Where(x => x.n > 0);
        o.WriteLine();
        o.WriteLine($"{ledger.Entries.Count} items: {string.Join(", ", counts.Select(x => $"{x.n} {Word(x.s)}"))}");
        o.WriteLine("columns count verdicts (a lemma on one network): proofs for every size, proofs at instances, simulations (numerical evidence, never a proof),");
        o.WriteLine("and refuted controls (negative lemmas: the statement with a hypothesis removed, refuted as expected)");
        if (ledger.Uncited.Count > 0) o.WriteLine($"{ledger.Uncited.Count} verdicts cite no item: {string.Join(", ", ledger.Uncited.Select(r => r.Path).Distinct())}");
        foreach (var e in ledger.Errors) o.WriteLine($"error: {e}");
    }

    private static string Verdict(LedgerRow r) => r.AsExpected ? $"{r.Status} ({r.Basis})" : $"{r.Status} ({r.Basis}), expected to {(r.Expected == "fails" ? "fail" : "hold")}";

    public static string Json(TheoryLedger ledger) => JsonOutput.Serialize(new
    {
        source = ledger.Source,
        items = ledger.Entries.Select(e => new
        {
            id = e.Item.Id,
            title = Plain(e.Item.Title),
            section = e.Item.Section,
            uses = e.Item.Uses,
            status = Word(e.Status),
            proofs_for_all_sizes = e.Count(LedgerPart.ProofForAllSizes),
            proofs_at_instances = e.Count(LedgerPart.ProofAtInstance),
            numerical_evidence = e.Count(LedgerPart.NumericalEvidence),
            refuted_controls = e.Count(LedgerPart.RefutedControl),
            not_as_expected = e.Count(LedgerPart.NotAsExpected),
            files = e.Files,
            verdicts = e.Rows.Select(r => new { lemma = r.LemmaId, path = r.Path, network = r.Network, method = r.Method, expected = r.Expected, status = r.Status, as_expected = r.AsExpected, basis = r.Basis, part = r.Part.ToString() }),
        }),
        uncited = ledger.Uncited.Select(r => r.Path).Distinct(),
        errors = ledger.Errors,
    });

    /// <summary>Fill colours of the nodes, by status (also the legend).</summary>
    public static string Colour(LedgerStatus s) => s switch
    {
        LedgerStatus.Failing => "#d9534f",
        LedgerStatus.ProvedForAllSizes => "#1b7837",
        LedgerStatus.ProvedAtInstances => "#7fbf7b",
        LedgerStatus.NumericalEvidenceOnly => "#f0ad4e",
        LedgerStatus.ControlsOnly => "#c2a5cf",
        _ => "#d9d9d9",
    };

    /// <summary>
    /// One HTML page, no external resources: a graph with a node per item (coloured by status, placed by how many items its
    /// argument builds on, an arrow from each item it uses), then a card per item listing its lemma files and verdicts.
    /// </summary>
    public static string Html(TheoryLedger ledger)
    {
        var inv = CultureInfo.InvariantCulture;
        var level = new Dictionary<string, int>();
        int Level(TheoryItem item) => level.TryGetValue(item.Id, out var l) ? l
            : level[item.Id] = item.Uses.Select(TheoryCatalog.Find).OfType<TheoryItem>().Select(u => Level(u) + 1).DefaultIfEmpty(0).Max();
        foreach (var e in ledger.Entries) Level(e.Item);
        const int nodeW = 132, nodeH = 44, colW = 172, rowH = 62, pad = 16;
        var rowOf = new Dictionary<string, int>();
        foreach (var column in ledger.Entries.GroupBy(e => level[e.Item.Id]))
        {
            int row = 0;
            foreach (var e in column) rowOf[e.Item.Id] = row++;
        }
        int columns = level.Values.Max() + 1, rows = rowOf.Values.Max() + 1;
        double X(string id) => pad + level[id] * colW;
        double Y(string id) => pad + rowOf[id] * rowH;
        var svg = new StringBuilder();
        int width = pad * 2 + (columns - 1) * colW + nodeW, height = pad * 2 + (rows - 1) * rowH + nodeH;
        svg.Append(string.Create(inv, $"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"theory items coloured by status\" xmlns=\"http://www.w3.org/2000/svg\">"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>");
        foreach (var e in ledger.Entries)
            foreach (var u in e.Item.Uses.Where(u => level.ContainsKey(u)))
            {
                double x1 = X(u) + nodeW, y1 = Y(u) + nodeH / 2.0, x2 = X(e.Item.Id), y2 = Y(e.Item.Id) + nodeH / 2.0, mid = (x1 + x2) / 2;
                svg.Append(string.Create(inv, $"<path d=\"M {x1:0.#} {y1:0.#} C {mid:0.#} {y1:0.#}, {mid:0.#} {y2:0.#}, {x2:0.#} {y2:0.#}\" fill=\"none\" stroke=\"#888\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>"));
            }
        foreach (var e in ledger.Entries)
        {
            var id = e.Item.Id;
            var fill = Colour(e.Status);
            var text = e.Status is LedgerStatus.ProvedForAllSizes or LedgerStatus.Failing ? "#fff" : "#111";
            svg.Append(string.Create(inv, $"<a href=\"#{id}\"><g><title>{Esc(id)}. {Esc(Plain(e.Item.Title))}: {Esc(Word(e.Status))}</title>"));
            svg.Append(string.Create(inv, $"<rect x=\"{X(id)}\" y=\"{Y(id)}\" width=\"{nodeW}\" height=\"{nodeH}\" rx=\"7\" fill=\"{fill}\" stroke=\"#333\" stroke-width=\"0.8\"/>"));
            svg.Append(string.Create(inv, $"<text x=\"{X(id) + nodeW / 2.0}\" y=\"{Y(id) + 18}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"{text}\">{Esc(id)}</text>"));
            svg.Append(string.Create(inv, $"<text x=\"{X(id) + nodeW / 2.0}\" y=\"{Y(id) + 35}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{text}\">{Esc(Word(e.Status))}</text></g></a>"));
        }
        svg.Append("</svg>");

        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append("<title>DeepLinearProofs: theory ledger</title><style>");
        h.Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#111;line-height:1.4}");
        h.Append("svg{width:100%;height:auto;border:1px solid #ddd;border-radius:6px;background:#fcfcfc}");
        h.Append(".legend span{display:inline-block;margin:0 1em .3em 0}.legend i{display:inline-block;width:1em;height:1em;border:1px solid #333;vertical-align:-.15em;margin-right:.3em}");
        h.Append(".item{border:1px solid #ccc;border-left:8px solid;border-radius:6px;padding:.5em 1em;margin:1em 0}");
        h.Append("table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.9em}td,th{border-bottom:1px solid #eee;text-align:left;padding:.2em .4em;vertical-align:top;overflow-wrap:anywhere}");
        h.Append("th:nth-child(1){width:34%}th:nth-child(2){width:22%}th:nth-child(3){width:12%}th:nth-child(4){width:32%}code{font-size:.95em}.bad{color:#b52a25;font-weight:bold}");
        h.Append("</style></head><body>\n");
        h.Append($"<h1>Theory ledger</h1>\n<p>The items of the project's theory document (<code>docs/theory.md</code>) and the verdicts of {Esc(ledger.Source)}. ");
        h.Append("Each node is an item, coloured by the strongest basis among the verdicts of its lemmas (the counts say which parts have which); an arrow runs from each item an argument builds on. ");
        h.Append("Simulations are numerical evidence, never proofs; a refuted control is a negative lemma (the statement with a hypothesis removed) refuted as expected.</p>\n");
        h.Append("<p class=\"legend\">");
        foreach (var s in Enum.GetValues<LedgerStatus>())
            h.Append($"<span><i style=\"background:{Colour(s)}\"></i>{Esc(Word(s))} ({ledger.Entries.Count(e => e.Status == s)})</span>");
        h.Append("</p>\n").Append(svg).Append('\n');
        foreach (var e in ledger.Entries)
        {
            h.Append($"<div class=\"item\" id=\"{e.Item.Id}\" style=\"border-left-color:{Colour(e.Status)}\"><h2>{e.Item.Id}. {Inline(e.Item.Title)}</h2>");
            h.Append($"<p><b>{Esc(Word(e.Status))}</b>: {e.Count(LedgerPart.ProofForAllSizes)} for all sizes, {e.Count(LedgerPart.ProofAtInstance)} at instances, " +
                     $"{e.Count(LedgerPart.NumericalEvidence)} numerical evidence, {e.Count(LedgerPart.RefutedControl)} refuted controls" +
                     (e.Item.Uses.Count > 0 ? $"; builds on {string.Join(", ", e.Item.Uses.Select(u => $"<a href=\"#{u}\">{u}</a>"))}" : "") + ".</p>");
            if (e.Rows.Count == 0) h.Append("<p>No lemma file cites this item yet.</p>");
            else
            {
                h.Append("<table><tr><th>lemma file</th><th>network</th><th>method</th><th>verdict (basis)</th></tr>");
                foreach (var r in e.Rows)
                    h.Append($"<tr><td><code>{Esc(r.Path)}</code></td><td>{Esc(r.Network)}</td><td>{Esc(r.Method)}</td><td{(r.AsExpected ? "" : " class=\"bad\"")}>{Esc(Verdict(r))}</td></tr>");
                h.Append("</table>");
            }
            h.Append("</div>\n");
        }
        foreach (var err in ledger.Errors) h.Append($"<p class=\"bad\">error: {Esc(err)}</p>\n");
        h.Append("</body></html>\n");
        return h.ToString();
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A heading with `code` spans as &lt;code&gt;.</summary>
    private static string Inline(string title)
    {
        var parts = title.Split('`');
        return string.Concat(parts.Select((p, i) => i % 2 == 1 ? $"<code>{Esc(p)}</code>" : Esc(p)));
    }
}
