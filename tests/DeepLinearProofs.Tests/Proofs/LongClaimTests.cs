using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Kernel;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Smt;
using Xunit;
using static DeepLinearProofs.Tests.Algebra.LongExpressionTests;

namespace DeepLinearProofs.Tests.Proofs;

/// <summary>Claims of 20,000 terms are parsed, evaluated and written without recursing once per term (small stacks).</summary>
public class LongClaimTests
{
    private static string Identity(string expr) =>
        $"id = \"long\"\ntheory = \"T3\"\n[[network]]\nwidths = [2, 1, 2]\n[claim]\nmethod = \"identity\"\nexpr = \"{expr}\"\n";

    [Fact]
    public void A_20000_term_sum_of_weights_is_proved()
    {
        var expr = string.Join(" + ", Enumerable.Repeat("W1[1,1]", 20_000)) + " - W1[1,1] == 19999*W1[1,1]";
        var r = OnSmallStack(() => Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(Identity(expr), "long.toml"))));
        Assert.Equal(Status.Proved, r.Outcome.Status);
    }

    [Fact]
    public void A_20000_link_and_chain_of_equations_is_proved_and_its_false_link_found()
    {
        var links = Enumerable.Range(1, 20_000).Select(i => $"{i}*W2[1,1] == W2[1,1]*{i}").ToList();
        var r = OnSmallStack(() => Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(Identity(string.Join(" and ", links)), "long.toml"))));
        Assert.Equal(Status.Proved, r.Outcome.Status);
        links[12_345] = "W2[1,1] == 2*W2[1,1]";
        var bad = OnSmallStack(() => Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(Identity(string.Join(" and ", links)), "long.toml"))));
        Assert.Equal(Status.Refuted, bad.Outcome.Status);
    }

    [Fact]
    public void A_20000_link_formula_evaluates_holds_and_is_written_as_SMT_LIB()
    {
        var text = string.Join(" and ", Enumerable.Range(1, 20_000).Select(i => $"W1[1,1]^2 + {i} > 0")) + " or L < 0";
        var model = new NetworkModel(Architecture.Parse("2,1,2"), new DiagonalTarget([Rational.Create(3, 1), Rational.Create(2, 1)]));
        var (holds, script, variables) = OnSmallStack(() =>
        {
            var f = new ClaimEvaluator(model, new Dictionary<string, int>()).EvaluateFormula(ExprParser.Parse(text));
            var mapped = f.MapPolynomials(p => p + Polynomial.Zero);
            return (mapped.Holds(_ => Rational.One), SmtText.Term(f), f.Variables().Distinct().Count());
        });
        Assert.True(holds);
        Assert.StartsWith("(or (and ", script);
        Assert.True(variables >= 1);
    }

    [Fact]
    public void Deep_but_allowed_nesting_evaluates_and_deeper_is_one_error_line()
    {
        int depth = ExprParser.MaxDepth - 2;
        var deep = string.Concat(Enumerable.Repeat("tr(", depth)) + "W1[1,1]" + new string(')', depth) + " == W1[1,1]";
        var r = OnSmallStack(() => Assert.Single(LemmaChecker.Check(LemmaLoader.Parse(Identity(deep), "deep.toml"))));
        Assert.Equal(Status.Proved, r.Outcome.Status);
        var absurd = new string('(', 10_000) + "L" + new string(')', 10_000) + " == L";
        var e = OnSmallStack(() => Assert.Throws<LemmaFileException>(() => LemmaLoader.Parse(Identity(absurd), "deep.toml")));
        Assert.Contains("deep.toml:7: in expr at column", e.OneLine);
        Assert.Contains("nests deeper than", e.OneLine);
    }
}
