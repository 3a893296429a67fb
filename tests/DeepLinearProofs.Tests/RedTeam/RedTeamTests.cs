using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.RedTeam;

/// <summary>
/// The red-team suite: lemmas a sound checker must get right (see RedTeamCases for the math of each).
/// Run with: dotnet test DeepLinearProofs.sln --filter "FullyQualifiedName~RedTeam"
/// </summary>
public class RedTeamTests
{
    private static RedTeamRun Run(string name)
    {
        var c = RedTeamCases.Get(name);
        return RedTeamHarness.Run(c.Name, c.Toml);
    }

    public static IEnumerable<object[]> RefutedCases => RedTeamCases.Of(Expect.Refuted);
    public static IEnumerable<object[]> NotProvedCases => RedTeamCases.Of(Expect.NotProved);
    public static IEnumerable<object[]> NotRefutedCases => RedTeamCases.Of(Expect.NotRefuted);
    public static IEnumerable<object[]> VacuousCases => RedTeamCases.Of(Expect.Vacuous);
    public static IEnumerable<object[]> VacuousAllowedCases => RedTeamCases.Of(Expect.VacuousAllowed);
    public static IEnumerable<object[]> NoVerdictCases => RedTeamCases.Of(Expect.NoVerdict);
    public static IEnumerable<object[]> RejectedCases => RedTeamCases.Of(Expect.Rejected);

    [Z3Theory]
    [MemberData(nameof(RefutedCases))]
    public void A_false_statement_with_a_rational_countermodel_is_refuted_at_a_point_that_really_refutes_it(string name) =>
        RedTeamAssert.Refuted(Run(name), RedTeamCases.Get(name).FailsAt);

    [Z3Theory]
    [MemberData(nameof(NotProvedCases))]
    public void A_false_or_undefined_statement_is_never_proved(string name) =>
        RedTeamAssert.NotProved(Run(name), RedTeamCases.Get(name).FailsAt);

    [Z3Theory]
    [MemberData(nameof(NotRefutedCases))]
    public void A_true_statement_is_never_refuted(string name) => RedTeamAssert.NotRefuted(Run(name));

    [Z3Theory]
    [MemberData(nameof(VacuousCases))]
    public void A_check_of_nothing_is_vacuous_and_does_not_pass(string name) => RedTeamAssert.Vacuous(Run(name));

    [Z3Theory]
    [MemberData(nameof(VacuousAllowedCases))]
    public void A_check_of_nothing_passes_only_where_vacuity_is_allowed(string name) => RedTeamAssert.Vacuous(Run(name), allowed: true);

    [Z3Theory]
    [MemberData(nameof(NoVerdictCases))]
    public void An_empty_or_undefined_check_gives_no_verdict(string name) => RedTeamAssert.NoVerdict(Run(name));

    [Z3Theory]
    [MemberData(nameof(RejectedCases))]
    public void An_ill_formed_operation_is_rejected(string name) => RedTeamAssert.Rejected(Run(name));

    // ---- 8. modified assumptions that empty a hypothesis must not read as "survives".

    private const string UniqueMinimiser = """
        id = "redteam.c8"
        [[network]]
        widths = [WIDTHS]
        target = "TARGET"
        [claim]
        method = "forall"
        reductions = ["rank-one", "normalize"]
        expr = "CLAIM"
        timeout_s = 5
        [claim.hypotheses]
        level = "LEVEL"
        """;

    private static Lemma Modifiable(string widths, string target, string level, string claim) =>
        RedTeamHarness.Parse("c8", UniqueMinimiser.Replace("WIDTHS", widths).Replace("TARGET", target).Replace("LEVEL", level).Replace("CLAIM", claim));

    private static void NoPlainSurvival(AssumptionResult r)
    {
        var statuses = r.Modified.Select(m => m.Outcome.Status).ToList();
        string seen = string.Join("; ", r.Modified.Select(m => $"{m.Network} -> {m.Outcome.Status} ({m.Outcome.Detail})"));
        Assert.True(statuses.Contains(Status.Vacuous) || !r.Survives, $"the change empties the hypothesis, yet it reads as survives: {seen}");
        Assert.DoesNotContain(Status.Proved, statuses);
    }

    [Z3Fact]
    public void C8_dropping_the_gap_that_empties_the_loss_level_hypothesis_is_not_a_plain_survival_3_1_3()
    {
        // diag(3,2,1): min L = 5/2, attained only at 3 e1 e1^T. diag(3,3,1) after the change: min L = 5 > 5/2.
        var lemma = Modifiable("3, 1, 3", "diag(3,2,1)", "L <= 5/2", "P == s[1] * u[1] * T(v[1])");
        NoPlainSurvival(AssumptionCheck.Run(lemma, new Modification(["gap"], []), CheckOptions.Default()));
    }

    [Z3Fact]
    public void C8_dropping_the_gap_that_empties_the_loss_level_hypothesis_is_not_a_plain_survival_2_1_2()
    {
        // diag(2,1): min L = 1/2. diag(2,2): min L = 2 > 1/2.
        var lemma = Modifiable("2, 1, 2", "diag(2,1)", "L <= 1/2", "P == s[1] * u[1] * T(v[1])");
        NoPlainSurvival(AssumptionCheck.Run(lemma, new Modification(["gap"], []), CheckOptions.Default()));
    }

    [Z3Fact]
    public void C8_assuming_a_negative_loss_is_not_a_plain_survival()
    {
        var lemma = Modifiable("2, 1, 2", "diag(2,1)", "L <= 1/2", "P == s[1] * u[1] * T(v[1])");
        NoPlainSurvival(AssumptionCheck.Run(lemma, new Modification([], ["L < 0"]), CheckOptions.Default()));
    }

    [Z3Fact]
    public void C8_a_change_that_keeps_the_hypothesis_satisfiable_is_not_called_vacuous()
    {
        // diag(3,3,1) after the change: min L = 5, so L <= 5 is satisfiable and L >= 5/2 is still true.
        var lemma = Modifiable("3, 1, 3", "diag(3,2,1)", "L <= 5", "L >= 5/2");
        var r = AssumptionCheck.Run(lemma, new Modification(["gap"], []), CheckOptions.Default());
        Assert.All(r.Modified, m => Assert.True(m.Outcome.Status is not (Status.Vacuous or Status.Refuted), $"{m.Outcome.Status}: {m.Outcome.Detail}"));
    }
}
