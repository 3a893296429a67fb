using System.Globalization;

namespace DeepLinearProofs.Networks;

/// <summary>
/// The one number formatter of everything dlp prints (domain messages and DeepLinearProofs.Reporting alike): invariant
/// culture, and scientific notation as C and Python write it, <c>2.19e-12</c>, <c>-4.441e-16</c>, <c>1.5e+05</c>
/// (at least two exponent digits), not .NET's three-digit <c>2.19e-012</c>.
/// </summary>
public static class Num
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Scientific notation with <paramref name="digits"/> digits after the point: Sci(2.19e-12, 2) = "2.19e-12".</summary>
    public static string Sci(double x, int digits)
    {
        if (!double.IsFinite(x)) return G(x);
        var s = x.ToString("e" + digits.ToString(Inv), Inv);   // "2.19e-012"
        int e = s.IndexOf('e');
        var mantissa = s[..(e + 2)];                            // "2.19e-"
        var exponent = s[(e + 2)..].TrimStart('0');
        return mantissa + exponent.PadLeft(2, '0');
    }

    /// <summary>General format ("g" with <paramref name="digits"/> significant digits; 0 = shortest round-trip), invariant culture.</summary>
    public static string G(double x, int digits = 0)
    {
        var s = x.ToString(digits > 0 ? "g" + digits.ToString(Inv) : "R", Inv);
        return double.IsFinite(x) ? s.Replace('E', 'e') : s;
    }

    /// <summary>Fixed point with <paramref name="decimals"/> decimals, invariant culture.</summary>
    public static string F(double x, int decimals) => x.ToString("F" + decimals.ToString(Inv), Inv);
}
