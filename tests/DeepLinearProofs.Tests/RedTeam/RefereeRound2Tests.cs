using System.Diagnostics;
using System.Text.Json.Nodes;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>
/// Third referee round: `dlp check`, `dlp recheck --kernel`, certificate files, lemma-file robustness. Every "Was_a_bug_" test asserts
/// the correct behaviour and fails on the code as reviewed (commit e58c1c5); "PROBE_passes_" tests are hard cases that pass
/// and guard regressions. None repeats RedTeamCases or KernelRefereeTests.
/// Run with: dotnet test tests/DeepLinearProofs.Tests --filter "FullyQualifiedName~RedTeam.RefereeRound2"
/// </summary>
public class RefereeRound2Tests
{
    // ------------------------------------------------------------------ helpers

    private static KernelSession Session() => Referee.Session("referee3", 20);

    private static Polynomial V(string name) => Referee.V(name);
    private static Polynomial C(long c) => Referee.C(c);

    private static string Lemma(string id, string method, string expr, string extra = "", string widths = "1, 1, 1", string target = "[[3]]") =>
        Referee.Lemma("referee3", 10, id, method, expr, extra, widths, target);

    private static RedTeamRun RunNoCrash(string name, string toml) => Referee.RunNoCrash(name, toml);

    private static string TempDir() => Directory.CreateTempSubdirectory("referee3-").FullName;

    private static string Write(string dir, string name, string text)
    {
        var file = Path.Combine(dir, name);
        File.WriteAllText(file, text);
        return file;
    }

    // ================================================================== PROBE (passes): two kernel variables, one SMT symbol
    // SmtText.Symbol quotes a name as |name| after replacing '|' and '\' by '_', so the distinct kernel variables "x|" and
    // "x_" (names come verbatim from certificate files) are written as the same SMT constant |x_|, declared twice; the
    // obligation for "forall x, y: x = y" becomes (not (= (+ |x_| (* (- 1.0) |x_|)) 0.0)), which is unsat. It is not proved only
    // because z3 and cvc5 print "(error ... already declared)" and SolverAnswer.Parse turns an error before the answer into
    // Unknown (the z3 binary then still prints "unsat"). Soundness here rests on the solvers rejecting the re-declaration;
    // the kernel should refuse names it cannot write injectively (defence in depth), but no false proof was obtained.

    [Z3Fact]
    public void PROBE_passes_kernel_forall_with_two_names_sharing_one_smt_symbol_is_not_proved()
    {
        var claim = new Labeled("x| == x_", Formula.Atom(V("x|") - V("x_"), Relation.Eq));
        var verdict = ProofKernel.Forall(new ForallStatement([], claim, []), Session());
        Assert.True(verdict.Status is not (Status.Proved or Status.Vacuous), $"forall x, y: x = y came out {verdict.Status}: {verdict.Detail}");
    }

    [Z3Fact]
    public void PROBE_passes_forged_certificate_with_colliding_names_does_not_replay_as_proved()
    {
        // The same statement through `dlp recheck --kernel`: the replay rebuilds the (colliding) obligation, the route
        // re-solves it, unsat, and the file "agrees" with proved. x\ and x_ collide the same way.
        var dir = TempDir();
        try
        {
            var claim = new Labeled("x\\ == x_", Formula.Atom(V("x\\") - V("x_"), Relation.Eq));
            var session = Session();
            var verdict = ProofKernel.Forall(new ForallStatement([], claim, []), session);
            CertificateFile.Write(dir, Path.Combine(dir, "forged.toml"), "referee3.forged", "1,1,1 | [[3]]", verdict.Certificate!);
            var row = Assert.Single(KernelReplay.Run(dir, new Z3Worker(), TimeSpan.FromSeconds(30)));
            Assert.True(row.Replayed is not Status.Proved, $"a forged certificate of 'forall x, y: x = y' replayed as {row.Replayed}: {row.Detail}");
        }
        finally { Directory.Delete(dir, true); }
    }

    // ================================================================== BUG 2: widths wrap around int
    // ReadNetwork casts the TOML integer (long) with (int)iv.Value, unchecked: widths = [4294967299, 1, 3] becomes 3,1,3 and
    // the lemma is checked (and reported proved) on a network that is not the one in the file. The previous round fixed the
    // same wrap for indices in expressions. Fault: LemmaLoader.ReadNetwork ((int)iv.Value). Correct: a one-line error.

    [Z3Fact]
    public void Was_a_bug_width_4294967299_wraps_to_3_and_the_lemma_is_proved_on_3_1_3()
    {
        var run = RunNoCrash("wrap-width", Lemma("wrap-width", "identity", "d[0] == 3", widths: "4294967299, 1, 3", target: "\"symbolic\""));
        RedTeamAssert.Rejected(run);
    }

