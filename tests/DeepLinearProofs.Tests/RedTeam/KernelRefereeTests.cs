using System.Diagnostics;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Tests.Smt;
using DeepLinearProofs.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>
/// A referee's attack on the trusted kernel and its translation (second red-team round). Every test in the "BUG" regions
/// asserts the correct behaviour and fails on the code as it was reviewed; the "PASSING PROBE" region holds hard cases
/// that pass and guard regressions. None duplicates RedTeamCases.
/// Run with: dotnet test DeepLinearProofs.sln --filter "FullyQualifiedName~RedTeam.KernelReferee"
/// </summary>
public class KernelRefereeTests
{
    // ------------------------------------------------------------------ helpers

    private static KernelSession Session() => Referee.Session("referee", 10);

    private static Polynomial V(string name) => Referee.V(name);
    private static Polynomial C(long c) => Referee.C(c);
    private static Labeled Claim(string label, Polynomial p, Relation r) => new(label, Formula.Atom(p, r));

    private static string Lemma(string id, string method, string expr, string extra = "", string widths = "1, 1, 1", string target = "[[3]]") =>
        Referee.Lemma("referee", 5, id, method, expr, extra, widths, target);

    private static string Invariant(string id, string body) => $"""
        id = "referee.{id}"
        [[network]]
        widths = [1, 1, 1]
        target = [[3]]
        [claim]
        method = "invariant"
        timeout_s = 5
        {body}
        """;

    private static RedTeamRun RunNoCrash(string name, string toml) => Referee.RunNoCrash(name, toml);

    // ================================================================== BUG 1: square roots whose definitions cannot hold
    // The kernel's soundness argument for forall/membership with roots is "for every point there are values r_i with
    // r_i >= 0 and r_i^2 = R_i (where the guard holds)", so adding the definitions loses no point. WellDefined only proves
    // R_i >= 0 with the *other* roots' definitions; it never checks that the roots are well-founded (a root's radicand must
    // not mention the root itself, nor a cycle of roots) nor that each root variable is defined once. A statement whose
    // root definitions are jointly unsatisfiable then proves anything. Reachable from a hand-edited *.kernel.json replayed
    // by `dlp recheck --kernel` (CertificateFile.DRoots reads roots verbatim). Fault: ProofKernel.WellDefined / Referenced
    // (excludes the root itself, no acyclicity or uniqueness check).

    [Z3Fact]
    public void Was_a_bug_kernel_forall_self_referential_root_proves_a_false_claim()
    {
        // r = sqrt(r^2 + 1): radicand >= 0 for every r (WellDefined passes), but r^2 = r^2 + 1 has no solution, so
        // "definition => anything" is valid. The claim x == 1 is false at x = 0.
        var r = Variable.Of("referee#r");
        var s = new ForallStatement([], Claim("x == 1", V("referee#x") - C(1), Relation.Eq),
            [new SquareRoot(r, Polynomial.Var(r).Pow(2) + C(1), Formula.True)]);
        var v = ProofKernel.Forall(s, Session());
        Assert.True(v.Status is not (Status.Proved or Status.Vacuous), $"{v.Status}: {v.Detail}");
    }

    [Z3Fact]
    public void Was_a_bug_kernel_forall_cyclic_roots_prove_a_false_claim()
    {
        // r1 = sqrt(r2^2 + 1), r2 = sqrt(r1^2 + 1): both radicands are >= 1, the definitions give 0 = 2.
        var r1 = Variable.Of("referee#r1");
        var r2 = Variable.Of("referee#r2");
        var s = new ForallStatement([], Claim("x == 1", V("referee#x") - C(1), Relation.Eq),
        [
            new SquareRoot(r1, Polynomial.Var(r2).Pow(2) + C(1), Formula.True),
            new SquareRoot(r2, Polynomial.Var(r1).Pow(2) + C(1), Formula.True),
        ]);
        var v = ProofKernel.Forall(s, Session());
        Assert.True(v.Status is not (Status.Proved or Status.Vacuous), $"{v.Status}: {v.Detail}");
    }

