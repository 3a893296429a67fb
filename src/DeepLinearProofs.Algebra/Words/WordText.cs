using System.Text;

namespace DeepLinearProofs.Algebra.Words;

/// <summary>Plain text and LaTeX for word polynomials: <c>W_{N:j+1}^T Z W_{j-1:1}^T - 2 tr(A^T A) W_j</c>.</summary>
public static class WordText
{
    public static string Format(WordPoly p) => Format(p, latex: false);

    public static string Latex(WordPoly p) => Format(p, latex: true);

    private static string Format(WordPoly p, bool latex)
    {
        if (p.IsZero) return "0";
        var sb = new StringBuilder();
        bool first = true;
        foreach (var (w, c) in p.Terms.OrderBy(t => t.Key))
        {
            bool negative = c.TermCount == 1 && c.OrderedTerms()[0].Coefficient.Sign < 0;
            var magnitude = negative ? -c : c;
            var coefficient = latex ? LatexScalar(magnitude) : Scalar(magnitude);
            sb.Append(first ? negative ? "-" : "" : negative ? " - " : " + ");
            bool wrap = magnitude.TermCount > 1 && (!w.IsEmpty || p.TermCount > 1);
            if (wrap) coefficient = latex ? $"\\left({coefficient}\\right)" : $"({coefficient})";
            first = false;
            if (w.IsEmpty) sb.Append(coefficient);
            else
            {
                if (coefficient != "1") sb.Append(coefficient).Append(' ');
                sb.Append(latex ? LatexWord(w) : w.ToString());
            }
        }
        return sb.ToString();
    }

    /// <summary>A scalar coefficient as plain text, atoms by their display (without the sizes their variables carry).</summary>
    public static string Scalar(Polynomial c) => ScalarAtom.WithoutSizes(c.ToString());

    private static string LatexWord(Word w) => string.Join(" ", w.Letters.Select(l => l.Transposed ? $"{l.Symbol.Name}^{{\\top}}" : l.Symbol.Name));

    /// <summary>A scalar coefficient in LaTeX; atoms print as their words, traces with \operatorname{tr}.</summary>
    public static string LatexScalar(Polynomial c)
    {
        if (c.IsZero) return "0";
        var sb = new StringBuilder();
        bool first = true;
        foreach (var (m, r) in c.OrderedTerms())
        {
            var abs = r.Abs();
            if (first) { if (r.Sign < 0) sb.Append('-'); }
            else sb.Append(r.Sign < 0 ? " - " : " + ");
            first = false;
            bool showCoefficient = m.IsOne || !abs.IsOne;
            if (showCoefficient) sb.Append(PolynomialLatex.Number(abs));
            if (m.IsOne) continue;
            if (showCoefficient) sb.Append(' ');
            sb.Append(string.Join(" ", m.SortedFactors().Select(f =>
            {
                var name = ScalarAtom.Of(f.Var) is { } atom
                    ? atom.Cyclic ? $"\\operatorname{{tr}}({LatexWord(atom.Word)})" : $"({LatexWord(atom.Word)})"
                    : PolynomialLatex.Name(f.Var);
                return f.Exponent == 1 ? name : $"{name}^{{{f.Exponent}}}";
            })));
        }
        return sb.ToString();
    }
}