    // ================================================================== BUG 3: two point keys for one layer
    // MembershipMethod.PointValues accepts any key 'W' + int.TryParse(...): W1, W01, "W+1" and "W 1" all name layer 1. Two of
    // them give the same weight variables twice and ProofKernel.Membership's Point() (ToDictionary) throws ArgumentException:
    // `dlp verify` prints "internal error ... An item with the same key has already been added. Key: W1[1,1]" at line 0.
    // Correct: a one-line error naming the duplicate layer (or accept only the canonical spelling Wj).

    [Z3Fact]
    public void Was_a_bug_claim_point_with_W1_and_W01_is_an_internal_error()
    {
        var toml = Lemma("dup-point", "membership", "W1[1,1] == 1", "[claim.point]\nW1 = [[1]]\nW01 = [[5]]\nW2 = [[1]]", target: "\"diag(2)\"");
        RedTeamAssert.Rejected(RunNoCrash("dup-point", toml));
    }

    [Z3Fact]
    public void Was_a_bug_invariant_start_with_W2_and_W02_is_an_internal_error()
    {
        // the same through InvariantRuleCheck's Point(s.Start)
        var toml = $"""
            id = "referee3.dup-start"
            [[network]]
            widths = [1, 1, 1]
            target = [[3]]
            [network.point]
            W1 = [[0]]
            W2 = [[0]]
            W02 = [[1]]
            [claim]
            method = "invariant"
            equations = ["W1"]
            """;
        RedTeamAssert.Rejected(RunNoCrash("dup-start", toml));
    }

    // ================================================================== BUG 4: a replayed certificate with a repeated variable crashes recheck
    // "A damaged file reads as an error, never as a statement" (CertificateFile), but an invariant certificate whose field
    // lists a state variable twice, or whose start assigns one twice, is read fine and then ProofKernel.Invariant's
    // ToDictionary throws ArgumentException out of KernelReplay.Run: `dlp recheck --kernel DIR` dies with a stack trace
    // (RecheckCommand.cs line 26) and reports none of the other certificates. Fault: KernelReplay.Run (no catch around
    // ProofKernel.Replay) and InvariantRuleCheck / Point (ToDictionary on untrusted lists).

    [Z3Fact]
    public void Was_a_bug_replay_of_an_invariant_certificate_with_a_repeated_field_variable_crashes()
    {
        var dir = TempDir();
        try
        {
            var toml = Write(dir, "inv.toml", """
                id = "referee3.inv"
                [[network]]
                widths = [1, 1, 1]
                target = [[3]]
                [network.point]
                W1 = [[0]]
                W2 = [[0]]
                [claim]
                method = "invariant"
                equations = ["W1", "W2"]
                """);
            var certs = Path.Combine(dir, "certs");
            var report = LemmaLibrary.Verify([toml], options: CheckOptions.Default() with { CertificateDirectory = certs });
            Assert.Equal(0, report.ExitCode);
            var file = Directory.GetFiles(certs, "*.kernel.json", SearchOption.AllDirectories).Single();
            var root = JsonNode.Parse(File.ReadAllText(file))!;
            var field = root["certificate"]!["statement"]!["field"]!.AsArray();
            field.Add(field[0]!.DeepClone());
            File.WriteAllText(file, root.ToJsonString());
            IReadOnlyList<ReplayRow> rows = [];
            var crash = Record.Exception(() => rows = KernelReplay.Run(certs, new Z3Worker(), TimeSpan.FromSeconds(30)));
            Assert.True(crash is null, $"recheck --kernel crashed on a damaged certificate: {crash?.GetType().Name}: {crash?.Message}");
            var row = Assert.Single(rows);
            Assert.False(row.Agreed);
        }
        finally { Directory.Delete(dir, true); }
    }

    // ================================================================== BUG 5: an exponent in a number hangs the tool
    // Rational.TryParseDecimal computes BigInteger.Pow(10, exponent) for any int exponent: target = "diag(1e999999999)" (or
    // "1e999999999" in an expression, or in a certificate) makes `dlp verify` run past 60 s at 11 GB before it is killed,
    // instead of a one-line error. Run in a child process with a 1 GB heap cap and a time limit, since it cannot be
    // interrupted in-process. Fault: Rational.TryParseDecimal (no bound on the exponent); correct: refuse exponents beyond a
    // sane bound (e.g. |e| > 10^4) as "not an exact number".