    [Z3Fact]
    public void Was_a_bug_kernel_forall_one_root_variable_defined_twice_proves_a_false_claim()
    {
        // the same variable r as sqrt(2) and as sqrt(3): constant radicands skip every check, r^2 = 2 and r^2 = 3 clash.
        var r = Variable.Of("referee#rr");
        var s = new ForallStatement([], Claim("x == 1", V("referee#x") - C(1), Relation.Eq),
            [new SquareRoot(r, C(2), Formula.True), new SquareRoot(r, C(3), Formula.True)]);
        var v = ProofKernel.Forall(s, Session());
        Assert.True(v.Status is not (Status.Proved or Status.Vacuous), $"{v.Status}: {v.Detail}");
    }

    [Z3Fact]
    public void Was_a_bug_kernel_membership_self_referential_root_puts_a_point_in_the_empty_set()
    {
        // the set {1 == 0} is empty; the unsatisfiable definition r^2 = r^2 + 1 makes "membership-inside" unsat.
        var r = Variable.Of("referee#rm");
        var s = new MembershipStatement(Claim("1 == 0", C(1), Relation.Eq), [new SquareRoot(r, Polynomial.Var(r).Pow(2) + C(1), Formula.True)], []);
        var v = ProofKernel.Membership(s, Session());
        Assert.True(v.Status != Status.Proved, $"{v.Status}: {v.Detail}");
    }

    [Z3Fact]
    public void Was_a_bug_kernel_duplicate_root_variable_with_polynomial_radicands_is_an_error_not_a_crash()
    {
        // Referenced() builds roots.ToDictionary(r => r.Root): a duplicated root variable throws ArgumentException out of the kernel.
        var r = Variable.Of("referee#rd");
        var x = Variable.Of("referee#x");
        var s = new ForallStatement([], Claim("x == 1", Polynomial.Var(x) - C(1), Relation.Eq),
            [new SquareRoot(r, Polynomial.Var(x).Pow(2), Formula.True), new SquareRoot(r, Polynomial.Var(x).Pow(2) + C(1), Formula.True)]);
        Verdict? v = null;
        var e = Record.Exception(() => v = ProofKernel.Forall(s, Session()));
        Assert.Null(e);
        Assert.True(v!.Status is Status.Error or Status.Unknown, $"{v.Status}: {v.Detail}");
    }

    // ================================================================== BUG 2: invariant drops the square roots' obligations
    // README: "the kernel proves radicand >= 0 where each sqrt is evaluated". InvariantMethod never passes ev.Scope.Roots
    // to the kernel (InvariantStatement has no roots) and the kernel's stray-variable check only sees the root variables
    // that survive in the polynomials. A root multiplied by 0 or cancelled is evaluated but never checked:
    // sqrt(-1 - L) is undefined at every point (L >= 0), yet the set is reported proved invariant. The same statements
    // under forall/identity are Error (C7j/C7k). Fault: InvariantMethod.Statement (roots dropped) / InvariantStatement.

    [Z3Fact]
    public void Was_a_bug_invariant_equation_with_a_cancelled_undefined_sqrt_is_proved()
    {
        // {w1 = w2} is invariant ((w1 - w2)' = -(w1 - w2)(3 - w1 w2)), but the equation as written evaluates sqrt(-1 - L).
        var run = RunNoCrash("ref-inv-eq", Invariant("inv-eq", "equations = [\"W1[1,1] - W2[1,1] + 0 * sqrt(-1 - L)\"]"));
        RedTeamAssert.Rejected(run);
    }

    [Z3Fact]
    public void Was_a_bug_invariant_excludes_with_a_cancelled_undefined_sqrt_is_proved()
    {
        var run = RunNoCrash("ref-inv-ex", Invariant("inv-ex", "equations = [\"W1[1,1] - W2[1,1]\"]\nexcludes = \"sqrt(-1 - L) - sqrt(-1 - L) == 1\""));
        RedTeamAssert.Rejected(run);
    }

    [Z3Fact]
    public void Was_a_bug_invariant_lambda_with_a_cancelled_undefined_sqrt_is_proved()
    {
        // lambda = 3 - p makes L_F h + lambda h = 0 for h = w1 - w2; the added sqrt(-1 - L) - sqrt(-1 - L) is undefined everywhere.
        var run = RunNoCrash("ref-inv-la", Invariant("inv-la",
            "[[claim.inequality]]\nexpr = \"W1[1,1] - W2[1,1]\"\nlambda = \"3 - W1[1,1]*W2[1,1] + sqrt(-1 - L) - sqrt(-1 - L)\""));
        RedTeamAssert.Rejected(run);
    }

