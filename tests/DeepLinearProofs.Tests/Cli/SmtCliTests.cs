using DeepLinearProofs.Cli;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

public class SmtCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => DlpRunner.Run(args);

    private static string Library(params string[] parts) => DlpRunner.Library(parts);

    private static string TempDir() => Directory.CreateTempSubdirectory("dlp-cli").FullName;

    [Z3Fact]
    public void Verify_writes_certificates_and_recheck_never_reports_agreement_from_an_absent_route()
    {
        var outDir = TempDir();
        try
        {
            var (code, output, _) = Run("verify", Library("balanced", "t9-balanced-rank-one.toml"), "--out", outDir);
            Assert.Equal(0, code);
            // Per network: the hypotheses are satisfiable (a checked model: not vacuous), then the claim's obligation is unsat.
            var certificates = Directory.GetFiles(outDir, "*.smt2", SearchOption.AllDirectories).Order().ToList();
            Assert.Equal(4, certificates.Count);
            Assert.All(certificates.Where(f => f.EndsWith("-claim.smt2")), f => Assert.StartsWith("; expected: unsat", File.ReadAllText(f)));
            Assert.All(certificates.Where(f => f.EndsWith("-hypotheses-satisfiable.smt2")), f => Assert.StartsWith("; expected: sat", File.ReadAllText(f)));
            Assert.Equal(2, certificates.Count(f => f.EndsWith("-claim.smt2")));
            Assert.Contains("; hypothesis balance:", File.ReadAllText(certificates[0]));
            Assert.Contains("(set-option :rlimit ", File.ReadAllText(certificates[0]));
            Assert.Equal(2, Directory.GetFiles(outDir, "*.kernel.json", SearchOption.AllDirectories).Length);

            // The z3 worker route rechecks its own certificates: a sanity check of the files.
            var same = Run("recheck", outDir, "--solver", "z3");
            Assert.Equal(0, same.Code);
            Assert.Contains("4 agreed, 0 disagreed", same.Out);

            foreach (var route in new[] { "z3-wasm", "cvc5", "z3-binary" })
            {
                var (rc, text, _) = Run("recheck", outDir, "--solver", route, "--timeout", "10");
                var solver = ExternalSolver.ByName(route, Tools.Z3WasmDirectory());
                if (solver.Unavailable is null)
                {
                    Assert.True(rc is 0 or 2, text);
                    Assert.DoesNotContain("DISAGREED", text);
                }
                else
                {
                    Assert.Equal(2, rc);
                    Assert.Contains("0 agreed", text);
                    Assert.Contains("unavailable", text);
                }
            }
        }
        finally
        {
            Directory.Delete(outDir, true);
        }
    }

    [Z3Fact]
    public void Check_shows_which_lemmas_depend_on_an_assumption()
    {
        var dir = TempDir();
        try
        {
            File.Copy(Library("landscape", "t5-rank-one.toml"), Path.Combine(dir, "t5.toml"));
            File.Copy(Library("flow", "t3-conservation.toml"), Path.Combine(dir, "t3.toml"));
            var (code, output, _) = Run("check", "--all", "--drop", "one-neuron", dir);
            Assert.Equal(0, code);
            var t5 = Assert.Single(output.Split('\n'), l => l.StartsWith("landscape.rank-one", StringComparison.Ordinal));
            Assert.Contains("breaks", t5);
            var t3 = Assert.Single(output.Split('\n'), l => l.StartsWith("flow.conservation", StringComparison.Ordinal));
            Assert.Contains("survives", t3);
            Assert.Contains("1 break (landscape.rank-one)", output);

            var one = Run("check", Library("two-layer", "t14-balanced-rule-needs-balance.toml"), "--drop", "balance", "--verbose");
            Assert.Equal(0, one.Code);
            Assert.Contains("does NOT survive", one.Out);
            Assert.Contains("countermodel checked exactly against the statement as written", one.Out);
            Assert.Equal(64, Run("check", Library("two-layer", "t14-balanced-rule-needs-balance.toml")).Code);
            Assert.Equal(2, Run("check", Library("flow", "t3-conservation.toml"), "--drop", "balance").Code);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