    [Z3Fact]
    public async Task BUG_number_1e999999999_in_a_target_hangs_verify_instead_of_an_error()
    {
        var dir = TempDir();
        try
        {
            var file = Write(dir, "huge.toml", Lemma("huge", "identity", "L == L", target: "\"diag(1e999999999)\""));
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
            psi.Environment["DOTNET_GCHeapHardLimit"] = "0x40000000";
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "dlp.dll"), "verify", file }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await p.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("dlp verify on target diag(1e999999999) did not finish within 30 s");
            }
            var all = await stdout + await stderr;
            Assert.Equal(2, p.ExitCode);
            Assert.DoesNotContain("internal error", all);
            Assert.DoesNotContain("OutOfMemory", all);
        }
        finally { Directory.Delete(dir, true); }
    }

    // ================================================================== BUG 6: a well-founded root reported as referring to itself
    // "L >= 0 => (sqrt(2) > 1 and sqrt(2) < 2)" evaluates sqrt(2) first under the guard L >= 0, then again under
    // L >= 0 and sqrt(2) > 1. ClaimScope.Roots joins the guards into one guard Or(L >= 0, L >= 0 and r > 1), which mentions
    // r, and ProofKernel.Unfounded rejects it: "the square roots are not well-founded: sqrt(2) for sqrt1 refers to itself".
    // The claim is well-defined and true at every point (sqrt(2) is in (1, 2)); the error message is false. Fault:
    // ClaimScope.Use / Roots (a guard mentioning the root itself should be dropped: the first use is unconditional within
    // the disjunction) or Unfounded (guard occurrences of the root itself). Completeness, not soundness.

    [Z3Fact]
    public void Was_a_bug_membership_with_a_root_reused_under_its_own_comparison_is_an_ill_formed_error()
    {
        var toml = Lemma("self-guard", "membership", "L >= 0 => (sqrt(2) > 1 and sqrt(2) < 2)", "[claim.point]\nW1 = [[1]]\nW2 = [[1]]", target: "\"diag(2)\"");
        var run = RunNoCrash("self-guard", toml);
        Assert.All(run.Results, r => Assert.True(r.Outcome.Status == Status.Proved, run.ToString()));
    }

    // ================================================================== BUG 7: two networks, one certificate file
    // Certificates go to <slug(lemma)>/<slug(network)>.kernel.json and <slug(network)>-NN-*.smt2, where Slug maps every
    // character except letters, digits, '.' and '-' to '_'. "3,1,3 | diag(3,2,1)" and "3,1,3 | diag(3/2,1)" both become
    // 3_1_3_diag_3_2_1: the second network overwrites the first's kernel certificate and its SolverOracle deletes the
    // first's .smt2 files as "stale". verify reports both networks proved, but only one network's evidence is on disk and
    // `dlp recheck` / `recheck --kernel` silently check one. (Slug also truncates at 80 characters: long lemma ids collide.)
    // Fault: SolverOracle.Slug / CertificateFile.Write (not injective; no collision check).

    [Z3Fact]
    public void Was_a_bug_networks_whose_names_slug_alike_overwrite_each_others_certificates()
    {
        var dir = TempDir();
        try
        {
            var file = Write(dir, "slug.toml", """
                id = "referee3.slug"
                [[network]]
                widths = [3, 1, 3]
                target = "diag(3,2,1)"
                [[network]]
                widths = [3, 1, 3]
                target = "diag(3/2,1)"
                [claim]
                method = "forall"
                expr = "norm2(W1) + norm2(W2) >= 0"
                timeout_s = 20
                """);
            var certs = Path.Combine(dir, "certs");
            var report = LemmaLibrary.Verify([file], options: CheckOptions.Default() with { CertificateDirectory = certs });
            Assert.Equal(2, report.Passed);
            var recorded = Directory.GetFiles(certs, "*.kernel.json", SearchOption.AllDirectories)
                .Select(f => (string)JsonNode.Parse(File.ReadAllText(f))!["network"]!).Order().ToList();
            Assert.Equal(["3,1,3 | diag(3,2,1)", "3,1,3 | diag(3/2,1)"], recorded);
            // every obligation file verify reported still exists
            Assert.All(report.Results.SelectMany(r => r.Outcome.Certificates), f => Assert.True(File.Exists(f), $"{f} was reported but deleted"));
        }
        finally { Directory.Delete(dir, true); }
    }

    // ================================================================== BUG 8: dlp check --widths silently drops the exact start
    // AssumptionCheck.Apply replaces the networks' points by empty ones for --widths (and --drop one-neuron), since the shapes
    // change. For an invariant lemma (E2: S invariant, no minimiser, *the exact start lies in S*) the modified statement then
    // has no start: the kernel checks only invariance and disjointness, and `dlp check e2-p1-zero-balanced.toml --widths
    // 3,1,3` prints "verdict: the result survives the change" with the only change listed as "networks: 3,1,3 |
    // diag(3,2,1)". A third of the lemma was not checked and nothing says so. Correct: list the dropped start as a change
    // (or refuse to call it survival).

    [Z3Fact]
    public void Was_a_bug_check_widths_drops_the_invariant_start_without_saying_so()
    {
        // Now the balanced start is carried to the other depth (merged layers, the same rho) and the change says so.
        var lemma = LemmaLoader.Load(Path.Combine(AppContext.BaseDirectory, "proofs", "examples", "e2-p1-zero-balanced.toml"));
        Assert.True(lemma.Networks.All(n => n.Point.Count > 0));
        var applied = AssumptionCheck.Apply(lemma, new Modification([], [], new Architecture([3, 1, 3])))!.Value;
        Assert.True(applied.Lemma.Networks.All(n => n.Point.Count > 0), "the start is carried");
        Assert.Contains(applied.Changes, c => c.Contains("start", StringComparison.OrdinalIgnoreCase));
    }

    [Z3Fact]
    public void Was_a_bug_check_drop_one_neuron_drops_the_invariant_start_without_saying_so()
    {
        // Now the start is padded with zeros (P unchanged) instead of dropped, and the change says so.
        var lemma = LemmaLoader.Load(Path.Combine(AppContext.BaseDirectory, "proofs", "examples", "e2-p1-zero-balanced.toml"));
        var applied = AssumptionCheck.Apply(lemma, new Modification(["one-neuron"], []))!.Value;
        Assert.True(applied.Lemma.Networks.All(n => n.Point.Count > 0), "the start is carried");
        Assert.Contains(applied.Changes, c => c.Contains("padded with zeros", StringComparison.OrdinalIgnoreCase));
    }

    // ================================================================== BUG 9: a replayed certificate is not bound to the lemma and network it names
    // KernelReplay re-checks the statement recorded in the file with the kernel, and prints the lemma and network the file
    // names beside "agreed". Nothing ties the statement to them: (a) an invariant certificate for examples.E2 on
    // 3,2,1,3 | diag(3,2,1) whose "field" (the gradient flow) is replaced by the zero vector field still replays "proved,
    // agreed" (every set is invariant under x' = 0: the kernel is right about the file, the row is wrong about E2);
    // (b) an "all" certificate for j = 1..N-1 ("3 value(s)") with two of its three parts deleted replays "proved, agreed".
    // The kernel re-derives the flow from the network only when it re-translates digests. Correct: the replay re-derives the
    // field from the named network (widths | target, as the digest path already re-translates the lemma) and checks the
    // number of parts of an "all" against its range, or says in the row that only the recorded statement was checked.
    // Fault: KernelReplay.Run / ProofKernel.Replay (no binding of Statement to Network).

    private static string VerifiedE2AndT3()
    {
        var dir = TempDir();
        var report = LemmaLibrary.Verify([Path.Combine(AppContext.BaseDirectory, "proofs", "examples", "e2-p1-zero-balanced.toml"),
            Path.Combine(AppContext.BaseDirectory, "proofs", "flow", "t3-conservation.toml")], options: CheckOptions.Default() with { CertificateDirectory = dir });
        Assert.Equal(0, report.ExitCode);
        return dir;
    }

    [Z3Fact]
    public void Was_a_bug_invariant_certificate_with_the_zero_vector_field_replays_as_agreed_for_E2()
    {
        var dir = VerifiedE2AndT3();
        try
        {
            var file = Directory.GetFiles(dir, "3_2_1_3_diag_3_2_1-*.kernel.json", SearchOption.AllDirectories).Single();
            var root = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var f in root["certificate"]!["statement"]!["field"]!.AsArray()) f!["rate"] = new JsonArray();
            File.WriteAllText(file, root.ToJsonString());
            var row = KernelReplay.Run(dir, new Z3Worker(), TimeSpan.FromSeconds(60)).Single(r => r.File == file);
            Assert.False(row.Agreed && row.Replayed == Status.Proved,
                $"{row.Lemma} on {row.Network} replayed as proved/agreed although its field is x' = 0, not the network's gradient flow");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Z3Fact]
    public void Was_a_bug_all_certificate_with_parts_deleted_replays_as_agreed()
    {
        var dir = VerifiedE2AndT3();
        try
        {
            var file = Directory.GetFiles(dir, "3_2_1_2_3_symbolic-*.kernel.json", SearchOption.AllDirectories).Single();
            var root = JsonNode.Parse(File.ReadAllText(file))!;
            var certificate = root["certificate"]!;
            Assert.Equal("all", (string)certificate["rule"]!);
            var parts = certificate["parts"]!.AsArray();
            Assert.True(parts.Count >= 3);
            while (parts.Count > 1) parts.RemoveAt(parts.Count - 1);
            File.WriteAllText(file, root.ToJsonString());
            var row = KernelReplay.Run(dir, new Z3Worker(), TimeSpan.FromSeconds(60)).Single(r => r.File == file);
            Assert.False(row.Agreed && row.Replayed == Status.Proved,
                $"'{(string)certificate["what"]!}' replayed as proved/agreed with only one part left: {row.Detail}");
        }
        finally { Directory.Delete(dir, true); }
    }
}