    // ================================================================== BUG 3: integer indices wrap around
    // ClaimEvaluator.Index computes in Int32 with unchecked + and *: 65536*65536 + 1 = 4294967297 wraps to 1, so a
    // non-existent layer W[4294967297] silently becomes W[1] and I[4294967297] becomes I[1]. Literals above Int32 throw
    // OverflowException out of the checker (an internal error, not a one-line message). Fault: ClaimEvaluator.Index
    // ((int)n.Value.Numerator, and int arithmetic), also IndexRange bounds in LemmaChecker.Instances.

    [Z3Fact]
    public void Was_a_bug_layer_index_4294967297_wraps_to_layer_1_and_is_proved()
    {
        // depth 2: W[4294967297] does not exist, the identity is ill-formed (here: Proved "W[1] == W[1]")
        RedTeamAssert.Rejected(RunNoCrash("ref-wrap-w", Lemma("wrap-w", "identity", "W[65536*65536+1] == W[1]")));
    }

    [Z3Fact]
    public void Was_a_bug_identity_size_4294967297_wraps_to_I_1_and_is_proved()
    {
        RedTeamAssert.Rejected(RunNoCrash("ref-wrap-i", Lemma("wrap-i", "identity", "I[65536*65536+1] == 1")));
    }

    [Z3Fact]
    public void Was_a_bug_index_literal_above_int32_is_an_internal_error() =>
        RedTeamAssert.Rejected(RunNoCrash("ref-big-w", Lemma("big-w", "identity", "W[99999999999] == W[1]")));

    [Z3Fact]
    public void Was_a_bug_each_range_above_int32_is_an_internal_error() =>
        RedTeamAssert.Rejected(RunNoCrash("ref-big-each", Lemma("big-each", "identity", "W[j] == W[j]", "each = \"j = 1..99999999999\"")));

    [Z3Fact]
    public void Was_a_bug_any_range_above_int32_is_an_internal_error() =>
        RedTeamAssert.Rejected(RunNoCrash("ref-big-any", Lemma("big-any", "forall", "any(i, 1, 99999999999, L >= i)")));

    [Z3Fact]
    public void Was_a_bug_huge_identity_matrix_is_an_internal_error() =>
        // I[70000] has 4.9e9 entries: OutOfMemoryException ("Array dimensions exceeded supported range") escapes the checker
        RedTeamAssert.Rejected(RunNoCrash("ref-big-I", Lemma("big-I", "identity", "I[70000] == I[70000]")));

    // ================================================================== BUG 4: crashes on lemma files

    [Z3Fact]
    public void Was_a_bug_duplicate_let_definition_across_two_claim_let_tables_is_an_internal_error()
    {
        // The TOML parser is run without validation, so [claim.let] may appear twice; ClaimScope's ToDictionary then throws
        // ArgumentException ("An item with the same key has already been added. Key: q"). Fault: LemmaLoader (no duplicate
        // table / key check across tables) and ClaimScope constructor.
        var toml = Lemma("dup-let", "forall", "q >= 0", "[claim.let]\nq = \"L\"\n[claim.let]\nq = \"-1 - L\"");
        RedTeamAssert.Rejected(RunNoCrash("ref-dup-let", toml));
    }

