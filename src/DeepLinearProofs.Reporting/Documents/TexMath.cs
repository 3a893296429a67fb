using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DeepLinearProofs.Reporting.Documents;

/// <summary>
/// The TeX subset report formulas are written in, and its translation to MathML (rendered by browsers without any script
/// or network). Supported: letters, numbers, operators, <c>_</c> and <c>^</c>, groups, <c>\frac</c>, <c>\sqrt</c>,
/// <c>\text</c>, <c>\mathrm</c>, <c>\operatorname</c>, Greek letters and the usual relation and operator commands. Anything else
/// is refused with <see cref="FormatException"/>, so a formula that renders in LaTeX renders in HTML too.
/// </summary>
public static class TexMath
{
    private static readonly Dictionary<string, string> Letters = new()
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ϵ", ["varepsilon"] = "ε", ["theta"] = "θ",
        ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["pi"] = "π", ["rho"] = "ρ", ["sigma"] = "σ", ["tau"] = "τ", ["phi"] = "ϕ",
        ["psi"] = "ψ", ["omega"] = "ω", ["Sigma"] = "Σ", ["Delta"] = "Δ", ["ell"] = "ℓ", ["infty"] = "∞", ["top"] = "⊤",
    };

    private static readonly Dictionary<string, string> Operators = new()
    {
        ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["ne"] = "≠", ["neq"] = "≠", ["to"] = "→", ["sim"] = "∼",
        ["approx"] = "≈", ["cdot"] = "⋅", ["cdots"] = "⋯", ["ldots"] = "…", ["cap"] = "∩", ["cup"] = "∪", ["in"] = "∈",
        ["subseteq"] = "⊆", ["times"] = "×", ["pm"] = "±", ["sum"] = "∑", ["partial"] = "∂", ["|"] = "‖", ["{"] = "{", ["}"] = "}",
        ["mid"] = "∣", ["Rightarrow"] = "⇒", ["setminus"] = "∖", ["emptyset"] = "∅", ["neg"] = "¬", ["wedge"] = "∧", ["lor"] = "∨",
    };

    private static readonly HashSet<string> Functions = ["ln", "log", "exp", "min", "max", "lim", "sup", "inf", "det", "ker", "dim"];

    /// <summary>The formula as a MathML element (<c>display</c> block or inline).</summary>
    public static string ToMathMl(string tex, bool display = false)
    {
        var p = new Parser(tex);
        var body = p.Row(endAt: null);
        return $"<math{(display ? " display=\"block\"" : "")}><mrow>{body}</mrow></math>";
    }

    /// <summary>True when <see cref="ToMathMl"/> accepts the formula.</summary>
    public static bool IsSupported(string tex)
    {
        try { ToMathMl(tex); return true; }
        catch (FormatException) { return false; }
    }

    private sealed class Parser(string s)
    {
        private int _i;

        private static string E(string x) => WebUtility.HtmlEncode(x);

        public string Row(char? endAt)
        {
            var sb = new StringBuilder();
            while (true)
            {
                SkipSpace();
                if (_i >= s.Length)
                {
                    if (endAt is not null) throw new FormatException($"'{s}': missing '{endAt}'");
                    return sb.ToString();
                }
                if (endAt is { } e && s[_i] == e) { _i++; return sb.ToString(); }
                if (s[_i] == '}') throw new FormatException($"'{s}': unbalanced '}}'");
                sb.Append(Scripted());
            }
        }

        private void SkipSpace()
        {
            while (_i < s.Length && s[_i] == ' ') _i++;
        }

        private string Scripted()
        {
            var atom = Atom();
            string? sub = null, sup = null;
            while (true)
            {
                SkipSpace();
                if (_i < s.Length && s[_i] == '_' && sub is null) { _i++; sub = Argument(); }
                else if (_i < s.Length && s[_i] == '^' && sup is null) { _i++; sup = Argument(); }
                else if (_i < s.Length && s[_i] == '\'' && sup is null) { _i++; sup = "<mo>′</mo>"; }
                else break;
            }
            return (sub, sup) switch
            {
                (null, null) => atom,
                ({ } b, null) => $"<msub>{atom}{b}</msub>",
                (null, { } p) => $"<msup>{atom}{p}</msup>",
                ({ } b, { } p) => $"<msubsup>{atom}{b}{p}</msubsup>",
            };
        }

        /// <summary>The argument of _, ^, \frac, \sqrt: a group or one token (a single letter or digit).</summary>
        private string Argument()
        {
            SkipSpace();
            if (_i >= s.Length) throw new FormatException($"'{s}': a script or argument is missing at the end");
            if (s[_i] == '{') { _i++; return $"<mrow>{Row('}')}</mrow>"; }
            if (char.IsDigit(s[_i])) return $"<mn>{s[_i++]}</mn>";
            if (char.IsLetter(s[_i])) return $"<mi>{s[_i++]}</mi>";
            return Atom();
        }

        private string Braced()
        {
            SkipSpace();
            if (_i >= s.Length || s[_i] != '{') throw new FormatException($"'{s}': expected '{{' at {_i + 1}");
            int start = ++_i, depth = 1;
            while (_i < s.Length && depth > 0)
            {
                if (s[_i] == '{') depth++;
                else if (s[_i] == '}') depth--;
                _i++;
            }
            if (depth > 0) throw new FormatException($"'{s}': missing '}}'");
            return s[start..(_i - 1)];
        }

        private string Atom()
        {
            char c = s[_i];
            if (c == '{') { _i++; return $"<mrow>{Row('}')}</mrow>"; }
            if (char.IsDigit(c) || (c == '.' && _i + 1 < s.Length && char.IsDigit(s[_i + 1])))
            {
                int start = _i;
                while (_i < s.Length && (char.IsDigit(s[_i]) || (s[_i] == '.' && _i + 1 < s.Length && char.IsDigit(s[_i + 1])))) _i++;
                return $"<mn>{s[start.._i]}</mn>";
            }
            if (char.IsLetter(c)) { _i++; return $"<mi>{E(c.ToString())}</mi>"; }
            if (c == '\\') return Command();
            if (c is '_' or '^') throw new FormatException($"'{s}': a script without a base at {_i + 1}");
            if ("+-=<>()[],;:/|!*.".Contains(c))
            {
                _i++;
                return c switch
                {
                    '-' => "<mo>−</mo>",
                    '*' => "<mo>∗</mo>",
                    '(' or ')' or '[' or ']' or '|' => $"<mo stretchy=\"false\">{E(c.ToString())}</mo>",
                    '/' => "<mo lspace=\"0\" rspace=\"0\">/</mo>",
                    _ => $"<mo>{E(c.ToString())}</mo>",
                };
            }
            throw new FormatException($"'{s}': character '{c}' is not in the formula subset");
        }

        private string Command()
        {
            _i++;
            if (_i >= s.Length) throw new FormatException($"'{s}': a lone backslash");
            if (!char.IsLetter(s[_i]))
            {
                char sym = s[_i++];
                return sym switch
                {
                    '|' => "<mo stretchy=\"false\">‖</mo>",
                    '{' => "<mo stretchy=\"false\">{</mo>",
                    '}' => "<mo stretchy=\"false\">}</mo>",
                    ',' => "<mspace width=\"0.17em\"/>",
                    ';' => "<mspace width=\"0.28em\"/>",
                    '!' => "",
                    '%' or '#' or '&' or '$' or '_' => $"<mo>{E(sym.ToString())}</mo>",
                    _ => throw new FormatException($"'{s}': \\{sym} is not in the formula subset"),
                };
            }
            int start = _i;
            while (_i < s.Length && char.IsLetter(s[_i])) _i++;
            var name = s[start.._i];
            if (Letters.TryGetValue(name, out var letter)) return $"<mi>{letter}</mi>";
            if (Operators.TryGetValue(name, out var op)) return $"<mo>{op}</mo>";
            if (Functions.Contains(name)) return $"<mi>{name}</mi><mo>&#x2061;</mo>";
            switch (name)
            {
                case "frac": { var a = Argument(); var b = Argument(); return $"<mfrac>{a}{b}</mfrac>"; }
                case "sqrt": return $"<msqrt>{Argument()}</msqrt>";
                case "text": return $"<mtext>{E(Braced())}</mtext>";
                case "mathrm": case "operatorname": return $"<mi mathvariant=\"normal\">{E(Braced())}</mi>";
                case "quad": return "<mspace width=\"1em\"/>";
                case "qquad": return "<mspace width=\"2em\"/>";
                case "left": case "right": case "bigl": case "bigr": case "big": return Atom();
                default: throw new FormatException($"'{s}': \\{name} is not in the formula subset");
            }
        }
    }

    private static readonly HashSet<string> GreekWords = ["alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "nu", "rho", "sigma", "tau", "phi", "psi", "omega", "Sigma"];

    /// <summary>
    /// A formula in the theory document's plain-text notation (<c>sigma_0 > 0</c>, <c>p_1 != 0</c>, <c>P -> diag(3,2,0)</c>,
    /// <c>{W_1 e_1 = 0}</c>) as TeX of the subset, or null when it is not plainly a formula (then it stays verbatim).
    /// </summary>
    public static string? FromTheoryNotation(string text)
    {
        if (text.Contains("[[") || text.Contains('"') || text.Contains('\\') || text.Contains('`') || text.Contains('&') || text.Contains('#') || text.Contains('%') || text.Contains('$')) return null;
        var sb = new StringBuilder();
        var grouping = new Stack<bool>();
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (char.IsLetter(c))
            {
                int start = i;
                while (i < text.Length && char.IsLetter(text[i])) i++;
                var word = text[start..i];
                sb.Append(word.Length == 1 ? word : GreekWords.Contains(word) ? $"\\{word} " : Functions.Contains(word) ? $"\\{word} " : $"\\mathrm{{{word}}}");
                continue;
            }
            string two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two == "!=") { sb.Append("\\ne "); i += 2; continue; }
            if (two == ">=") { sb.Append("\\ge "); i += 2; continue; }
            if (two == "<=") { sb.Append("\\le "); i += 2; continue; }
            if (two == "->") { sb.Append("\\to "); i += 2; continue; }
            if (two == "||") { sb.Append("\\|"); i += 2; continue; }
            if (c == '{')
            {
                bool group = i > 0 && text[i - 1] is '_' or '^';
                grouping.Push(group);
                sb.Append(group ? "{" : "\\{");
                i++;
                continue;
            }
            if (c == '}')
            {
                if (grouping.Count == 0) return null;
                sb.Append(grouping.Pop() ? "}" : "\\}");
                i++;
                continue;
            }
            if (c == '∩') { sb.Append("\\cap "); i++; continue; }
            if (c > 127) return null;
            sb.Append(c);
            i++;
        }
        if (grouping.Count > 0) return null;
        var tex = Regex.Replace(sb.ToString(), " +", " ").Trim();
        return IsSupported(tex) ? tex : null;
    }
}
