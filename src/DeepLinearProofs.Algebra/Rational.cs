using System.Globalization;
using System.Numerics;

namespace DeepLinearProofs.Algebra;

/// <summary>
/// Exact rational number in lowest terms with a positive denominator. Values whose numerator and
/// denominator fit in a machine word take an Int128 fast path; larger ones fall back to BigInteger.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    // Small form: _big == null, value = _num / Den where Den = (_den == 0 ? 1 : _den) so default(Rational) == 0.
    private readonly long _num;
    private readonly long _den;
    private readonly BigPair? _big;

    private sealed class BigPair(BigInteger num, BigInteger den)
    {
        public readonly BigInteger Num = num;
        public readonly BigInteger Den = den;
    }

    private Rational(long num, long den)
    {
        _num = num;
        _den = den;
        _big = null;
    }

    private Rational(BigPair big)
    {
        _num = 0;
        _den = 0;
        _big = big;
    }

    public static readonly Rational Zero = new(0, 1);
    public static readonly Rational One = new(1, 1);
    public static readonly Rational MinusOne = new(-1, 1);

    public bool IsSmall => _big is null;
    public BigInteger Numerator => _big?.Num ?? _num;
    public BigInteger Denominator => _big?.Den ?? SmallDen;
    private long SmallDen => _den == 0 ? 1 : _den;

    public bool IsZero => _big is null && _num == 0;
    public bool IsOne => _big is null && _num == 1 && SmallDen == 1;
    public bool IsInteger => _big is null ? SmallDen == 1 : _big.Den.IsOne;
    public int Sign => _big is null ? Math.Sign(_num) : _big.Num.Sign;

    public static implicit operator Rational(long value) => new(value, 1);
    public static implicit operator Rational(int value) => new(value, 1);

    /// <summary>Creates num/den in lowest terms; throws DivideByZeroException when den is zero.</summary>
    public static Rational Create(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException("rational with zero denominator");
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        if (num.IsZero) return Zero;
        return FromReduced(num, den);
    }

    public static Rational Create(long num, long den) => Create128(num, den);

    private static Rational FromReduced(BigInteger num, BigInteger den)
    {
        if (num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue)
            return new Rational((long)num, (long)den);
        return new Rational(new BigPair(num, den));
    }

    private static Rational Create128(Int128 num, Int128 den)
    {
        if (den == 0) throw new DivideByZeroException("rational with zero denominator");
        if (den < 0) { num = -num; den = -den; }
        if (num == 0) return Zero;
        if (den != 1)
        {
            var g = Gcd(Int128.Abs(num), den);
            if (g != 1) { num /= g; den /= g; }
        }
        if (num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue)
            return new Rational((long)num, (long)den);
        return new Rational(new BigPair((BigInteger)num, (BigInteger)den));
    }

    private static Int128 Gcd(Int128 a, Int128 b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static long Gcd(long a, long b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    public static Rational operator +(Rational x, Rational y)
    {
        if (x._big is null && y._big is null)
        {
            long dx = x.SmallDen, dy = y.SmallDen;
            if (dx == 1 && dy == 1) return Create128((Int128)x._num + y._num, 1);
            return Create128((Int128)x._num * dy + (Int128)y._num * dx, (Int128)dx * dy);
        }
        return Create(x.Numerator * y.Denominator + y.Numerator * x.Denominator, x.Denominator * y.Denominator);
    }

    public static Rational operator -(Rational x) =>
        x._big is null ? (x._num == long.MinValue ? Create(-(BigInteger)x._num, x.SmallDen) : new Rational(-x._num, x.SmallDen))
                       : new Rational(new BigPair(-x._big.Num, x._big.Den));

    public static Rational operator -(Rational x, Rational y) => x + (-y);

    public static Rational operator *(Rational x, Rational y)
    {
        if (x._big is null && y._big is null)
        {
            long nx = x._num, dx = x.SmallDen, ny = y._num, dy = y.SmallDen;
            if (nx == 0 || ny == 0) return Zero;
            if (dx == 1 && dy == 1) return Create128((Int128)nx * ny, 1);
            // Cross-reduce so the result is already in lowest terms.
            long g1 = Gcd(nx, dy), g2 = Gcd(ny, dx);
            Int128 num = (Int128)(nx / g1) * (ny / g2);
            Int128 den = (Int128)(dx / g2) * (dy / g1);
            if (num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue)
                return new Rational((long)num, (long)den);
            return new Rational(new BigPair((BigInteger)num, (BigInteger)den));
        }
        return Create(x.Numerator * y.Numerator, x.Denominator * y.Denominator);
    }

    public Rational Reciprocal()
    {
        if (IsZero) throw new DivideByZeroException("reciprocal of zero");
        return Create(Denominator, Numerator);
    }

    public static Rational operator /(Rational x, Rational y) => x * y.Reciprocal();

    public Rational Pow(int exponent)
    {
        if (exponent < 0) return Reciprocal().Pow(-exponent);
        Rational result = One, b = this;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1) result *= b;
            exponent >>= 1;
            if (exponent > 0) b *= b;
        }
        return result;
    }

    public Rational Abs() => Sign < 0 ? -this : this;

    /// <summary>Exact square root when this is the square of a rational, otherwise null.</summary>
    public Rational? TrySqrt()
    {
        if (Sign < 0) return null;
        var n = IntegerSqrt(Numerator);
        var d = IntegerSqrt(Denominator);
        if (n * n != Numerator || d * d != Denominator) return null;
        return Create(n, d);
    }

    private static BigInteger IntegerSqrt(BigInteger v)
    {
        if (v.IsZero) return 0;
        var x = (BigInteger)Math.Sqrt((double)v);
        while (x * x > v) x--;
        while ((x + 1) * (x + 1) <= v) x++;
        return x;
    }

    public double ToDouble() => _big is null ? (double)_num / SmallDen : (double)_big.Num / (double)_big.Den;

    public bool Equals(Rational other)
    {
        if (_big is null && other._big is null) return _num == other._num && SmallDen == other.SmallDen;
        return Numerator == other.Numerator && Denominator == other.Denominator;
    }

    public override bool Equals(object? obj) => obj is Rational r && Equals(r);

    public override int GetHashCode() =>
        _big is null ? HashCode.Combine(_num, SmallDen) : HashCode.Combine(_big.Num.GetHashCode(), _big.Den.GetHashCode());

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public static bool operator ==(Rational x, Rational y) => x.Equals(y);
    public static bool operator !=(Rational x, Rational y) => !x.Equals(y);
    public static bool operator <(Rational x, Rational y) => x.CompareTo(y) < 0;
    public static bool operator >(Rational x, Rational y) => x.CompareTo(y) > 0;
    public static bool operator <=(Rational x, Rational y) => x.CompareTo(y) <= 0;
    public static bool operator >=(Rational x, Rational y) => x.CompareTo(y) >= 0;

    /// <summary>Text form "n" or "n/d", which <see cref="Parse"/> reads back.</summary>
    public override string ToString() =>
        IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture)
                  : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses "n", "n/d" or an exact decimal such as "-0.125" or "1e-3".</summary>
    public static Rational Parse(string text)
    {
        if (!TryParse(text, out var r)) throw new FormatException($"not a rational number: '{text}'");
        return r;
    }

    public static bool TryParse(string text, out Rational value)
    {
        value = Zero;
        text = text.Trim();
        if (text.Length == 0) return false;
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryParseDecimal(text[..slash], out var n) || !TryParseDecimal(text[(slash + 1)..], out var d) || d.IsZero) return false;
            value = n / d;
            return true;
        }
        return TryParseDecimal(text, out value);
    }

    /// <summary>The largest |power of ten| a decimal literal may carry (1e1000 is accepted, 1e1001 is not a number).</summary>
    public const int MaxDecimalExponent = 1000;

    private static bool TryParseDecimal(string text, out Rational value)
    {
        value = Zero;
        text = text.Trim();
        int exponent = 0;
        var e = text.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)) return false;
            text = text[..e];
        }
        bool negative = text.StartsWith('-');
        if (negative || text.StartsWith('+')) text = text[1..];
        var dot = text.IndexOf('.');
        string digits = dot >= 0 ? text.Remove(dot, 1) : text;
        int fraction = dot >= 0 ? text.Length - dot - 1 : 0;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return false;
        var num = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        var scale = (long)exponent - fraction;
        // 10^1000 has a thousand digits; beyond that a literal is a typo, and BigInteger.Pow(10, 10^9) would exhaust memory.
        if (Math.Abs(scale) > MaxDecimalExponent) return false;
        value = scale >= 0 ? Create(num * BigInteger.Pow(10, (int)scale), 1) : Create(num, BigInteger.Pow(10, (int)-scale));
        if (negative) value = -value;
        return true;
    }

    /// <summary>Exact rational value of a finite double (every finite double is a dyadic rational).</summary>
    public static Rational FromDouble(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"not a finite number: {value}");
        if (value == 0) return Zero;
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exp = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp++; else mantissa |= 1L << 52;
        exp -= 1075;
        BigInteger num = mantissa;
        var r = exp >= 0 ? Create(num << exp, 1) : Create(num, BigInteger.One << -exp);
        return negative ? -r : r;
    }
}