    [Z3Fact]
    public async Task BUG_a_chain_of_let_definitions_overflows_the_stack_and_kills_the_process()
    {
        // The parser refuses expressions nested deeper than 256 levels and says "split it with let-definitions"; a chain
        // d_i = d_{i-1} + 1 of 5000 definitions is evaluated recursively (ClaimScope.Definition -> ClaimEvaluator.Name ->
        // Evaluate -> Binary -> ...) and the CLI dies with "Stack overflow" (exit 134) instead of a one-line error. Run in a
        // child process, since a stack overflow cannot be caught.
        var lets = string.Join("\n", Enumerable.Range(1, 4999).Select(i => $"d{i} = \"d{i - 1} + 1\""));
        var toml = Lemma("let-chain", "forall", "d4999 >= 0", $"[claim.let]\nd0 = \"L\"\n{lets}");
        var dir = Path.Combine(Path.GetTempPath(), "referee-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "let-chain.toml");
            File.WriteAllText(file, toml);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "dlp.dll"), "verify", file }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await p.WaitForExitAsync(cts.Token);
            var all = await stdout + await stderr;
            Assert.DoesNotContain("Stack overflow", all);
            Assert.True(p.ExitCode is 0 or 1 or 2, $"exit code {p.ExitCode}: {all[..Math.Min(400, all.Length)]}");
        }
        finally { Directory.Delete(dir, true); }
    }

    // ================================================================== BUG 5: vacuity is detected only syntactically
    // ProofKernel.Premises adds only the premise of a top-level A => B. A claim whose premises are curried, quantified by
    // all(), or split over a conjunction of implications is reported Proved although its premise is unsatisfiable and
    // nothing was proved about any point (the uncurried "L >= 0 and L < 0 => L == 5" is Vacuous, like C7g). The verdict
    // depends on the currying of the formula. Fault: ProofKernel.Premises.

    [Z3Fact]
    public void Was_a_bug_curried_unsatisfiable_premise_is_proved_not_vacuous() =>
        RedTeamAssert.Vacuous(RunNoCrash("ref-curry", Lemma("curry", "forall", "L >= 0 => (L < 0 => L == 5)")));

    [Z3Fact]
    public void Was_a_bug_unsatisfiable_premise_under_all_is_proved_not_vacuous() =>
        RedTeamAssert.Vacuous(RunNoCrash("ref-all-imp", Lemma("all-imp", "forall", "all(i, 1, 1, L < 0 => L == 5)")));

    [Z3Fact]
    public void Was_a_bug_empty_all_claim_is_proved_not_vacuous() =>
        // all(i, 1, 0, ...) checks no index at all, like an empty each (C7c: Vacuous); here it reads "proved, exact".
        RedTeamAssert.Vacuous(RunNoCrash("ref-empty-all", Lemma("empty-all", "forall", "all(i, 1, 0, L < 0)")));

    // ================================================================== PASSING PROBES (regression guards)

    [Z3Fact]
    public void PROBE_passes_kernel_rank_one_lift_realises_a_b_for_several_one_neuron_layers()
    {
        // widths 2,1,1,2 (k = 1, a second one-neuron layer at 2): P = a b^T; "P[1,2] != 1" is false at a = (1,0), b = (0,1).
        var run = RunNoCrash("ref-r1-multi", Lemma("r1-multi", "forall", "P[1,2] != 1", "reductions = [\"rank-one\"]", "2, 1, 1, 2", "\"diag(2,1)\""));
        RedTeamAssert.Refuted(run, p => Exact.EndToEnd(p, [2, 1, 1, 2])[0, 1] == 1);
    }

    [Z3Fact]
    public void PROBE_passes_kernel_rank_one_at_k_N_minus_1_refutes_with_real_weights()
    {
        var run = RunNoCrash("ref-r1-kn1", Lemma("r1-kn1", "forall", "L >= 1", "reductions = [\"rank-one\", \"normalize\"]", "2, 2, 1, 2", "\"diag(2,1)\""));
        RedTeamAssert.Refuted(run, p => Exact.Loss(Exact.Diag(2, 2, 2, 1), Exact.EndToEnd(p, [2, 2, 1, 2])) < 1);
    }

    [Z3Fact]
    public void PROBE_passes_rank_one_normalize_refuses_a_claim_on_a_alone() =>
        // norm2(a) <= 1 is not a function of P: the normalize rule must refuse it (Error), never prove it
        RedTeamAssert.NoVerdict(RunNoCrash("ref-norm-a", Lemma("norm-a", "forall", "norm2(a) <= 1 or norm2(b) <= 1", "reductions = [\"rank-one\", \"normalize\"]", "2, 1, 2", "\"diag(2,1)\"")));

    [Z3Fact]
    public void PROBE_passes_barrier_with_either_sign_of_lambda_is_sound()
    {
        // h = w1 - w2: L_F h = -(3 - p) h. lambda = 3 - p gives L_F h + lambda h = 0 (proved); lambda = p - 3 gives
        // -2 (3 - p) h, negative at h = 1, p = 0: not a certificate (must not be proved).
        var ok = RunNoCrash("ref-bar-ok", Invariant("bar-ok", "[[claim.inequality]]\nexpr = \"W1[1,1] - W2[1,1]\"\nlambda = \"3 - W1[1,1]*W2[1,1]\""));
        Assert.All(ok.Results, r => Assert.Equal(Status.Proved, r.Outcome.Status));
        var bad = RunNoCrash("ref-bar-bad", Invariant("bar-bad", "[[claim.inequality]]\nexpr = \"W1[1,1] - W2[1,1]\"\nlambda = \"W1[1,1]*W2[1,1] - 3\""));
        Assert.All(bad.Results, r => Assert.NotEqual(Status.Proved, r.Outcome.Status));
    }

    [Z3Fact]
    public void PROBE_passes_boundary_set_not_containing_h_zero_is_not_proved()
    {
        // h = w1 with boundary K = {w2 = 0}: {h = 0} = {w1 = 0} is not inside {w2 = 0}, and {w1 >= 0} is left from (0, -1).
        var run = RunNoCrash("ref-bdry", Invariant("bdry", "[[claim.inequality]]\nexpr = \"W1[1,1]\"\nboundary = [\"W2\"]"));
        Assert.All(run.Results, r => Assert.NotEqual(Status.Proved, r.Outcome.Status));
    }

    [Z3Fact]
    public void PROBE_passes_membership_with_nested_irrational_roots()
    {
        // at W = (1, 1), L = 2: sqrt(sqrt(L) + 2) = sqrt(sqrt 2 + 2) ~ 1.8478 < 1.85, and > 1.84
        var point = "[network.point]\nW1 = [[1]]\nW2 = [[1]]";
        var inside = RunNoCrash("ref-mem-in", Lemma("mem-in", "membership", "sqrt(sqrt(L) + 2) < 1.85 and sqrt(sqrt(L) + 2) > 1.84", point));
        Assert.All(inside.Results, r => Assert.Equal(Status.Proved, r.Outcome.Status));
        var outside = RunNoCrash("ref-mem-out", Lemma("mem-out", "membership", "sqrt(sqrt(L) + 2) > 1.85", point));
        Assert.All(outside.Results, r => Assert.Equal(Status.Refuted, r.Outcome.Status));
    }

    [Z3Fact]
    public void PROBE_passes_same_let_sqrt_under_two_guards_checks_both()
    {
        // q = sqrt(L - 1) used under L >= 1 and under L < 1 (where it is undefined): must not be proved.
        var run = RunNoCrash("ref-two-guards", Lemma("two-guards", "forall", "(L >= 1 => q >= 0) and (L < 1 => q * 0 == 0)", "[claim.let]\nq = \"sqrt(L - 1)\""));
        RedTeamAssert.NoVerdict(run);
    }

    [Z3Fact]
    public void PROBE_passes_hypothesis_order_changes_only_well_definedness()
    {
        // h1 then sqrt: defined (guard L >= 1), true: sqrt(L - 1) >= 0. Swapped: the sqrt is evaluated before L >= 1 is known.
        var good = RunNoCrash("ref-order-1", Lemma("order-1", "forall", "L >= 1", "[claim.hypotheses]\nbig = \"L >= 1\"\nroot = \"sqrt(L - 1) >= 0\""));
        RedTeamAssert.NotRefuted(good);
        var swapped = RunNoCrash("ref-order-2", Lemma("order-2", "forall", "L >= 1", "[claim.hypotheses]\nroot = \"sqrt(L - 1) >= 0\"\nbig = \"L >= 1\""));
        RedTeamAssert.NoVerdict(swapped);
    }

    [Z3Fact]
    public void PROBE_passes_kernel_rank_one_rejects_a_reduced_statement_that_is_not_the_original()
    {
        // original claim W1[1,1] >= 0 (false) restated as a[1,1]*0 >= 0 (true): the Mismatch side condition must refuse it.
        var w = Polynomial.Var("W1[1,1]");
        var original = new ForallStatement([], Claim("W1 >= 0", w, Relation.Ge), []);
        var reduced = new ForallStatement([], Claim("W1 >= 0", Polynomial.Zero, Relation.Ge), []);
        var v = ProofKernel.Forall(original with { Reduction = new RankOneReduction([1, 1, 1], reduced, false) }, Session());
        Assert.NotEqual(Status.Proved, v.Status);
    }
}
