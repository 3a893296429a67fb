using System.Numerics;
using CsCheck;
using DeepLinearProofs.Algebra;
using Xunit;

namespace DeepLinearProofs.Tests.Algebra;

public class RationalTests
{
    private static readonly Gen<Rational> Small = Gen.Select(Gen.Long[-1000, 1000], Gen.Long[1, 1000], (n, d) => Rational.Create(n, d));
    private static readonly Gen<Rational> Huge = Gen.Select(Gen.Long, Gen.Long[1, long.MaxValue], (n, d) => Rational.Create(n, d));
    private static readonly Gen<Rational> Any = Gen.OneOf(Small, Huge);

    [Fact]
    public void Arithmetic_is_exact_and_in_lowest_terms()
    {
        var x = Rational.Create(6, -4);
        Assert.Equal(Rational.Create(-3, 2), x);
        Assert.Equal(BigInteger.One * 2, x.Denominator);
        Assert.Equal(Rational.Create(1, 6), Rational.Create(1, 2) - Rational.Create(1, 3));
        Assert.Equal(Rational.One, Rational.Create(2, 3) * Rational.Create(3, 2));
        Assert.Equal("-3/2", x.ToString());
    }

    [Fact]
    public void Overflow_moves_to_big_integers_without_losing_digits()
    {
        Rational big = long.MaxValue;
        var sq = big * big;
        Assert.False(sq.IsSmall);
        Assert.Equal((BigInteger)long.MaxValue * long.MaxValue, sq.Numerator);
        Assert.Equal(big, sq / big);
        Assert.True((sq / big).IsSmall);
        Assert.Equal(-(BigInteger)long.MinValue, (-(Rational)long.MinValue).Numerator);
    }

    [Fact]
    public void Decimal_literals_are_read_exactly()
    {
        Assert.Equal(Rational.Create(1, 10), Rational.Parse("0.1"));
        Assert.Equal(Rational.Create(-1, 8), Rational.Parse("-0.125"));
        Assert.Equal(Rational.Create(3, 1000), Rational.Parse("3e-3"));
        Assert.Equal(Rational.Create(3, 2), Rational.Parse("3/2"));
        Assert.False(Rational.TryParse("1/0", out _));
        Assert.False(Rational.TryParse("abc", out _));
        Assert.Equal(Rational.Create(1, 4), Rational.FromDouble(0.25));
        Assert.NotEqual(Rational.Create(1, 10), Rational.FromDouble(0.1)); // 0.1 is not a dyadic rational
    }

    [Fact]
    public void Exact_square_roots_exist_only_for_squares()
    {
        Assert.Equal(Rational.Create(3, 2), Rational.Create(9, 4).TrySqrt());
        Assert.Null(Rational.Create(2, 1).TrySqrt());
        Assert.Null(Rational.Create(-4, 1).TrySqrt());
    }

    [Fact]
    public void Field_laws_hold_on_small_and_huge_values() =>
        Gen.Select(Any, Any, Any).Sample((a, b, c) =>
            a + b == b + a && a * b == b * a && (a + b) + c == a + (b + c) && (a * b) * c == a * (b * c)
            && a * (b + c) == a * b + a * c && a - a == Rational.Zero && (b.IsZero || (a / b) * b == a));

    [Fact]
    public void Fast_path_agrees_with_big_integer_arithmetic() =>
        Gen.Select(Any, Any).Sample((a, b) =>
        {
            var sum = Rational.Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
            var product = Rational.Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
            return a + b == sum && a * b == product && (a < b) == ((a - b).Sign < 0) && (a == b) == ((a - b).IsZero);
        });
}
