using System.Text.Json;
using DeepLinearProofs.Cli;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => DlpRunner.Run(args);

    /// <summary>The repository's proofs/ folder, found from the test binary's location.</summary>
    private static string Library()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DeepLinearProofs.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "proofs");
    }

    [Z3Fact]
    public void I_can_verify_the_builtin_library_and_every_expectation_holds()
    {
        // 300 columns, so that no column is left out; --verbose: the detail lines in full.
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = DeepLinearProofs.Cli.DlpApp.Run(["verify", Library(), "--verbose"], stdout, stderr, terminal: new DeepLinearProofs.Reporting.Terminal(300, false));
        var (output, err) = (stdout.ToString(), stderr.ToString());
        Assert.True(code == 0, output + err);
        Assert.Contains("0 failed, 0 inconclusive", output);
        Assert.Contains("landscape.rank-one.without-one-neuron", output);
        Assert.Contains("refuted (expected)", output);
        Assert.Contains("the difference is", output); // the T5 countermodel is printed
        foreach (var item in new[] { "T1", "T2", "T3", "T4", "T5" }) Assert.Contains($" {item} ", output);
    }

    [Z3Fact]
    public void I_get_json_from_verify()
    {
        var (code, output, _) = Run("verify", Path.Combine(Library(), "landscape"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var results = doc.RootElement.GetProperty("results");
        Assert.Contains(results.EnumerateArray(), r => r.GetProperty("status").GetString() == "refuted" && r.GetProperty("witness").ValueKind == JsonValueKind.Array);
        Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("as_expected").GetBoolean()));
    }

    [Fact]
    public void A_malformed_lemma_file_gives_a_one_line_error_and_exit_code_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"dlp-bad-{Guid.NewGuid():N}.toml");
        File.WriteAllText(file, "id = \"x\"\n[[network]]\nwidths = [3, 2, 3]\n[claim]\nmethod = \"identity\"\nexpr = \"lie(C[9]) == 0\"\n");
        try
        {
            var (code, output, _) = Run("verify", file);
            Assert.Equal(2, code);
            var line = Assert.Single(output.Split('\n'), l => l.StartsWith("error:"));
            Assert.Contains($"{file}:6:", line);
            Assert.Contains("C[9] is out of range", line);
            Assert.DoesNotContain("   at ", output); // no stack trace
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_failed_expectation_exits_with_1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"dlp-false-{Guid.NewGuid():N}.toml");
        File.WriteAllText(file, "id = \"false\"\n[[network]]\nwidths = [2, 2, 2]\n[claim]\nmethod = \"identity\"\nexpr = \"minor2(P) == 0\"\n");
        try
        {
            var (code, output, _) = Run("verify", file);
            Assert.Equal(1, code);
            Assert.Contains("FAILED: refuted", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Usage_errors_exit_with_64_and_bad_input_with_2()
    {
        Assert.Equal(64, Run("derive").Code);
        Assert.Equal(64, Run("verify", "--bogus").Code);
        Assert.Equal(64, Run("bench", "derive", "--widths", "2,1,2", "--repeat", "0").Code);
        Assert.Equal(64, Run("derive", "--widths", "2,1,2", "--format", "pdf").Code);
        var (code, _, err) = Run("derive", "--widths", "3,1,2", "--target", "diag(3,2,1)");
        Assert.Equal(2, code);
        Assert.StartsWith("dlp: error: target diag(3,2,1) has 3 entries", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(2, Run("verify", "/no/such/place").Code);
    }

    [Fact]
    public void I_can_derive_the_flow_and_its_conserved_quantities()
    {
        var (code, output, _) = Run("derive", "--widths", "3,2,1,2,3", "--entries");
        Assert.Equal(0, code);
        Assert.Contains("dW1/dt = W_{4:2}^T E", output);
        Assert.Contains("lie(C2) = 0: exact: holds", output);
        Assert.Contains("C2[1,1] = -W2[1,1]^2 - W2[1,2]^2 + W3[1,1]^2 + W3[2,1]^2", output);
        Assert.Contains("dW3/dt = W4^T E W_{2:1}^T", output);
        Assert.Contains("dL/dt = -sum_j ||dL/dW_j||^2", output);
        Assert.Contains("dW4[3,2]/dt = ", output);
        var latex = Run("derive", "--widths", "2,1,2", "--format", "latex").Out;
        Assert.Contains("\\frac{dW_{1}}{dt} &= W_{2}^{\\top} E", latex);
        using var json = JsonDocument.Parse(Run("derive", "--widths", "2,1,2", "--format", "json").Out);
        Assert.True(json.RootElement.GetProperty("minors_vanish").GetBoolean());
    }

    [Fact]
    public void Bench_prints_one_line_with_wall_seconds()
    {
        var (code, output, _) = Run("bench", "derive", "--widths", "3,2,1,2,3", "--mode", "blockwise");
        Assert.Equal(0, code);
        var line = Assert.Single(output.Trim().Split('\n'));
        Assert.Matches(@"wall_s=\d+\.\d{3} ", line);
        Assert.Contains("conservation_identities=9 ", line);
        Assert.Contains("all_hold=true", line);
    }
}
