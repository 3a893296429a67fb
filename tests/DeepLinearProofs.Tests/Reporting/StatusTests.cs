using System.Text.Json;
using System.Text.RegularExpressions;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using DeepLinearProofs.Tests.Cli;
using Xunit;

namespace DeepLinearProofs.Tests.Reporting;

/// <summary>dlp status: the ledger keyed to the theory items, its statuses, and its three formats.</summary>
public class StatusTests
{
    private static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DeepLinearProofs.sln"))) return Path.Combine([dir.FullName, .. parts]);
        throw new InvalidOperationException("the repository root (DeepLinearProofs.sln) is not above the test binary");
    }

    [Fact]
    public void The_catalog_is_the_theory_documents_items_with_their_headings()
    {
        var headings = File.ReadLines(RepositoryFile("docs", "theory.md"))
            .Select(l => Regex.Match(l, @"^### ([TE]\d+)\. (.*)$")).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim())).ToList();
        Assert.Equal(headings, TheoryCatalog.Items.Select(i => (i.Id, i.Title)).ToList());
        Assert.All(TheoryCatalog.Items.SelectMany(i => i.Uses), u => Assert.NotNull(TheoryCatalog.Find(u)));
    }

    private static (LedgerRow, string) Row(string theory, string status, bool asExpected, string expected = "holds", string network = "2,1,2 | symbolic") =>
        (new LedgerRow("x", $"proofs/{theory}.toml", network, "identity", expected, status, asExpected, "exact", ""), theory);

    [Fact]
    public void An_item_gets_its_strongest_basis_and_a_lemma_against_expectation_marks_it_failing()
    {
        var ledger = TheoryLedger.Build([
            Row("T1", "proved", true, network: "all sizes"), Row("T1", "proved", true),
            Row("T2", "proved", true), Row("T2", "supported", true),
            Row("T3", "supported", true),
            Row("T4", "refuted", true, expected: "fails"),
            Row("T5", "proved", true, network: "all sizes"), Row("T5", "unknown", false),
            Row("T6", "supported", true), Row("T6", "contradicted", false),
            Row("T99", "proved", true),
        ], [], "test");
        LedgerStatus Of(string id) => ledger.Entries.Single(e => e.Item.Id == id).Status;
        Assert.Equal(LedgerStatus.ProvedForAllSizes, Of("T1"));
        Assert.Equal(LedgerStatus.ProvedAtInstances, Of("T2"));
        Assert.Equal(LedgerStatus.NumericalEvidenceOnly, Of("T3"));
        Assert.Equal(LedgerStatus.ControlsOnly, Of("T4"));
        Assert.Equal(LedgerStatus.Failing, Of("T5")); // an unknown verdict is not a proof, whatever else the item has
        Assert.Equal(LedgerStatus.Failing, Of("T6"));
        Assert.Equal(LedgerStatus.Absent, Of("T10"));
        Assert.Equal(22, ledger.Entries.Count);
        Assert.Single(ledger.Uncited);
    }

    [Fact]
    public void A_supported_simulation_never_counts_as_a_proof()
    {
        var ledger = TheoryLedger.Build([Row("E1", "supported", true, network: "all sizes")], [], "test");
        var e1 = ledger.Entries.Single(e => e.Item.Id == "E1");
        Assert.Equal(LedgerStatus.NumericalEvidenceOnly, e1.Status);
        Assert.Equal(0, e1.Count(LedgerPart.ProofForAllSizes));
    }

    [Fact]
    public void The_html_page_has_a_node_per_item_and_no_external_resources()
    {
        var ledger = TheoryLedger.Build([Row("T1", "proved", true), Row("E2", "unknown", false)], [], "test");
        var html = StatusOutput.Html(ledger);
        foreach (var item in TheoryCatalog.Items)
        {
            Assert.Contains($"<a href=\"#{item.Id}\"><g>", html);
            Assert.Contains($"id=\"{item.Id}\"", html);
        }
        Assert.Contains(StatusOutput.Colour(LedgerStatus.Failing), html);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);
        Assert.DoesNotContain("<script src", html);
    }

    [Fact]
    public void Status_reads_a_saved_verify_report_and_writes_text_json_and_html()
    {
        var dir = Directory.CreateTempSubdirectory("dlp-status").FullName;
        var (vcode, verifyJson, _) = DlpRunner.Run("verify", DlpRunner.Library("flow"), "--json", "--out", Path.Combine(dir, "certs"));
        Assert.Equal(0, vcode);
        var saved = Path.Combine(dir, "verify.json");
        File.WriteAllText(saved, verifyJson);
        var (code, text, err) = DlpRunner.Run("status", "--from", saved, "--files");
        Assert.True(code == 0, err);
        Assert.Matches(@"T3\s+proved at instances\s+0\s+\d+\s+0\s+[1-9]\d*\s+Conserved imbalances", text);
        Assert.Matches(@"T10\s+absent", text);
        Assert.Contains("t3-conservation.toml: proved (exact)", text);
        using var json = JsonDocument.Parse(DlpRunner.Run("status", "--from", saved, "--format", "json").Out);
        var t1 = json.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "T1");
        Assert.Equal("proved at instances", t1.GetProperty("status").GetString());
        var page = Path.Combine(dir, "ledger.html");
        var (hcode, hout, herr) = DlpRunner.Run("status", "--from", saved, "--format", "html", "--out", page);
        Assert.True(hcode == 0, herr);
        Assert.Contains("written to", hout);
        Assert.Contains("<svg", File.ReadAllText(page));
    }

    [Fact]
    public void Bad_input_gets_one_line_before_any_check()
    {
        var dir = Directory.CreateTempSubdirectory("dlp-status").FullName;
        var notJson = Path.Combine(dir, "x.json");
        File.WriteAllText(notJson, "{\"passed\": 1}");
        var (code, _, err) = DlpRunner.Run("status", "--from", notJson);
        Assert.Equal(2, code);
        Assert.Contains("not a 'dlp verify --json' report", err);
        (code, _, err) = DlpRunner.Run("status", "--from", Path.Combine(dir, "missing.json"));
        Assert.Equal(2, code);
        Assert.Contains("no such file", err);
        var started = DateTime.UtcNow;
        (code, _, err) = DlpRunner.Run("status", "--format", "html", "--out", dir); // a folder, not a file: refused at once
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the output was checked after the library was");
        (code, _, err) = DlpRunner.Run("status", "--format", "pdf");
        Assert.Equal(64, code);
    }
}
