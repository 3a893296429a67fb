using System.Text;

namespace DeepLinearProofs.Algebra;

/// <summary>Plain-text printer; its output is read back by <see cref="Polynomial.Parse"/> to the same polynomial.</summary>
public static class PolynomialText
{
    public static string Format(Polynomial p)
    {
        if (p.IsZero) return "0";
        var sb = new StringBuilder();
        bool first = true;
        foreach (var (m, c) in p.OrderedTerms())
        {
            var abs = c.Abs();
            if (first) { if (c.Sign < 0) sb.Append('-'); }
            else sb.Append(c.Sign < 0 ? " - " : " + ");
            first = false;
            if (m.IsOne) sb.Append(abs);
            else if (abs.IsOne) sb.Append(m);
            else sb.Append(abs).Append('*').Append(m);
        }
        return sb.ToString();
    }
}

/// <summary>LaTeX printer: <c>W2[1,3]</c> becomes <c>(W_{2})_{1,3}</c>, <c>sigma</c> becomes <c>\sigma</c>.</summary>
public static class PolynomialLatex
{
    private static readonly HashSet<string> Greek =
        ["alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "nu", "rho", "sigma", "tau", "phi", "psi", "omega"];

    public static string Format(Polynomial p)
    {
        if (p.IsZero) return "0";
        var sb = new StringBuilder();
        bool first = true;
        foreach (var (m, c) in p.OrderedTerms())
        {
            var abs = c.Abs();
            if (first) { if (c.Sign < 0) sb.Append('-'); }
            else sb.Append(c.Sign < 0 ? " - " : " + ");
            first = false;
            bool showCoefficient = m.IsOne || !abs.IsOne;
            if (showCoefficient) sb.Append(Number(abs));
            if (!m.IsOne)
            {
                if (showCoefficient) sb.Append(' ');
                sb.Append(string.Join(" ", m.SortedFactors().Select(f => f.Exponent == 1 ? Name(f.Var) : $"{Name(f.Var)}^{{{f.Exponent}}}")));
            }
        }
        return sb.ToString();
    }

    public static string Number(Rational r) =>
        r.IsInteger ? r.ToString() : $"{(r.Sign < 0 ? "-" : "")}\\frac{{{r.Numerator.ToString().TrimStart('-')}}}{{{r.Denominator}}}";

    public static string Name(Variable v)
    {
        var (stem, indices) = v.Split();
        var letters = stem.TrimEnd("0123456789".ToCharArray());
        var digits = stem[letters.Length..];
        var head = Greek.Contains(letters) ? "\\" + letters : letters;
        if (digits.Length > 0) head = $"{head}_{{{digits}}}";
        if (indices.Length == 0) return head;
        var sub = string.Join(",", indices);
        return digits.Length > 0 ? $"({head})_{{{sub}}}" : $"{head}_{{{sub}}}";
    }
}
