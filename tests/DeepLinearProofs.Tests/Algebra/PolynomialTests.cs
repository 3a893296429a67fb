using CsCheck;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Algebra.Syntax;
using Xunit;

namespace DeepLinearProofs.Tests.Algebra;

public class PolynomialTests
{
    private static readonly Variable X = Variable.Of("x"), Y = Variable.Of("y"), W = Variable.Of("W2[1,3]");

    /// <summary>Random polynomials in x, y, W2[1,3] with small rational coefficients.</summary>
    internal static readonly Gen<Polynomial> Poly =
        Gen.Select(Gen.Int[-5, 5], Gen.Int[1, 3], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 2],
                (n, d, a, b, c) => Polynomial.Term(Rational.Create(n, d), Monomial.Of([(X, a), (Y, b), (W, c)])))
            .List[0, 6]
            .Select(terms => terms.Aggregate(Polynomial.Zero, (acc, t) => acc + t));

    private static readonly Gen<Dictionary<Variable, Rational>> Point =
        Gen.Select(Gen.Int[-4, 4], Gen.Int[-4, 4], Gen.Int[-4, 4], (a, b, c) => new Dictionary<Variable, Rational> { [X] = a, [Y] = b, [W] = c });

    [Fact]
    public void Canonical_form_makes_equality_structural()
    {
        var p = Polynomial.Parse("x*y + 2*y*x - 3*x*y");
        Assert.True(p.IsZero);
        Assert.Equal(Polynomial.Parse("(x + y)^2"), Polynomial.Parse("x^2 + 2*x*y + y^2"));
        Assert.NotEqual(Polynomial.Parse("(x + y)^2"), Polynomial.Parse("x^2 + y^2"));
    }

    [Fact]
    public void Ring_laws_hold() =>
        Gen.Select(Poly, Poly, Poly).Sample((p, q, r) =>
            p + q == q + p && p * q == q * p && (p * q) * r == p * (q * r) && p * (q + r) == p * q + p * r
            && (p - p).IsZero && p * Polynomial.One == p && (p * Polynomial.Zero).IsZero, iter: 300);

    [Fact]
    public void Evaluation_is_a_ring_homomorphism() =>
        Gen.Select(Poly, Poly, Point).Sample((p, q, pt) =>
            (p * q).Evaluate(pt) == p.Evaluate(pt) * q.Evaluate(pt) && (p + q).Evaluate(pt) == p.Evaluate(pt) + q.Evaluate(pt));

    [Fact]
    public void Derivative_obeys_linearity_and_the_product_rule() =>
        Gen.Select(Poly, Poly).Sample((p, q) =>
            (p * q).Derivative(X) == p.Derivative(X) * q + p * q.Derivative(X)
            && (p + q).Derivative(W) == p.Derivative(W) + q.Derivative(W)
            && p.Derivative(X).Derivative(Y) == p.Derivative(Y).Derivative(X), iter: 300);

    [Fact]
    public void Gradient_matches_one_derivative_at_a_time() =>
        Poly.Sample(p =>
        {
            var g = p.Gradient();
            return new[] { X, Y, W }.All(v => g.GetValueOrDefault(v, Polynomial.Zero) == p.Derivative(v));
        });

    [Fact]
    public void Text_printer_round_trips_through_the_parser() =>
        Poly.Sample(p => Polynomial.Parse(p.ToString()) == p);

    [Fact]
    public void Substitution_agrees_with_evaluation() =>
        Gen.Select(Poly, Poly, Point).Sample((p, q, pt) =>
            p.Substitute(new Dictionary<Variable, Polynomial> { [X] = q }).Evaluate(pt)
            == p.Evaluate(v => v == X ? q.Evaluate(pt) : pt[v]));

    [Fact]
    public void Printers_write_the_expected_text()
    {
        var p = Polynomial.Parse("-3/4*W2[1,3]*x^2 + sigma - 1");
        Assert.Equal("-3/4*W2[1,3]*x^2 + sigma - 1", p.ToString());
        Assert.Equal("-\\frac{3}{4} (W_{2})_{1,3} x^{2} + \\sigma - 1", PolynomialLatex.Format(p));
        Assert.Equal("0", Polynomial.Zero.ToString());
    }

    [Fact]
    public void Matrix_operations_follow_their_definitions()
    {
        var a = PolyMatrix.Variables("a", 2, 3);
        var b = PolyMatrix.Variables("b", 3, 2);
        Assert.Equal((a * b).Trace(), (b * a).Trace());
        Assert.Equal((a * b).Transpose(), b.Transpose() * a.Transpose());
        Assert.Equal((a * a.Transpose()).Trace(), a.FrobeniusNormSquared());
        Assert.Equal(3, a.Minors2().Rows); // C(2,2) * C(3,2)
        var rankOne = PolyMatrix.Variables("u", 3, 1) * PolyMatrix.Variables("v", 1, 3);
        Assert.True(rankOne.Minors2().IsZero);
        Assert.Throws<ShapeMismatchException>(() => a * a);
    }

    [Theory]
    [InlineData("x +", 3)]
    [InlineData("(x + y", 6)]
    [InlineData("x $ y", 2)]
    [InlineData("W2[1,", 5)]
    public void Syntax_errors_name_the_column(string text, int column)
    {
        var e = Assert.Throws<ExprSyntaxException>(() => ExprParser.Parse(text));
        Assert.Equal(column, e.Position);
    }

    [Fact]
    public void Non_polynomial_input_is_rejected()
    {
        Assert.Throws<ExprSyntaxException>(() => Polynomial.Parse("x / y"));
        Assert.Throws<ExprSyntaxException>(() => Polynomial.Parse("x ^ -1"));
        Assert.Throws<ExprSyntaxException>(() => Polynomial.Parse("lie(x)"));
        Assert.Equal(Polynomial.Parse("x/2"), Polynomial.Parse("0.5*x"));
    }

    [Fact]
    public void Expression_printer_round_trips()
    {
        foreach (var text in new[] { "lie(C[j]) == 0", "flow(W[j]) == T(prod(N, j+1))*E*T(prod(j-1, 1))", "-x^2 - (a - b) - c'", "a*(b + c)/2" })
        {
            var once = ExprText.Format(ExprParser.Parse(text));
            Assert.Equal(once, ExprText.Format(ExprParser.Parse(once)));
        }
        Assert.Equal("-x^2", ExprText.Format(ExprParser.Parse("-x^2")));
        Assert.Equal("(a - b)*c", ExprText.Format(ExprParser.Parse("(a-b)*c")));
    }
}
