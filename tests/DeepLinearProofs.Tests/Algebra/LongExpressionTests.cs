using System.Text;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using Xunit;

namespace DeepLinearProofs.Tests.Algebra;

public class LongExpressionTests
{
    /// <summary>Runs on a thread with a small stack, so that a walk recursing once per term would overflow here.</summary>
    internal static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new AggregateException(failure);
        return result;
    }

    [Fact]
    public void A_sum_of_20000_terms_parses_and_reads_as_a_polynomial()
    {
        var text = string.Join(" + ", Enumerable.Range(1, 20_000).Select(i => $"x{i}"));
        var p = OnSmallStack(() => Polynomial.Parse(text));
        Assert.Equal(20_000, p.OrderedTerms().Count());
        Assert.Equal(20_000, p.Variables().Distinct().Count());
    }

    [Fact]
    public void A_long_chain_with_minus_signs_keeps_its_value()
    {
        var rng = new Random(7);
        var text = new StringBuilder("x[0]");
        var expected = Polynomial.Var(Variable.Indexed("x", [0]));
        for (int i = 1; i < 3000; i++)
        {
            bool minus = rng.Next(2) == 0;
            text.Append(minus ? " - " : " + ").Append($"{i % 5 + 1}*x[{i % 17}]");
            var term = Polynomial.Var(Variable.Indexed("x", [i % 17])).Scale(Rational.Create(i % 5 + 1, 1));
            expected = minus ? expected - term : expected + term;
        }
        var tree = ExprParser.Parse(text.ToString());
        Assert.Equal(expected, PolynomialReader.Read(tree));
        Assert.True(Depth(tree) < 40, $"depth {Depth(tree)}");
    }

    [Fact]
    public void A_long_product_with_divisions_keeps_its_value()
    {
        var text = string.Join("", Enumerable.Range(1, 200).Select(i => i == 1 ? "2" : i % 3 == 0 ? " / 2" : " * 2")) + " * y";
        // 200 factors of 2: 134 multiplied (the first included) and 66 divided (i = 3, 6, ..., 198).
        var expected = Polynomial.Constant(Rational.Create(2, 1)).Pow(134 - 66) * Polynomial.Var(Variable.Indexed("y", []));
        Assert.Equal(expected, PolynomialReader.Read(ExprParser.Parse(text)));
    }

    [Fact]
    public void Short_chains_keep_the_left_associative_tree()
    {
        var tree = ExprParser.Parse("a - b - c");
        var outer = Assert.IsType<BinaryExpr>(tree);
        Assert.Equal("-", outer.Operator);
        Assert.Equal("a - b", ExprText.Format(outer.Left));
        Assert.Equal("a - b - c", ExprText.Format(tree));
    }

    [Fact]
    public void A_long_and_chain_is_a_balanced_tree_that_prints_back_to_the_same_meaning()
    {
        var text = string.Join(" and ", Enumerable.Range(1, 5000).Select(i => $"x{i} >= 0"));
        var tree = ExprParser.Parse(text);
        Assert.True(Depth(tree) < 40);
        var again = ExprParser.Parse(ExprText.Format(tree));
        Assert.Equal(ExprText.Format(tree), ExprText.Format(again));
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("-", "")]
    [InlineData("not ", "")]
    [InlineData("f(", ")")]
    public void Absurd_nesting_is_refused_in_one_line(string open, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, 10_000)) + "x" + string.Concat(Enumerable.Repeat(close, 10_000));
        var e = OnSmallStack(() => Assert.Throws<ExprSyntaxException>(() => ExprParser.Parse(text)));
        Assert.Contains($"nests deeper than {ExprParser.MaxDepth} levels", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        int depth = ExprParser.MaxDepth - 1;
        var text = string.Concat(Enumerable.Repeat("(", depth)) + "x + 1" + string.Concat(Enumerable.Repeat(")", depth));
        Assert.Equal(Polynomial.Parse("x + 1"), OnSmallStack(() => Polynomial.Parse(text)));
    }

    internal static int Depth(Expr e)
    {
        int max = 0;
        var pending = new Stack<(Expr, int)>();
        pending.Push((e, 1));
        while (pending.Count > 0)
        {
            var (x, d) = pending.Pop();
            max = Math.Max(max, d);
            IEnumerable<Expr> children = x switch
            {
                BinaryExpr b => [b.Left, b.Right],
                NegateExpr n => [n.Operand],
                NotExpr n => [n.Operand],
                TransposeExpr t => [t.Operand],
                CallExpr c => c.Arguments,
                NameExpr n => n.Indices,
                _ => [],
            };
            foreach (var c in children) pending.Push((c, d + 1));
        }
        return max;
    }
}
