using System.Text.Json.Nodes;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

/// <summary>dlp recheck --kernel: a certificate replays to its verdict, and a tampered one never does.</summary>
public class KernelReplayTests
{
    private static string Library(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "proofs", .. parts]);

    private static string Verified(params string[] lemma)
    {
        var dir = Directory.CreateTempSubdirectory("dlp-replay").FullName;
        var report = LemmaLibrary.Verify([Library(lemma)], options: CheckOptions.Default() with { CertificateDirectory = dir });
        Assert.Equal(0, report.ExitCode);
        return dir;
    }

    private static void Tamper(string dir, Func<JsonNode, bool> edit)
    {
        var file = Directory.GetFiles(dir, "*.kernel.json", SearchOption.AllDirectories).Order().First();
        var root = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.True(edit(root["certificate"]!), "the test found nothing to tamper with");
        File.WriteAllText(file, root.ToJsonString());
    }

    private static IReadOnlyList<ReplayRow> Replay(string dir) => KernelReplay.Run(dir, new Z3Worker(), TimeSpan.FromSeconds(60));

    [Z3Fact]
    public void An_invariant_set_certificate_replays_and_a_wrong_cofactor_does_not()
    {
        var dir = Verified("examples", "e4-unbalanced.toml");
        Assert.All(Replay(dir), r => Assert.True(r.Agreed && r.Replayed == Status.Proved, r.Detail));
        // g = s_1(a_1^2 - b_1^2) - c a_1 b_1 has L_f g = -(A + B) g: double the cofactor and the product no longer matches.
        Tamper(dir, c =>
        {
            var cofactor = c["statement"]!["equations"]![0]!["cofactors"]![0]!.AsArray();
            foreach (var term in cofactor) term![0] = (DeepLinearProofs.Algebra.Rational.Parse((string)term[0]!) * 2).ToString();
            return cofactor.Count > 0;
        });
        var row = Assert.Single(Replay(dir));
        Assert.False(row.Agreed);
        Assert.Equal(Status.Unknown, row.Replayed);
    }

    [Z3Fact]
    public void A_recorded_model_that_does_not_satisfy_the_hypotheses_is_not_accepted_on_replay()
    {
        var dir = Verified("balanced", "t9-balanced-rank-one.toml");
        Assert.All(Replay(dir), r => Assert.True(r.Agreed, r.Detail));
        // The hypotheses' model (non-vacuity) is re-checked exactly: move one weight and balance fails there.
        Tamper(dir, c =>
        {
            var query = c["queries"]!.AsArray().First(q => q!["model"] is JsonArray)!;
            var entry = query["model"]!.AsArray().First(kv => ((string)kv![0]!).StartsWith('W'))!;   // [[name, value], ...]
            entry[1] = (DeepLinearProofs.Algebra.Rational.Parse((string)entry[1]!) + 7).ToString();
            return true;
        });
        Assert.Contains(Replay(dir), r => !r.Agreed);
    }

    [Z3Fact]
    public void A_changed_statement_no_longer_matches_its_recorded_obligations()
    {
        var dir = Verified("landscape", "t6-rank-one-bound.toml");
        Assert.All(Replay(dir), r => Assert.True(r.Agreed, r.Detail));
        // Change the claim's constant: the kernel rebuilds another SMT text, which was never answered.
        Tamper(dir, c =>
        {
            var formula = c["statement"]!["claim"]!["formula"]!;
            while (formula["p"] is null) formula = formula["and"]![0]!;
            var terms = formula["p"]!.AsArray();
            var constant = terms.First(t => t![1]!.AsArray().Count == 0)!;
            constant[0] = (DeepLinearProofs.Algebra.Rational.Parse((string)constant[0]!) + 1).ToString();
            return true;
        });
        Assert.Contains(Replay(dir), r => !r.Agreed);
    }

    [Fact]
    public void A_large_identity_replays_from_its_lemma_file_by_digest_and_a_wrong_digest_disagrees()
    {
        var dir = Verified("flow", "t4-descent.toml");
        var rows = Replay(dir);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.Agreed && r.Replayed == Status.Proved, r.Detail));
        var digested = Directory.GetFiles(dir, "*.kernel.json", SearchOption.AllDirectories).First(f => File.ReadAllText(f).Contains("\"digest\""));
        var root = JsonNode.Parse(File.ReadAllText(digested))!;
        root["certificate"]!["statement"]!["digest"] = new string('0', 64);
        File.WriteAllText(digested, root.ToJsonString());
        Assert.Contains(Replay(dir), r => !r.Agreed && r.File == digested);
    }
}
