using System.Diagnostics;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>Ctrl-C during dlp verify: exit 130 at once, one line 'interrupted', no solver left, no partial certificate.</summary>
[Collection(nameof(SolverProcessCollection))]
public class InterruptCliTests
{
    private static int SendSigint(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }

    [Z3Fact]
    public void Sigint_during_an_smt_check_exits_130_within_two_seconds_and_kills_the_worker()
    {
        var dir = Directory.CreateTempSubdirectory("dlp-sigint").FullName;
        try
        {
            // T7 at 3,1,3 takes seconds (about 2.7e6 rlimit units): long enough to be interrupted mid-check.
            var lemma = Path.Combine(dir, "t7.toml");
            File.WriteAllText(lemma, "id = \"t7\"\n[[network]]\nwidths = [3, 1, 3]\ntarget = \"diag(3,2,1)\"\n[claim]\nmethod = \"forall\"\n" +
                "expr = \"all(i, 1, N, grad(W[i]) == 0) => P == 0 or any(i, 1, d[0], P == s[i] * u[i] * T(v[i]))\"\n");
            using var dlp = DlpRunner.Start("verify", lemma, "--out", Path.Combine(dir, "out"), "--rlimit", "1000000000000", "--timeout", "600");
            var stderr = dlp.StandardError.ReadToEndAsync();
            var stdout = dlp.StandardOutput.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            // Wait for a worker that is still solving half a second after it was first seen.
            var log = new System.Text.StringBuilder();
            while (!dlp.HasExited && waited.Elapsed < TimeSpan.FromSeconds(90))
            {
                var seen = SolverProcesses.WorkersOf(dlp.Id);
                Thread.Sleep(500);
                var now = SolverProcesses.WorkersOf(dlp.Id);
                log.Append($"{waited.Elapsed.TotalSeconds:F1}:{string.Join(",", seen)}/{string.Join(",", now)} ");
                if (seen.Intersect(now).Any()) break;
            }
            if (dlp.HasExited) Assert.Fail("dlp ended before the solver started: " + stdout.Result + stderr.Result);
            Assert.True(SolverProcesses.WorkersOf(dlp.Id).Count > 0, $"no worker of {dlp.Id} after {waited.Elapsed}: {log}");
            var clock = Stopwatch.StartNew();
            Assert.Equal(0, SendSigint(dlp.Id));
            // The handler exits within 0.75 s by its watchdog (0.06-0.08 s measured); the bound leaves room for a loaded test run.
            bool exited = dlp.WaitForExit(10_000);
            clock.Stop();
            if (!exited) dlp.Kill(true);
            Assert.True(exited, $"dlp did not exit within 10 s of SIGINT");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dlp took {clock.Elapsed.TotalSeconds:F2} s to exit after SIGINT");
            Assert.Equal(130, dlp.ExitCode);
            Assert.Equal("interrupted", stderr.Result.Trim());
            Thread.Sleep(100);
            Assert.Empty(SolverProcesses.WorkersOf(dlp.Id));
            var outDir = Path.Combine(dir, "out");
            if (Directory.Exists(outDir))
            {
                // No half-written file: no temporary left, and every obligation file written is whole (the obligations
                // answered before the interrupt keep theirs; the interrupted one has none).
                Assert.Empty(Directory.GetFiles(outDir, "*.tmp*", SearchOption.AllDirectories));
                Assert.All(Directory.GetFiles(outDir, "*.smt2", SearchOption.AllDirectories), f =>
                {
                    var text = File.ReadAllText(f);
                    Assert.StartsWith("; expected: ", text);
                    Assert.EndsWith("(get-model)\n", text);
                });
                Assert.Empty(Directory.GetFiles(outDir, "*.kernel.json", SearchOption.AllDirectories));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
