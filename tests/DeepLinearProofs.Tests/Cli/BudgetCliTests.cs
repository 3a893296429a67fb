using DeepLinearProofs.Proofs;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>dlp verify --rlimit / --timeout and the lemma file's rlimit key.</summary>
public class BudgetCliTests
{
    private const string T7 = "id = \"t7\"\n[[network]]\nwidths = [2, 1, 2]\ntarget = \"diag(2,1)\"\n[claim]\nmethod = \"forall\"\n" +
        "expr = \"all(i, 1, N, grad(W[i]) == 0) => P == 0 or any(i, 1, d[0], P == s[i] * u[i] * T(v[i]))\"\n";

    [Theory]
    [InlineData("--rlimit", "0")]
    [InlineData("--rlimit", "-5")]
    [InlineData("--rlimit", "many")]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "3601")]
    public void Bad_budgets_are_one_line_usage_errors(string option, string value)
    {
        var (code, _, err) = DlpRunner.Run("verify", DlpRunner.Library("landscape", "t7-critical-points.toml"), option, value);
        Assert.Equal(64, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("dlp: usage:", err);
    }

    [Fact]
    public void The_rlimit_key_is_a_positive_integer_carried_on_the_claim()
    {
        Assert.Equal(5000, LemmaLoader.Parse(T7 + "rlimit = 5000\n", "t7.toml").Claim.Rlimit);
        Assert.Equal(DeepLinearProofs.Smt.SolverBudget.DefaultRlimit, LemmaLoader.Parse(T7, "t7.toml").Claim.Rlimit);
        foreach (var bad in new[] { "rlimit = 0", "rlimit = -1", "rlimit = \"big\"", "rlimit = 1.5" })
        {
            var e = Assert.Throws<LemmaFileException>(() => LemmaLoader.Parse(T7 + bad + "\n", "t7.toml"));
            Assert.Contains("rlimit", e.Message);
            Assert.Equal(8, e.Line);
        }
    }

    [Z3Fact]
    public void A_small_rlimit_is_unknown_by_resource_limit_and_is_written_in_the_certificate()
    {
        var dir = Directory.CreateTempSubdirectory("dlp-budget").FullName;
        try
        {
            var file = Path.Combine(dir, "t7.toml");
            File.WriteAllText(file, T7 + "rlimit = 1000\n");
            var (code, output, _) = DlpRunner.Run("verify", file, "--out", Path.Combine(dir, "out"), "--verbose");
            Assert.Equal(2, code);
            Assert.Contains("resource limit (rlimit 1000) reached", output);   // in the detail line, whole with --verbose
            var certificate = Assert.Single(Directory.GetFiles(Path.Combine(dir, "out"), "*.smt2", SearchOption.AllDirectories));
            Assert.Contains("(set-option :rlimit 1000)\n", File.ReadAllText(certificate));
            Assert.DoesNotContain(":timeout", File.ReadAllText(certificate));
            // --rlimit overrides the file's key for every obligation.
            var (again, text, _) = DlpRunner.Run("verify", file, "--out", Path.Combine(dir, "out"), "--rlimit", "50000000");
            Assert.Equal(0, again);
            Assert.Contains("proved", text);
            Assert.Contains("(set-option :rlimit 50000000)\n", File.ReadAllText(certificate));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
