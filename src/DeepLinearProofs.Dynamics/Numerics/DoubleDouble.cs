using System.Numerics;
using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Dynamics.Numerics;

/// <summary>
/// A double-double number hi + lo with |lo| &lt;= ulp(hi)/2: about 106 bits (32 digits), built from
/// error-free transformations (Knuth's two-sum, FMA two-product). Used by <c>--precision double-double</c>
/// so that a start on a saddle's stable set stays there far longer (docs/theory.md, section 7).
/// </summary>
public readonly struct DoubleDouble : IReal<DoubleDouble>
{
    public readonly double Hi;
    public readonly double Lo;

    public DoubleDouble(double hi, double lo = 0) { Hi = hi; Lo = lo; }

    public static DoubleDouble Zero => new(0);
    public static DoubleDouble One => new(1);
    public static double Epsilon => Math.Pow(2, -104);
    public static string Name => "double-double";

    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    private static (double S, double E) TwoSum(double a, double b)
    {
        double s = a + b, bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    public static DoubleDouble operator +(DoubleDouble x, DoubleDouble y)
    {
        var (s, e) = TwoSum(x.Hi, y.Hi);
        var (t, f) = TwoSum(x.Lo, y.Lo);
        e += t;
        var r = QuickTwoSum(s, e);
        return QuickTwoSum(r.Hi, r.Lo + f);
    }

    public static DoubleDouble operator -(DoubleDouble x) => new(-x.Hi, -x.Lo);
    public static DoubleDouble operator -(DoubleDouble x, DoubleDouble y) => x + (-y);

    public static DoubleDouble operator *(DoubleDouble x, DoubleDouble y)
    {
        double p = x.Hi * y.Hi;
        double e = Math.FusedMultiplyAdd(x.Hi, y.Hi, -p);
        e += x.Hi * y.Lo + x.Lo * y.Hi;
        return QuickTwoSum(p, e);
    }

    public static DoubleDouble operator *(double c, DoubleDouble y)
    {
        double p = c * y.Hi;
        double e = Math.FusedMultiplyAdd(c, y.Hi, -p) + c * y.Lo;
        return QuickTwoSum(p, e);
    }

    public static DoubleDouble operator /(DoubleDouble x, DoubleDouble y)
    {
        double q1 = x.Hi / y.Hi;
        var r = x - q1 * y;
        double q2 = r.Hi / y.Hi;
        r -= q2 * y;
        double q3 = r.Hi / y.Hi;
        return QuickTwoSum(q1, q2) + new DoubleDouble(q3);
    }

    public static DoubleDouble FromDouble(double value) => new(value);

    public static DoubleDouble FromRational(Rational value)
    {
        double hi = value.ToDouble();
        if (!double.IsFinite(hi)) return new DoubleDouble(hi);
        var rest = value - Rational.FromDouble(hi);
        return QuickTwoSum(hi, ToDoubleExact(rest));
    }

    private static double ToDoubleExact(Rational r)
    {
        if (r.IsZero) return 0;
        // Scale so that numerator / denominator is formed from two integers of at most ~60 bits.
        BigInteger n = r.Numerator, d = r.Denominator;
        int shift = (int)(d.GetBitLength() - n.GetBitLength()) + 64;
        var q = shift >= 0 ? (n << shift) / d : n / (d << -shift);
        return Math.ScaleB((double)q, -shift);
    }

    public static DoubleDouble Sqrt(DoubleDouble x)
    {
        if (x.Hi <= 0) return x.Hi == 0 ? Zero : new DoubleDouble(double.NaN);
        double s = Math.Sqrt(x.Hi);
        // One Newton step in double-double: s + (x - s^2) / (2 s).
        var sd = new DoubleDouble(s);
        var r = x - sd * sd;
        return sd + new DoubleDouble(r.Hi / (2 * s));
    }

    public double ToDouble() => Hi + Lo;
    public override string ToString() => $"{Hi:R} + {Lo:R}";
}
