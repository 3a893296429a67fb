using DeepLinearProofs.Networks;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using DeepLinearProofs.Tests.Smt;
using Xunit;

namespace DeepLinearProofs.Tests.Proofs;

/// <summary>s[i], u[i], v[i] in lemmas are the sorted non-negative SVD of the target, whatever order and signs diag(...) lists.</summary>
public class SingularValueLemmaTests
{
    private static Lemma Parse(string text) => LemmaLoader.Parse(text, "sv.toml");

    private static string Lemma(string method, string widths, string target, string expr, string extra = "") =>
        $"id = \"sv\"\ntheory = \"T6\"\n[[network]]\nwidths = [{widths}]\ntarget = \"{target}\"\n{extra}[claim]\nmethod = \"{method}\"\n" +
        (method == "forall" ? "reductions = [\"rank-one\", \"normalize\"]\n" : "") + $"expr = \"{expr}\"\n";

    [Z3Theory]
    [InlineData("diag(2,3)")]
    [InlineData("diag(-3,2)")]
    [InlineData("diag(2,-3)")]
    public void The_T6_bound_and_unique_minimiser_hold_for_any_order_and_signs(string target)
    {
        foreach (var claim in new[] { "L >= sum(i, 2, d[0], s[i]^2) / 2", "L <= sum(i, 2, d[0], s[i]^2) / 2 => P == s[1] * u[1] * T(v[1])" })
        {
            var r = Assert.Single(LemmaChecker.Check(Parse(Lemma("forall", "2, 1, 2", target, claim)), CheckOptions.Default()));
            Assert.True(r.Outcome.Status == Status.Proved, $"{target}: {claim}: {r.Outcome.Detail}");
        }
    }

    [Theory]
    [InlineData("diag(2,3)")]
    [InlineData("diag(-3,2)")]
    [InlineData("[[0,0,-1],[2,0,0],[0,3,0]]")]
    public void Z_is_the_sum_of_its_singular_terms_and_s1_is_the_largest(string target)
    {
        int n = target.StartsWith("diag") ? 2 : 3;
        var widths = n == 2 ? "2, 1, 2" : "3, 1, 3";
        var rebuild = Assert.Single(LemmaChecker.Check(Parse(Lemma("identity", widths, target, "Z == sum(i, 1, d[0], s[i] * u[i] * T(v[i]))"))));
        Assert.Equal(Status.Proved, rebuild.Outcome.Status);
        var largest = Assert.Single(LemmaChecker.Check(Parse(Lemma("identity", widths, target, "s[1] == 3"))));
        Assert.Equal(Status.Proved, largest.Outcome.Status);
    }

    [Fact]
    public void Membership_reads_s1_as_3_for_diag_2_3()
    {
        const string point = "[network.point]\nW1 = [[0, 1]]\nW2 = [[0], [3]]\n";
        var at = Assert.Single(LemmaChecker.Check(Parse(Lemma("membership", "2, 1, 2", "diag(2,3)", "P == s[1] * u[1] * T(v[1]) and s[1] == 3 and s[2] == 2", point))));
        Assert.Equal(Status.Proved, at.Outcome.Status);
        var loss = Assert.Single(LemmaChecker.Check(Parse(Lemma("membership", "2, 1, 2", "diag(2,3)", "L == s[2]^2 / 2", point))));
        Assert.Equal(Status.Proved, loss.Outcome.Status);
    }

    [Fact]
    public void A_general_matrix_target_using_s1_is_one_clear_error_line()
    {
        var e = Assert.Throws<LemmaFileException>(() => LemmaChecker.Check(Parse(Lemma("identity", "2, 1, 2", "[[1,1],[0,1]]", "s[1] == 1"))));
        Assert.StartsWith("sv.toml:", e.OneLine);
        Assert.Contains("second non-zero entry in row 1", e.OneLine);
        Assert.Contains("write the target as diag(...) or as a signed permutation matrix", e.OneLine);
        Assert.DoesNotContain('\n', e.OneLine);
    }

    [Theory]
    [InlineData("3,1,3", "diag(3,2,1)", "diag(3,3,1)")]
    [InlineData("2,1,2", "diag(2,3)", "diag(3,3)")]
    [InlineData("2,1,2", "diag(-3,2)", "diag(-3,3)")]
    [InlineData("3,1,3", "diag(1,-2,3)", "diag(1,-3,3)")]
    [InlineData("2,1,2", "diag(3)", "diag(3,3)")]
    public void Dropping_the_gap_equalises_the_two_largest_singular_values(string widths, string target, string expected)
    {
        var lemma = Parse(Lemma("forall", widths.Replace(",", ", "), target, "L >= 0"));
        var (changed, changes) = AssumptionCheck.Apply(lemma, new Modification(["gap"], [])) ?? throw new Xunit.Sdk.XunitException("no change");
        Assert.Equal(expected, changed.Networks[0].Target.Describe());
        Assert.Contains($"{target} -> {expected}", Assert.Single(changes));
        var s = changed.Networks[0].Target.ExactSvd(changed.Networks[0].Architecture).Decomposition!.Values;
        Assert.Equal(s[0], s[1]);
    }

    [Fact]
    public void Dropping_the_gap_changes_nothing_when_there_is_none()
    {
        Assert.Null(AssumptionCheck.Apply(Parse(Lemma("forall", "2, 1, 2", "diag(2,-2)", "L >= 0")), new Modification(["gap"], [])));
    }
}
